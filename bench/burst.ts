/**
 * The loud-signal burst: a binary black hole loud enough that every pipeline instance uploads it
 * again and again, 100 uploads of one candidate within 10 s (the mock event's jittered copies),
 * through the one-process pipeline (embedded GraceDB, bus, listener, superevent manager).
 * It must give one superevent holding every upload and no failed task; the figures are how long
 * the last upload waits to be grouped and what each superevents.process run costs.
 *
 * Usage: npm run bench:burst [-- --uploads 100 --spread 10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { configureLogging } from '../src/log/index.js';
import { startLocalStack } from '../src/ops/local-stack.js';
import '../src/pipeline/index.js';
import { seededRandom } from '../src/pipeline/mock/random.js';
import { uploadMockEvent } from '../src/pipeline/mock/upload-mock-event.js';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
}

const UPLOADS = argument('uploads', 100);
const SPREAD_S = argument('spread', 10);
/** The superevent path; the annotations' queues (BAYESTAR, em_bright) have no worker here. */
const QUEUES = ['celery', 'superevent'];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function main(): Promise<void> {
  configureLogging({ level: 'error', format: 'json' });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-burst-'));
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: { data_dir: dataDir, log_level: 'error', mock_events_vetting_delay_s: 3600 },
  });
  const stack = await startLocalStack(config, { queues: { celery: 16, superevent: 1 } });
  try {
    const started = Date.now();
    const result = await uploadMockEvent(stack.config, stack.gracedb, {
      uploads: UPLOADS,
      spreadS: SPREAD_S,
      random: seededRandom(100),
    });
    const lastUpload = Math.max(...result.uploadedAtMs);
    // Every upload grouped: poll the superevent until it holds them all.
    let superevents = await stack.gracedb.getSuperevents('MDC');
    let groupedAt = 0;
    while (Date.now() - lastUpload < 120_000) {
      superevents = await stack.gracedb.getSuperevents('MDC');
      const held = new Set(superevents.flatMap((s) => s.gw_events));
      if (result.graceids.every((g) => held.has(g))) {
        groupedAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!groupedAt) throw new Error('not every upload was grouped within 120 s');
    // Let the last handlers finish, then read what every task did.
    for (let quiet = 0; quiet < 10; ) {
      const stats = await stack.app.broker.queueStats(QUEUES);
      // The stats also list queues nobody serves here (BAYESTAR, em_bright): not ours to wait on.
      const busy = QUEUES.some(
        (name) => (stats[name]?.waiting ?? 0) + (stats[name]?.active ?? 0) > 0,
      );
      quiet = busy ? 0 : quiet + 1;
      await new Promise((r) => setTimeout(r, 50));
    }
    await stack.app.events.flush();
    const events = (await stack.app.broker.readEvents(undefined, 1_000_000)).map((e) => e.event);
    const failed = events.filter((e) => e.type === 'task-failed');
    const processMs = events
      .filter((e) => e.type === 'task-succeeded' && e.name === 'superevents.process')
      .map((e) => e.runtimeMs ?? Number.NaN);
    const figures = {
      uploads: result.graceids.length,
      spread_s: SPREAD_S,
      upload_window_s: round((lastUpload - result.uploadedAtMs[0]!) / 1000),
      superevents: superevents.length,
      events_in_superevent: superevents[0]?.gw_events.length ?? 0,
      failed_tasks: failed.length,
      grouped_after_last_upload_s: round((groupedAt - lastUpload) / 1000),
      total_s: round((groupedAt - started) / 1000),
      process_runs: processMs.length,
      process_p50_ms: round(percentile(processMs, 50), 1),
      process_p95_ms: round(percentile(processMs, 95), 1),
      process_max_ms: round(Math.max(...processMs), 1),
    };
    console.log(
      `burst: ${UPLOADS} uploads of one candidate over ${SPREAD_S} s (source: ${result.origin.source})`,
    );
    console.log(`  uploads answered over        ${figures.upload_window_s} s`);
    console.log(
      `  superevents                  ${figures.superevents} (holding ${figures.events_in_superevent} events)`,
    );
    console.log(`  failed tasks                 ${figures.failed_tasks}`);
    console.log(`  last upload grouped after    ${figures.grouped_after_last_upload_s} s`);
    console.log(
      `  superevents.process          ${figures.process_runs} runs, p50 ${figures.process_p50_ms} ms, p95 ${figures.process_p95_ms} ms, max ${figures.process_max_ms} ms`,
    );
    for (const f of failed.slice(0, 5)) console.log(`  FAILED ${f.name}: ${f.error}`);
    const ok =
      figures.superevents === 1 && figures.events_in_superevent === UPLOADS && !failed.length;
    console.log(ok ? '  verdict: one superevent, no error' : '  verdict: FAILED');
    console.log(`RESULT ${JSON.stringify({ ...figures, ok })}`);
    if (!ok) process.exitCode = 1;
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
