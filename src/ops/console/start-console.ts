import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ListenerHealth } from '../../bus/igwn-alert/health.js';
import { listenerHealth } from '../../bus/igwn-alert/health.js';
import type { Config } from '../../config/index.js';
import type { App } from '../../engine/index.js';
import { type GraceDbClient, gracedbUrl } from '../../gracedb/client.js';
import { getLogger } from '../../log/index.js';
import { HistoryIngester } from '../history/history-ingester.js';
import { TaskHistory } from '../history/task-history.js';
import { opsGraceDbClient } from '../ops-gracedb-client.js';
import { consoleSecret } from './auth/console-secret.js';
import {
  CSRF_FIELD,
  CSRF_HEADER,
  SESSION_COOKIE,
  type Session,
  SessionCodec,
} from './auth/session.js';
import type { ConsoleContext } from './console-context.js';
import { FLASH_COOKIE, FlashCodec, type FlashMessage } from './flash.js';
import { HealthMonitor } from './health/health-report.js';
import { layout } from './layout.js';
import { AlertLatencyTracker } from './metrics/alert-latency.js';
import { ConsoleMetrics } from './metrics/console-metrics.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerFormRoutes } from './routes/form-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerOverviewRoutes } from './routes/overview-routes.js';
import { registerStaticRoutes } from './routes/static-routes.js';
import { registerSupereventRoutes } from './routes/superevent-routes.js';
import { registerTaskRoutes } from './routes/task-routes.js';
import { registerWorkerRoutes } from './routes/worker-routes.js';
import type { AlertLedgerReader } from './superevents/alert-ledger-reader.js';
import { type EventRanking, pipelineRanking } from './superevents/event-ranking.js';
import { SkyMapImages } from './superevents/sky-map-images.js';
import type { Viewer } from './viewer.js';

const log = getLogger('console');

export interface ConsoleOptions {
  app: App;
  config: Config;
  /** GraceDB client for pages and forms; default: the configured GraceDB, short timeouts. */
  gracedb?: GraceDbClient;
  /** Default config.console_port; 0 picks a free port. */
  port?: number;
  host?: string;
  /** The alert ledger (src/alerts): alerts per superevent, alert latency. */
  ledger?: AlertLedgerReader;
  /** Event order of the typeahead and superevent pages; default: the superevent manager's. */
  eventRanking?: EventRanking;
  /** Task history; default <data_dir>/task-history.sqlite (memory without data_dir). */
  history?: TaskHistory;
  /** The IGWN Alert listener in this process (the one-command pipeline), for /metrics. */
  listenerHealth?: () => ListenerHealth | undefined;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** Pages anyone may load without logging in. */
const PUBLIC_PATHS = new Set(['/login', '/metrics', '/healthz']);

function projectVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}

