import type { FastifyInstance } from 'fastify';
import { getLogger } from '../../../log/index.js';
import { verifyPassword } from '../auth/password-hash.js';
import { SESSION_COOKIE, type SessionCodec } from '../auth/session.js';
import type { ConsoleContext } from '../console-context.js';
import { html } from '../html.js';

const log = getLogger('console.auth');

/** Failed logins per user name before a pause (a slow brute force still gets nowhere). */
const MAX_FAILURES = 5;
const LOCKOUT_MS = 60_000;

/** A local path to return to after logging in (never another site). */
function safeNext(next: unknown, base: string): string {
  if (typeof next !== 'string' || !next.startsWith(`${base}/`) || next.startsWith('//')) {
    return `${base}/`;
  }
  return next;
}

export function registerAuthRoutes(
  server: FastifyInstance,
  ctx: ConsoleContext,
  sessions: SessionCodec,
  lifetimeMs: number,
  cookieOptions: Record<string, unknown>,
): void {
  const failures = new Map<string, { count: number; until: number }>();

  server.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    const next = safeNext(request.query.next, ctx.base);
    const noUsers = Object.keys(ctx.config.console_users).length === 0;
    return ctx.page(
      request,
      reply,
      { title: 'Log in', active: '' },
      html`<section class="narrow">
<h1>Log in</h1>
${
  noUsers
    ? html`<p class="muted">No console accounts are configured (console_users): the console is read-only. Create one with <code>gwcelery console hash-password</code>.</p>`
    : ''
}
<form method="post" action="${ctx.base}/login" class="stack">
  <input type="hidden" name="_csrf" value="${ctx.csrfToken(request)}">
  <input type="hidden" name="next" value="${next}">
  <label>User <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Log in</button>
</form></section>`,
    );
  });

  server.post<{ Body: { username?: string; password?: string; next?: string } }>(
    '/login',
    async (request, reply) => {
      const username = String(request.body.username ?? '').trim();
      const password = String(request.body.password ?? '');
      const next = safeNext(request.body.next, ctx.base);
      const now = Date.now();
      const failed = failures.get(username);
      if (failed && failed.count >= MAX_FAILURES && failed.until > now) {
        ctx.flash(reply, {
          category: 'danger',
          message: `Too many failed logins for ${username}: try again in ${Math.ceil((failed.until - now) / 1000)} s.`,
        });
        return ctx.redirect(reply, '/login');
      }
      const account = ctx.config.console_users[username];
      const ok = account ? await verifyPassword(password, account.password_hash) : false;
      if (!ok) {
        const count = failed && failed.until > now ? failed.count + 1 : 1;
        failures.set(username, { count, until: now + LOCKOUT_MS });
        log.warn({ user: username, ip: request.ip }, 'console login failed');
        ctx.flash(reply, { category: 'danger', message: 'Unknown user or wrong password.' });
        return ctx.redirect(reply, `/login?next=${encodeURIComponent(next)}`);
      }
      failures.delete(username);
      // A new session id at login: a token seen before logging in is worthless after.
      const session = { ...sessions.newSession(lifetimeMs), user: username, role: account!.role };
      reply.setCookie(SESSION_COOKIE, sessions.encode(session), {
        ...cookieOptions,
        maxAge: lifetimeMs / 1000,
      });
      log.info({ user: username, role: account!.role, ip: request.ip }, 'console login');
      return reply.redirect(next, 303);
    },
  );

  server.post('/logout', async (request, reply) => {
    const session = sessions.newSession(lifetimeMs);
    reply.setCookie(SESSION_COOKIE, sessions.encode(session), {
      ...cookieOptions,
      maxAge: lifetimeMs / 1000,
    });
    log.info({ user: request.consoleViewer.user }, 'console logout');
    return ctx.redirect(reply, '/login');
  });
}
