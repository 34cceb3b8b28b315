/**
 * A minimal browser for the console's HTTP tests: keeps cookies, does not follow redirects
 * (tests assert them), and finds the CSRF token a page carries.
 */
export class ConsoleClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(new URL(path.replace(/^\//, ''), this.baseUrl), {
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...headers },
    });
    this.remember(response);
    return response;
  }

  async post(
    path: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    const response = await fetch(new URL(path.replace(/^\//, ''), this.baseUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body,
    });
    this.remember(response);
    return response;
  }

  /** The CSRF token of a page (the meta tag every page carries). */
  async csrf(path = '/login'): Promise<string> {
    const text = await (await this.get(path)).text();
    const match = /<meta name="csrf-token" content="([^"]+)">/.exec(text);
    if (!match) throw new Error(`no CSRF token on ${path}`);
    return match[1];
  }

  async login(user: string, password: string): Promise<Response> {
    const csrf = await this.csrf('/login');
    return this.post('/login', { _csrf: csrf, username: user, password, next: '/' });
  }

  /** Posts a form with this session's token, confirming when the form asks to. */
  async submit(
    path: string,
    fields: Record<string, string | string[]>,
    confirm = true,
  ): Promise<Response> {
    const csrf = await this.csrf('/operations');
    return this.post(path, { _csrf: csrf, ...(confirm ? { confirmed: 'yes' } : {}), ...fields });
  }

  /** The flash messages the next page shows. */
  async flashes(path = '/operations'): Promise<string[]> {
    const text = await (await this.get(path)).text();
    return [...text.matchAll(/<div class="flash (\w+)" role="alert">([\s\S]*?)<\/div>/g)].map(
      (m) =>
        `${m[1]}: ${m[2]
          .replace(/<[^>]+>/g, '')
          .replace(/\s+/g, ' ')
          .trim()}`,
    );
  }
}
