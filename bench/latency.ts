/**
 * Upload-to-alert latency of the whole pipeline: N mock events, one after the other, each on an
 * idle pipeline, timed from its first upload (GraceDB's answer) to the first preliminary alert
 * delivered anywhere (the alert ledger's receipt), and the same minus the time BAYESTAR spent
 * localizing it (the RUNTIME card of the sky map the alert carries): the pipeline's own
 * overhead.
 *
 * Two deployments:
 *   embedded  the one-process pipeline (startLocalStack) in this process;
 *   redis     `gwcelery start` on a Redis broker (GraceDB, bus, listener and workers) plus two
 *             `gwcelery worker` processes (celery ×8, openmp ×1) taking tasks from the same
 *             queues: tasks cross processes through Redis as in a deployment.
 * Redis: GWCELERY_BROKER_URL, or a private redis-server on a free loopback port.
 *
 * Target: overhead p50 ≤ 1 s, p99 ≤ 3 s (the reference takes about 14 s from upload to alert in
 * O4, median). Usage: npm run bench:latency [-- --n 5 --uploads 1 --only embedded|redis --timeout 300]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAlertLedger } from '../src/alerts/ledger/open-ledger.js';
import { type Config, configKeys, loadConfig } from '../src/config/index.js';
import { type Broker, createApp, QUEUE_NAMES } from '../src/engine/index.js';
import type { GraceDbClient } from '../src/gracedb/client.js';
import { configureLogging } from '../src/log/index.js';
import { startLocalStack } from '../src/ops/local-stack.js';
import { closeGraceDbClients, gracedbFor } from '../src/pipeline/gracedb.js';
import '../src/pipeline/index.js';
import { seededRandom } from '../src/pipeline/mock/random.js';
import { uploadMockEvent } from '../src/pipeline/mock/upload-mock-event.js';
import { readSkyMap } from '../src/skymap/io.js';
import { type Child, gwcelery } from '../test/helpers/process.js';
import { deletePrefix, freePort, PrivateRedis, uniquePrefix } from '../test/helpers/redis.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}
function count(name: string, fallback: number): number {
  const text = option(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a whole number ≥ 1`);
  return value;
}

const N = count('n', 5);
const UPLOADS = count('uploads', 1);
const ONLY = option('only');
/** Longest wait for one preliminary alert. */
const ALERT_TIMEOUT_MS = count('timeout', 300) * 1000;

/**
 * The preset `npm start` runs: production-like engine settings (a task's broker lock lasts
 * 30 s; BAYESTAR localizes on worker threads, so a worker's event loop stays free to renew it).
 * The test preset's 1.5 s lock and single-threaded BAYESTAR would measure redeliveries.
 */
const PRESET = 'development';

/**
 * Overrides for both deployments: no periodic mock events (the benchmark sends its own), the
 * mock advocate and the orchestrator's clean-up pass far in the future so that neither the
 * initial notice nor the second preliminary runs inside a measurement, and local alert files.
 */
