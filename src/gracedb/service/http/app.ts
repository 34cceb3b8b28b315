import type { ServerOptions as HttpsServerOptions } from 'node:https';
import formbody from '@fastify/formbody';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import { ApiError } from '../api-error.js';
import { RateLimiter, throttledBody } from '../rate-limit.js';
import { INTERNAL } from '../serialize.js';
import type { Authenticator } from './auth.js';
import { type RouteContext, sendJson } from './context.js';
import { registerEventRoutes } from './event-routes.js';
import { registerPageRoutes } from './page-routes.js';
import { registerRootRoutes } from './root-routes.js';
import { registerSupereventRoutes } from './superevent-routes.js';

export interface AppOptions {
  auth: Authenticator;
  /** Event creations and annotations per user and second (0: no limit). */
  writeRatePerS: number;
  /** Requests per anonymous address and minute (0: no limit). */
  anonymousRatePerMin: number;
  anonymousFullRead: boolean;
  bodyLimitBytes: number;
  https?: HttpsServerOptions;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The throttle class of a request (§7.3): event creation, annotation, or none. */
function throttleClass(method: string, path: string): 'event_creation' | 'annotation' | undefined {
  if (method !== 'POST' && method !== 'PUT') return undefined;
  const p = path.replace(/^\/api\/(v1\/)?/, '').replace(/\?.*$/, '');
  if (method === 'POST' && /^events\/?$/.test(p)) return 'event_creation';
  if (/^events\/[^/]+\/(log|voevent|emobservation|signoff)\/?$/.test(p)) return 'annotation';
  if (/^superevents\/[^/]+\/(logs|voevents|emobservations|signoffs)\/?$/.test(p))
    return 'annotation';
  return undefined;
}

export async function buildApp(ctx: RouteContext, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: options.bodyLimitBytes,
    ...(options.https ? { https: options.https } : {}),
  } as FastifyServerOptions) as unknown as FastifyInstance;

  await app.register(formbody);
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    done(null, { multipart: body, contentType: request.headers['content-type'] });
  });
  // Clients send label and tag PUTs with odd or empty content types; their bodies are unused.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const limiters = {
    event_creation: new RateLimiter(options.writeRatePerS, 1000, ctx.store.clock),
    annotation: new RateLimiter(options.writeRatePerS, 1000, ctx.store.clock),
    anonymous: new RateLimiter(options.anonymousRatePerMin, 60_000, ctx.store.clock),
  };

  app.decorateRequest('viewer', null as never);
  app.addHook('onRequest', async (request) => {
    const user = options.auth.identify(request);
    request.viewer = user
      ? { user, internal: true }
      : options.anonymousFullRead
        ? { ...INTERNAL }
        : { user: null, internal: false };
    const isApi = request.url.startsWith('/api/') || request.url === '/api';
    if (isApi && WRITE_METHODS.has(request.method) && !user) {
      throw new ApiError(401, { detail: 'Authentication credentials were not provided.' }, 'json', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const wait = user
      ? ((cls) => (cls ? limiters[cls].check(user) : 0))(throttleClass(request.method, request.url))
      : limiters.anonymous.check(request.ip);
    if (wait > 0)
      throw new ApiError(429, throttledBody(wait), 'json', { 'Retry-After': String(wait) });
  });

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      reply.headers(error.headers);
      if (error.format === 'text') {
        return reply.code(error.status).type('text/plain; charset=utf-8').send(String(error.body));
      }
      return sendJson(reply, error.status, error.body);
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const detail =
        (error as FastifyError).code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
        error.name === 'SyntaxError'
          ? `JSON parse error - ${error.message}`
          : error.message;
      return sendJson(reply, status, { detail });
    }
    ctx.log.error(
      { err: error, method: request.method, url: request.url },
      'GraceDB service request failed',
    );
    return sendJson(reply, 500, { detail: 'Internal server error' });
  });
  app.setNotFoundHandler((request, reply) =>
    sendJson(reply, 404, { detail: `Not found: ${request.method} ${request.url}` }),
  );

  for (const prefix of ['/api', '/api/v1']) {
    await app.register(
      async (api) => {
        registerRootRoutes(api, ctx);
        registerEventRoutes(api, ctx);
        registerSupereventRoutes(api, ctx);
      },
      { prefix },
    );
  }
  registerPageRoutes(app, ctx);
  return app;
}