/**
 * The operations console: live and historical tasks, workers and queues, superevents with their
 * sky maps, alerts and latency waterfall, health and Nagios checks, Prometheus metrics, and the
 * operator forms, server-rendered (htmx for partial updates, server-sent events for the live
 * task stream). Runs standalone (`gwcelery console`) or inside the one-command pipeline.
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const { app, config } = options;
  const base = config.console_url_prefix;
  const gracedb =
    options.gracedb ??
    opsGraceDbClient(config, { timeoutS: config.console_gracedb_timeout_s, retries: 2 });
  const ownsGraceDb = !options.gracedb;
  const history =
    options.history ??
    new TaskHistory(config.data_dir ? join(config.data_dir, 'task-history.sqlite') : ':memory:');
  const ingester = new HistoryIngester(app.broker, history, {
    retentionMs: config.task_events_history_s * 1000,
    source:
      app.broker.kind === 'redis'
        ? `redis:${redactUrl(config.broker_url)}:${config.redis_prefix}`
        : undefined,
  });
  const metrics = new ConsoleMetrics({
    app,
    localListenerHealth: options.listenerHealth ?? (() => listenerHealth()),
  });
  ingester.onIngest((result) => {
    const runtimes: { name: string; runtimeMs: number }[] = [];
    for (const id of result.changedIds) {
      const record = history.get(id);
      if (record?.runtimeMs && (record.state === 'SUCCESS' || record.state === 'FAILURE')) {
        if (record.updatedAt === record.finishedAt)
          runtimes.push({ name: record.name, runtimeMs: record.runtimeMs });
      }
    }
    metrics.observe(result, runtimes);
  });
  const tracker = options.ledger
    ? new AlertLatencyTracker(options.ledger, gracedb, metrics)
    : undefined;
  const health = new HealthMonitor(app, config, gracedb);
  const secret = consoleSecret(config);
  const sessions = new SessionCodec(secret);
  const flashes = new FlashCodec(secret);
  const identity = {
    gracedbUrl: gracedb.url ?? gracedbUrl(config.gracedb_host),
    igwnAlertServer: config.igwn_alert_server,
    igwnAlertGroup: config.igwn_alert_group,
    hostname: hostname(),
    version: projectVersion(),
    preset: config.preset,
  };
  const sessionLifetimeMs = config.console_session_hours * 3600_000;
  const secureCookies = false; // the console sits behind a TLS-terminating proxy or on loopback
  const cookieOptions = {
    path: base || '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secureCookies,
  };

  const server = Fastify({ logger: false, trustProxy: Boolean(config.console_proxy_user_header) });
  await server.register(fastifyCookie);
  await server.register(fastifyFormbody);

  const viewerOf = (request: FastifyRequest, session: Session): Viewer => {
    const header = config.console_proxy_user_header;
    if (header) {
      const value = request.headers[header.toLowerCase()];
      const user = Array.isArray(value) ? value[0] : value;
      if (user) {
        return {
          user,
          role: config.console_users[user]?.role ?? config.console_proxy_role,
          via: 'proxy',
        };
      }
    }
    if (session.user && session.role)
      return { user: session.user, role: session.role, via: 'session' };
    return { user: null, role: 'anonymous', via: 'anonymous' };
  };

  const loginRequired = Object.keys(config.console_users).length > 0;

  server.decorateRequest('consoleSession', null as unknown as Session);
  server.decorateRequest('consoleViewer', null as unknown as Viewer);
  server.addHook('onRequest', async (request, reply) => {
    let session = sessions.decode(request.cookies[SESSION_COOKIE]);
    if (!session) {
      session = sessions.newSession(sessionLifetimeMs);
      reply.setCookie(SESSION_COOKIE, sessions.encode(session), {
        ...cookieOptions,
        maxAge: sessionLifetimeMs / 1000,
      });
    }
    request.consoleSession = session;
    request.consoleViewer = viewerOf(request, session);
    const path = request.url.slice(base.length).split('?')[0] || '/';
    if (path.startsWith('/static/') || PUBLIC_PATHS.has(path)) return;
    if (loginRequired && !request.consoleViewer.user) {
      if (request.method === 'GET') {
        return reply.redirect(`${base}/login?next=${encodeURIComponent(request.url)}`);
      }
      return reply.code(401).type('text/plain').send('Log in first.');
    }
  });
  // Every POST carries the session's CSRF token, or nothing is done.
  server.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = body[CSRF_FIELD] ?? request.headers[CSRF_HEADER];
    if (!sessions.checkCsrf(request.consoleSession, token)) {
      log.warn(
        { url: request.url, user: request.consoleViewer.user },
        'POST refused: missing or invalid CSRF token',
      );
      return reply
        .code(403)
        .type('text/plain')
        .send(
          'Refused: the form did not carry a valid CSRF token (reload the page and submit again).',
        );
    }
  });

  const ctx: ConsoleContext = {
    app,
    config,
    gracedb,
    history,
    ingester,
    metrics,
    skyMaps: new SkyMapImages(
      gracedb,
      config.data_dir ? join(config.data_dir, 'console-cache', 'skymaps') : undefined,
    ),
    ledger: options.ledger,
    eventRanking: options.eventRanking ?? pipelineRanking(config),
    identity,
    base,
    csrfToken: (request) => sessions.csrfToken(request.consoleSession),
    flash(reply, message) {
      const pending = (reply as unknown as { gwcFlash?: FlashMessage[] }).gwcFlash ?? [];
      pending.push(message);
      (reply as unknown as { gwcFlash?: FlashMessage[] }).gwcFlash = pending;
      reply.setCookie(FLASH_COOKIE, flashes.encode(pending), cookieOptions);
    },
    page(request, reply, pageOptions, body) {
      const shown = flashes.decode(request.cookies[FLASH_COOKIE]);
      if (shown.length) reply.clearCookie(FLASH_COOKIE, cookieOptions);
      const text = layout(
        {
          base,
          viewer: request.consoleViewer,
          csrf: sessions.csrfToken(request.consoleSession),
          flashes: shown,
          identity,
        },
        pageOptions,
        body,
      );
      return reply
        .code(pageOptions.status ?? 200)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(text);
    },
    redirect(reply: FastifyReply, path: string) {
      return reply.redirect(`${base}${path}`, 303);
    },
  };

  const routes = async (scope: FastifyInstance) => {
    registerStaticRoutes(scope);
    registerAuthRoutes(scope, ctx, sessions, sessionLifetimeMs, cookieOptions);
    registerOverviewRoutes(scope, ctx, health);
    registerTaskRoutes(scope, ctx);
    registerWorkerRoutes(scope, ctx);
    registerSupereventRoutes(scope, ctx);
    registerHealthRoutes(scope, ctx, health);
    registerFormRoutes(scope, ctx);
  };
  await server.register(routes, { prefix: base });

  ingester.start();
  tracker?.start();
  const host = options.host ?? config.console_bind;
  await server.listen({ port: options.port ?? config.console_port, host });
  const address = server.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}${base}/`;
  log.info(
    { url, history: history.path, login: loginRequired ? 'required' : 'open (read-only)' },
    'console listening',
  );
  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        await server.close();
        await tracker?.stop();
        await ingester.stop();
        health.close();
        if (!options.history) history.close();
        if (ownsGraceDb) gracedb.close();
      })();
      return closing;
    },
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}${u.pathname}`;
  } catch {
    return url;
  }
}
