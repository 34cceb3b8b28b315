import { timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../api-error.js';

/**
 * Who a request comes from: a bearer token (SciToken-style), HTTP Basic with the token as the
 * password, or a verified TLS client certificate (its subject CN). Anonymous otherwise.
 */
export class Authenticator {
  readonly #tokens: [string, Buffer][];

  /** `tokens` maps user names to their tokens. */
  constructor(tokens: Record<string, string>) {
    this.#tokens = Object.entries(tokens).map(([user, token]) => [user, Buffer.from(token)]);
  }

  #userForToken(token: string): string | undefined {
    const given = Buffer.from(token);
    let found: string | undefined;
    // Compare against every token, in constant time each, so timing reveals nothing.
    for (const [user, expected] of this.#tokens) {
      if (expected.length === given.length && timingSafeEqual(expected, given)) found = user;
    }
    return found;
  }

  /** The user name, null for anonymous; throws 401 for credentials that do not check out. */
  identify(request: FastifyRequest): string | null {
    const header = request.headers.authorization;
    if (header) {
      const [scheme, ...rest] = header.split(' ');
      const value = rest.join(' ').trim();
      if (scheme?.toLowerCase() === 'bearer') {
        const user = this.#userForToken(value);
        if (!user)
          throw new ApiError(401, { detail: 'Invalid bearer token.' }, 'json', {
            'WWW-Authenticate': 'Bearer',
          });
        return user;
      }
      if (scheme?.toLowerCase() === 'basic') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const user = colon > 0 ? this.#userForToken(decoded.slice(colon + 1)) : undefined;
        if (!user || user !== decoded.slice(0, colon)) {
          throw new ApiError(401, { detail: 'Invalid username/password.' }, 'json', {
            'WWW-Authenticate': 'Basic',
          });
        }
        return user;
      }
      throw new ApiError(401, { detail: `Unsupported authorization scheme '${scheme}'.` });
    }
    const socket = request.raw.socket as TLSSocket;
    if (typeof socket.getPeerCertificate === 'function' && socket.authorized) {
      const cn = socket.getPeerCertificate()?.subject?.CN;
      if (cn) return Array.isArray(cn) ? cn[0]! : cn;
    }
    return null;
  }
}
