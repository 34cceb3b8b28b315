export interface OAuthTokenProviderOptions {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  fetch?: typeof fetch;
  /** Renew this long before the token expires (ms). */
  renewBeforeMs?: number;
}

/**
 * OAuth 2.0 client-credentials tokens for SASL/OAUTHBEARER (GCN Kafka). A token is fetched on
 * first use, cached, and renewed shortly before it expires; concurrent callers share one request.
 */
export class OAuthTokenProvider {
  private cached?: { value: string; expiresAt: number };
  private inflight?: Promise<{ value: string }>;

  constructor(private readonly options: OAuthTokenProviderOptions) {}

  async token(): Promise<{ value: string }> {
    const renewBefore = this.options.renewBeforeMs ?? 60_000;
    if (this.cached && Date.now() < this.cached.expiresAt - renewBefore) {
      return { value: this.cached.value };
    }
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchToken(): Promise<{ value: string }> {
    const { tokenEndpoint, clientId, clientSecret, scope } = this.options;
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) body.set('scope', scope);
    const basic = Buffer.from(
      `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
    ).toString('base64');
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(tokenEndpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
      });
    } catch (err) {
      throw new Error(`OAuth token request to ${tokenEndpoint} failed: ${(err as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) {
      throw new Error(
        `OAuth token request to ${tokenEndpoint} for client ${clientId} answered HTTP ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`OAuth token response from ${tokenEndpoint} is not JSON`);
    }
    if (typeof parsed.access_token !== 'string' || !parsed.access_token) {
      throw new Error(`OAuth token response from ${tokenEndpoint} has no access_token`);
    }
    const expiresIn = typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600;
    this.cached = { value: parsed.access_token, expiresAt: Date.now() + expiresIn * 1000 };
    return { value: parsed.access_token };
  }
}
