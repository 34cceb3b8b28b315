import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openAlertLedger } from '../alerts/ledger/index.js';
import type { Bus } from '../bus/bus.js';
import { createBus } from '../bus/create-bus.js';
import type { Config } from '../config/index.js';
import { type App, Beat, beatSchedule, createApp, QUEUES, Worker } from '../engine/index.js';
import type { GraceDbClient } from '../gracedb/client.js';
import { type GraceDbService, startGraceDbService } from '../gracedb/service/server.js';
import { getLogger } from '../log/index.js';
import { closeAlertDeliveries } from '../pipeline/alert-delivery.js';
import { closeBayestarPool } from '../pipeline/bayestar.js';
import { closeGraceDbClients, gracedbFor } from '../pipeline/gracedb.js';
import { startIgwnAlertListener } from '../pipeline/igwn-alert.js';
import { startQueueBootsteps } from '../pipeline/queue-bootsteps.js';
import { hashPassword } from './console/auth/password-hash.js';
import { startConsole } from './console/start-console.js';
import { startStatusFile } from './status/status-file.js';

const log = getLogger('local-stack');

export interface LocalStackOptions {
  /** Port of the embedded GraceDB (0: a free one). */
  gracedbPort?: number;
  /** Port of the console (0: a free one); without it (or false) no console runs. */
  consolePort?: number | false;
  /** Run beat (periodic tasks, mock events). */
  beat?: boolean;
  /** Worker concurrency per queue (default: the reference's set in one process). */
  queues?: Record<string, number>;
}

/** Everything `gwcelery start` runs in one process, as one object (also used by tests). */
export interface LocalStack {
  /** The configuration with gracedb_host and gracedb_token pointing at the embedded service. */
  config: Config;
  app: App;
  bus: Bus;
  service: GraceDbService;
  gracedb: GraceDbClient;
  workers: Worker[];
  beat: Beat | undefined;
  /** The console's URL, when it runs. */
  consoleUrl: string | undefined;
  /** Where the generated console login is written (when console_users is empty). */
  consoleLogin: { user: string; passwordFile: string } | undefined;
  close(): Promise<void>;
}

/**
 * The embedded GraceDB's write token: generated on first start, kept in the data directory,
 * readable by its owner only.
 */
export function localGraceDbToken(dataDir: string): string {
  const path = join(dataDir, 'gracedb-token');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return token;
}

const LOCAL_CONSOLE_USER = 'admin';

/**
 * The console login of a one-process pipeline without configured users: an operator account
 * whose random password is generated on first start and kept, owner-readable only, in the
 * data directory (like the GraceDB token).
 */
async function localConsoleUsers(
  config: Config,
): Promise<{ users: Config['console_users']; login?: LocalStack['consoleLogin'] }> {
  if (Object.keys(config.console_users).length > 0) return { users: config.console_users };
  const passwordFile = join(config.data_dir, 'console-password');
  let password: string;
  if (existsSync(passwordFile)) {
    password = readFileSync(passwordFile, 'utf8').trim();
  } else {
    password = randomBytes(12).toString('base64url');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    chmodSync(passwordFile, 0o600);
  }
  return {
    users: {
      [LOCAL_CONSOLE_USER]: { password_hash: await hashPassword(password), role: 'operator' },
    },
    login: { user: LOCAL_CONSOLE_USER, passwordFile },
  };
}

/**
 * Starts the one-process pipeline: the notification bus, the embedded GraceDB publishing on it,
 * the embedded broker, a worker per queue, the IGWN Alert listener and (optionally) beat.
 * Stopping reverses the order so that nothing in flight is lost.
 */
export async function startLocalStack(
  baseConfig: Config,
  options: LocalStackOptions = {},
): Promise<LocalStack> {
  const dataDir = baseConfig.data_dir;
  if (!dataDir) throw new Error('the one-process pipeline needs a data directory (data_dir)');
  mkdirSync(dataDir, { recursive: true });
  const token = localGraceDbToken(dataDir);
  const bus = createBus(baseConfig.bus_url, baseConfig);
  const service = await startGraceDbService({
    dataDir: join(dataDir, 'gracedb'),
    port: options.gracedbPort ?? 0,
    host: '127.0.0.1',
    tokens: { gwcelery: token },
    publisher: bus,
    alertGroup: baseConfig.igwn_alert_group,
    anonymousFullRead: true,
    writeRatePerS: 0,
  });
  const wantConsole = typeof options.consolePort === 'number';
  const consoleUsers = wantConsole ? await localConsoleUsers(baseConfig) : undefined;
  const config = Object.freeze({
    ...baseConfig,
    gracedb_host: service.url,
    gracedb_token: token,
    gracedb_token_file: '',
    ...(consoleUsers ? { console_users: consoleUsers.users } : {}),
  }) as Config;
  const app = createApp(config);
  const gracedb = gracedbFor(config);
  const workers = Object.entries(options.queues ?? QUEUES).map(
    ([queue, concurrency]) =>
      new Worker(app, {
        queues: [queue],
        concurrency,
        name: `gwcelery-${queue}-worker@${hostname()}`,
      }),
  );
  const bootstepStops: (() => Promise<void>)[] = [];
  for (const worker of workers) {
    bootstepStops.push(...(await startQueueBootsteps(app, worker, config)));
    await worker.start();
  }
  const general = workers.find((w) => w.options.queues.includes('celery'));
  const listener =
    config.igwn_alert_server === ''
      ? await startIgwnAlertListener(app, general, config, bus)
      : await startIgwnAlertListener(app, general, config);
  const beat = options.beat ? new Beat(app, beatSchedule(config)) : undefined;
  beat?.start();
  const status = startStatusFile({
    app,
    dataDir,
    intervalMs: config.status_file_interval_s * 1000,
    gracedbUrl: service.url,
  });
  const ledger = wantConsole ? openAlertLedger(config) : undefined;
  const console = wantConsole
    ? await startConsole({
        app,
        config,
        gracedb,
        ledger,
        port: options.consolePort as number,
        listenerHealth: () => listener.health(),
      })
    : undefined;
  log.info({ gracedb: service.url, console: console?.url, dataDir }, 'local pipeline started');
  let closing: Promise<void> | undefined;
  return {
    config,
    app,
    bus,
    service,
    gracedb,
    workers,
    beat,
    consoleUrl: console?.url,
    consoleLogin: consoleUsers?.login,
    close() {
      closing ??= (async () => {
        await console?.close();
        await ledger?.close();
        await beat?.stop();
        await listener.stop();
        await Promise.all(workers.map((w) => w.stop()));
        for (const stop of bootstepStops) await stop();
        await closeAlertDeliveries();
        await closeBayestarPool();
        await status.close();
        await app.close();
        closeGraceDbClients();
        await service.close();
        await bus.close();
      })();
      return closing;
    },
  };
}
