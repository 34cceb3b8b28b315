import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type Role = 'operator' | 'read-only';

/** What the session cookie carries: a random id (CSRF binding) and, once logged in, who. */
export interface Session {
  sid: string;
  user?: string;
  role?: Role;
  /** ms since the epoch. */
  exp: number;
}

export const SESSION_COOKIE = 'gwc_session';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Stateless sessions and CSRF tokens from one key: the cookie is its JSON payload and an
 * HMAC-SHA256 over it; the CSRF token is an HMAC of the session id, so a page from this
 * console carries it and a form posted from anywhere else cannot.
 */
export class SessionCodec {
  constructor(private readonly secret: string) {}

  private mac(purpose: string, data: string): Buffer {
    return createHmac('sha256', this.secret).update(`${purpose}\n${data}`).digest();
  }

  newSession(lifetimeMs: number, now = Date.now()): Session {
    return { sid: randomBytes(18).toString('base64url'), exp: now + lifetimeMs };
  }

  encode(session: Session): string {
    const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
    return `${payload}.${this.mac('session', payload).toString('base64url')}`;
  }

  /** The session in a cookie value, or undefined when forged, malformed or expired. */
  decode(value: string | undefined, now = Date.now()): Session | undefined {
    if (!value) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = this.mac('session', payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const session = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Session;
      if (typeof session.sid !== 'string' || typeof session.exp !== 'number') return undefined;
      return session.exp > now ? session : undefined;
    } catch {
      return undefined;
    }
  }

  csrfToken(session: Session): string {
    return this.mac('csrf', session.sid).toString('base64url');
  }

  checkCsrf(session: Session | undefined, token: unknown): boolean {
    if (!session || typeof token !== 'string' || token.length === 0) return false;
    const given = Buffer.from(token, 'base64url');
    const expected = this.mac('csrf', session.sid);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
