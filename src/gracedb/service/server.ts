import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Publisher } from '../../bus/publisher.js';
import type { Config } from '../../config/index.js';
import { getLogger } from '../../log/index.js';
import { openDatabase } from './database.js';
import { FileStore } from './file-store.js';
import { buildApp } from './http/app.js';
import { Authenticator } from './http/auth.js';
import { Links } from './links.js';
import { OutboxPump } from './outbox-pump.js';
import { GraceDbStore } from './store.js';
import { parseTokens } from './token-spec.js';
import { LABELS } from './vocabulary.js';

export interface GraceDbServiceOptions {
  /** Directory of the SQLite database and file store (created when missing). */
  dataDir: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** Users and their bearer tokens: `{ "gwcelery": "s3cret" }`. Writes need one of them. */
  tokens?: Record<string, string>;
  /** Where notifications go; without one the service sends none. */
  publisher?: Publisher;
  /** Notification topic namespace, e.g. `gracedb-playground`. */
  alertGroup?: string;
  /**
   * API URL written into links and notifications (default `http://<host>:<port>/api/`). Set it
   * when clients reach the service through another address (a proxy, a container port).
   */
  publicUrl?: string;
  /** Event creations and annotations per user per second before 429 (0: off; default 10). */
  writeRatePerS?: number;
  /** Requests per anonymous address per minute before 429 (0: off; default 300). */
  anonymousRatePerMin?: number;
  /** Let unauthenticated clients read everything (one-machine development). */
  anonymousFullRead?: boolean;
  bodyLimitBytes?: number;
  /** Longest wait of a write for its notifications to reach the bus before it answers. */
  publishWaitMs?: number;
  extraLabels?: string[];
  /** Serve HTTPS; with `ca` and `requestCert`, client certificates authenticate (subject CN). */
  tls?: {
    key: string | Buffer;
    cert: string | Buffer;
    ca?: string | Buffer;
    requestCert?: boolean;
  };
  /** Clock for `created` timestamps (tests). */
  clock?: () => number;
}

export interface GraceDbService {
  /** The API root URL clients use (`…/api/`): the public URL when one is set. */
  url: string;
  /** Where the service itself listens (`http://127.0.0.1:<port>/api/`). */
  listenUrl: string;
  store: GraceDbStore;
  close(): Promise<void>;
}

/**
 * Starts the embedded GraceDB-compatible service: the real routes, JSON shapes and error texts
 * over HTTP, SQLite storage and a versioned file store in `dataDir`, notifications in commit
 * order through `publisher`.
 */
export async function startGraceDbService(options: GraceDbServiceOptions): Promise<GraceDbService> {
  const log = getLogger('gracedb.service');
  const db = openDatabase(options.dataDir);
  const files = new FileStore(options.dataDir);
  const labels = new Set<string>([...LABELS, ...(options.extraLabels ?? [])]);
  const links = new Links(options.publicUrl || 'http://placeholder.invalid/api/');
  const store = new GraceDbStore(db, files, links, {
    alertGroup: options.alertGroup ?? 'gracedb',
    notify: options.publisher !== undefined,
    labels,
    clock: options.clock,
  });
  const pump = options.publisher ? new OutboxPump(db, options.publisher, log) : undefined;
  if (!pump) db.prepare('DELETE FROM outbox').run();
  const publishWaitMs = options.publishWaitMs ?? 5000;
  const app = await buildApp(
    {
      store,
      log,
      settle: async () => {
        if (!pump) return;
        const published = await pump.waitFor(store.lastAlertSeq(), publishWaitMs);
        if (!published)
          log.warn('notifications are not on the bus yet; answering anyway (they stay queued)');
      },
    },
    {
      auth: new Authenticator(options.tokens ?? {}),
      writeRatePerS: options.writeRatePerS ?? 10,
      anonymousRatePerMin: options.anonymousRatePerMin ?? 300,
      anonymousFullRead: options.anonymousFullRead ?? false,
      bodyLimitBytes: options.bodyLimitBytes ?? 256 * 1024 * 1024,
      https: options.tls
        ? {
            key: options.tls.key,
            cert: options.tls.cert,
            ca: options.tls.ca,
            requestCert: options.tls.requestCert ?? Boolean(options.tls.ca),
            rejectUnauthorized: false,
          }
        : undefined,
    },
  );
  try {
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (err) {
    db.close();
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const listenUrl = `${options.tls ? 'https' : 'http'}://${host}:${address.port}/api/`;
  const url = options.publicUrl || listenUrl;
  // Links can only be built once the port is known.
  (store as { links: Links }).links = new Links(url);
  pump?.start();
  log.info({ url, dataDir: options.dataDir }, 'GraceDB service listening');
  return {
    url: store.links.api,
    listenUrl,
    store,
    async close() {
      await app.close();
      await pump?.close();
      db.close();
    },
  };
}

/** Service options from the configuration (`gracedb_service_*`, `igwn_alert_group`). */
export function serviceOptionsFromConfig(config: Config): Omit<GraceDbServiceOptions, 'publisher'> {
  const dataDir =
    config.gracedb_service_data_dir || (config.data_dir ? join(config.data_dir, 'gracedb') : '');
  if (!dataDir) {
    throw new Error(
      'no data directory: give --data DIR, or set gracedb_service_data_dir or data_dir',
    );
  }
  return {
    dataDir,
    port: config.gracedb_service_port,
    host: config.gracedb_service_bind,
    tokens: parseTokens(config.gracedb_service_tokens),
    alertGroup: config.igwn_alert_group,
    publicUrl: config.gracedb_service_public_url || undefined,
    writeRatePerS: config.gracedb_service_write_rate_per_s,
    anonymousRatePerMin: config.gracedb_service_anonymous_rate_per_min,
    anonymousFullRead: config.gracedb_service_anonymous_full_read,
    bodyLimitBytes: Math.round(config.gracedb_service_body_limit_mb * 1024 * 1024),
    publishWaitMs: Math.round(config.gracedb_service_publish_wait_s * 1000),
    extraLabels: config.gracedb_service_extra_labels,
  };
}
