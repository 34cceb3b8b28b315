import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/index.js';
import type { App } from '../../engine/index.js';
import type { GraceDbClient } from '../../gracedb/client.js';
import type { HistoryIngester } from '../history/history-ingester.js';
import type { TaskHistory } from '../history/task-history.js';
import type { Session } from './auth/session.js';
import type { FlashMessage } from './flash.js';
import type { SafeHtml } from './html.js';
import type { ConsoleIdentity } from './layout.js';
import type { ConsoleMetrics } from './metrics/console-metrics.js';
import type { AlertLedgerReader } from './superevents/alert-ledger-reader.js';
import type { EventRanking } from './superevents/event-ranking.js';
import type { SkyMapImages } from './superevents/sky-map-images.js';
import type { Viewer } from './viewer.js';

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession: Session;
    consoleViewer: Viewer;
  }
}

/** What every route of the console works with. */
export interface ConsoleContext {
  app: App;
  config: Config;
  gracedb: GraceDbClient;
  history: TaskHistory;
  ingester: HistoryIngester;
  metrics: ConsoleMetrics;
  skyMaps: SkyMapImages;
  ledger?: AlertLedgerReader;
  eventRanking: EventRanking;
  identity: ConsoleIdentity;
  /** URL prefix ('' or '/gwcelery'). */
  base: string;
  csrfToken(request: FastifyRequest): string;
  /** Queues a message for the next page the browser shows. */
  flash(reply: FastifyReply, message: FlashMessage): void;
  /** Sends a full page (layout around body), consuming pending flash messages. */
  page(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { title: string; active: string; status?: number },
    body: SafeHtml,
  ): FastifyReply;
  /** Redirects within the console (after a POST). */
  redirect(reply: FastifyReply, path: string): FastifyReply;
}