function benchOverrides(): Record<string, unknown> {
  const overrides: Record<string, unknown> = {
    log_level: 'error',
    mock_events_interval_s: 0,
    mock_snews_interval_s: 0,
    mock_events_vetting_delay_s: 3600,
    mock_events_upload_spread_s: 1,
    // A destination every alert reaches (the test preset has none): the files under data_dir.
    alert_output_dir: 'alerts',
  };
  if ('superevent_clean_up_timeout' in configKeys) overrides.superevent_clean_up_timeout = 3600;
  return overrides;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

interface Measurement {
  superevent: string;
  totalS: number;
  bayestarS: number;
}

/** BAYESTAR's own run time: the RUNTIME card of the sky map on the superevent or its event. */
async function bayestarRuntimeS(gracedb: GraceDbClient, ids: string[]): Promise<number> {
  for (const id of ids) {
    try {
      const runtime = readSkyMap(await gracedb.download('bayestar.multiorder.fits', id)).meta
        ?.runtime;
      if (runtime !== undefined) return runtime;
    } catch {
      // Not on this one; try the next.
    }
  }
  throw new Error(`no bayestar.multiorder.fits with a RUNTIME card on ${ids.join(' or ')}`);
}

async function measureOne(
  config: Config,
  gracedb: GraceDbClient,
  seed: number,
): Promise<Measurement> {
  const ledger = openAlertLedger(config);
  try {
    const event = await uploadMockEvent(config, gracedb, {
      uploads: UPLOADS,
      spreadS: config.mock_events_upload_spread_s,
      random: seededRandom(seed),
    });
    const uploadedAt = event.uploadedAtMs[0]!;
    const deadline = uploadedAt + ALERT_TIMEOUT_MS;
    for (;;) {
      const [superevent] = await gracedb.getSuperevents(`MDC event: ${event.graceid}`);
      if (superevent) {
        const delivered = (await ledger.list({ superevent: superevent.superevent_id }))
          .filter((r) => r.alertType === 'preliminary' && r.state === 'delivered' && r.deliveredAt)
          .map((r) => Date.parse(r.deliveredAt!));
        if (delivered.length) {
          const totalS = (Math.min(...delivered) - uploadedAt) / 1000;
          const fresh = await gracedb.getSuperevent(superevent.superevent_id);
          const bayestarS = await bayestarRuntimeS(gracedb, [
            superevent.superevent_id,
            fresh.preferred_event,
          ]);
          return { superevent: superevent.superevent_id, totalS, bayestarS };
        }
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no preliminary alert for the mock event ${event.graceid} within ${ALERT_TIMEOUT_MS / 1000} s (${superevent ? `superevent ${superevent.superevent_id}` : 'no superevent'}): does this build have the orchestrator?`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await ledger.close();
  }
}

interface Summary {
  n: number;
  p50_s: number;
  p95_s: number;
  p99_s: number;
  overhead_p50_s: number;
  overhead_p99_s: number;
}

/**
 * Until no queue has work waiting or running (timers may stay scheduled): each mock event is
 * measured on an idle pipeline, not behind the previous one's remaining BAYESTAR runs.
 */
async function waitIdle(broker: Broker): Promise<void> {
  const deadline = Date.now() + ALERT_TIMEOUT_MS;
  for (let quiet = 0; quiet < 5; ) {
    const stats = await broker.queueStats(QUEUE_NAMES);
    const busy = Object.values(stats).some((q) => q.waiting + q.active > 0);
    quiet = busy ? 0 : quiet + 1;
    if (Date.now() > deadline) throw new Error('the pipeline did not go idle between mock events');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function measureAll(
  mode: string,
  config: Config,
  gracedb: GraceDbClient,
  broker: Broker,
): Promise<Summary> {
  const results: Measurement[] = [];
  for (let i = 0; i < N; i++) {
    await waitIdle(broker);
    const m = await measureOne(config, gracedb, 1000 + i);
    results.push(m);
    console.log(
      `  ${mode} ${m.superevent}: upload → preliminary ${m.totalS.toFixed(2)} s, BAYESTAR ${m.bayestarS.toFixed(2)} s, overhead ${(m.totalS - m.bayestarS).toFixed(2)} s`,
    );
  }
  const totals = results.map((m) => m.totalS);
  const overheads = results.map((m) => m.totalS - m.bayestarS);
  return {
    n: results.length,
    p50_s: round(percentile(totals, 50)),
    p95_s: round(percentile(totals, 95)),
    p99_s: round(percentile(totals, 99)),
    overhead_p50_s: round(percentile(overheads, 50)),
    overhead_p99_s: round(percentile(overheads, 99)),
  };
}

async function embedded(): Promise<Summary> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-latency-'));
  const config = loadConfig({
    env: { GWCELERY_CONFIG: PRESET },
    overrides: { ...benchOverrides(), data_dir: dataDir },
  });
  const stack = await startLocalStack(config);
  try {
    return await measureAll('embedded', stack.config, stack.gracedb, stack.app.broker);
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function envOf(overrides: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(overrides).map(([k, v]) => [
      `GWCELERY_${k.toUpperCase()}`,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
}

async function redis(): Promise<Summary> {
  let privateRedis: PrivateRedis | undefined;
  let url = process.env.GWCELERY_BROKER_URL ?? '';
  if (!url.startsWith('redis')) {
    privateRedis = await PrivateRedis.start();
    url = privateRedis.url;
  }
  const prefix = uniquePrefix();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-latency-redis-'));
  const port = await freePort();
  const gracedbHost = `http://127.0.0.1:${port}/api/`;
  const overrides = {
    ...benchOverrides(),
    broker_url: url,
    redis_prefix: prefix,
    data_dir: dataDir,
  };
  const env = { ...envOf(overrides), GWCELERY_CONFIG: PRESET, GWCELERY_GRACEDB_HOST: gracedbHost };
  const children: Child[] = [];
  try {
    const start = gwcelery(
      ['start', '--data', dataDir, '--gracedb-port', String(port), '--no-console'],
      env,
    );
    children.push(start);
    await start.waitFor(/gwcelery is running/, 60_000);
    const tokenFile = join(dataDir, 'gracedb-token');
    // Info level for the line that says a worker is ready; the output stays in this process.
    const workerEnv = {
      ...env,
      GWCELERY_GRACEDB_TOKEN_FILE: tokenFile,
      GWCELERY_GRACEDB_TOKEN: '',
      GWCELERY_LOG_LEVEL: 'info',
    };
    for (const [queue, concurrency] of [
      ['celery', '8'],
      ['openmp', '1'],
    ] as const) {
      const worker = gwcelery(
        ['worker', '-Q', queue, '-c', concurrency, '-n', `bench-${queue}@${process.pid}`],
        workerEnv,
      );
      children.push(worker);
      await worker.waitFor(/worker ready/, 60_000);
    }
    const config = loadConfig({
      env: { GWCELERY_CONFIG: PRESET },
      overrides: {
        ...overrides,
        gracedb_host: gracedbHost,
        gracedb_token: readFileSync(tokenFile, 'utf8').trim(),
      },
    });
    // An engine client of the same Redis, only to watch the queues.
    const watcher = createApp(config);
    try {
      return await measureAll('redis', config, gracedbFor(config), watcher.broker);
    } finally {
      await watcher.close();
    }
  } catch (err) {
    // What the processes said is the first thing to read when the deployment misbehaves.
    for (const child of children) {
      console.error(`--- ${child.process.spawnargs.slice(2).join(' ')} (last lines)`);
      console.error(child.output.split('\n').slice(-15).join('\n'));
    }
    throw err;
  } finally {
    for (const child of children.reverse()) {
      child.process.kill('SIGTERM');
      const exited = await Promise.race([
        child.exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 15_000)),
      ]);
      if (!exited) await child.kill();
    }
    await deletePrefix(url, prefix).catch(() => undefined);
    await privateRedis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

configureLogging({ level: 'error', format: 'json' });
const result: Record<string, Summary> = {};
console.log(`latency: ${N} mock superevents per deployment, ${UPLOADS} upload(s) each`);
if (ONLY !== 'redis') result.embedded = await embedded();
if (ONLY !== 'embedded') result.redis = await redis();
closeGraceDbClients();
console.log('');
console.log('| deployment | n | p50 s | p95 s | p99 s | overhead p50 s | overhead p99 s |');
console.log('|---|---|---|---|---|---|---|');
for (const [mode, s] of Object.entries(result)) {
  console.log(
    `| ${mode} | ${s.n} | ${s.p50_s} | ${s.p95_s} | ${s.p99_s} | ${s.overhead_p50_s} | ${s.overhead_p99_s} |`,
  );
}
console.log(
  'Target: overhead p50 ≤ 1 s, p99 ≤ 3 s; the reference: about 14 s upload → alert (O4 median).',
);
console.log(`RESULT ${JSON.stringify(result)}`);
