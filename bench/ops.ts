// Operations benchmark: task-history ingestion and search (the console's history), the console's
// task page and /metrics, and the Nagios check on a status file.
// BENCH_OPS_TASKS sets how many tasks are ingested (three events each).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config/index.js';
import { createApp, type TaskEvent, Worker } from '../src/engine/index.js';
import { configureLogging } from '../src/log/index.js';
import { startConsole } from '../src/ops/console/start-console.js';
import { TaskHistory } from '../src/ops/history/task-history.js';
import { runNagios } from '../src/ops/nagios/run-nagios.js';
import { startStatusFile } from '../src/ops/status/status-file.js';

const TASKS = Number(process.env.BENCH_OPS_TASKS ?? 60_000);
const BATCH = 1000;
const NAMES = [
  'superevents.handle',
  'superevents.process',
  'orchestrator.handle_superevent',
  'bayestar.localize',
  'em_bright.source_properties',
];

configureLogging({ level: 'warn', format: 'json' });
const dir = mkdtempSync(join(tmpdir(), 'bench-ops-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

/** Three events per task (sent, started, succeeded/failed), a superevent id every 50 tasks. */
function events(): TaskEvent[][] {
  const batches: TaskEvent[][] = [];
  let batch: TaskEvent[] = [];
  const t0 = Date.now() - 86_400_000;
  for (let i = 0; i < TASKS; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const name = NAMES[i % NAMES.length];
    const at = t0 + i * 100;
    const subjects = [
      `S230${String(100 + (i % 900)).padStart(3, '0')}${'abcdefgh'[Math.floor(i / 900) % 8]}`,
      `G${i}`,
    ];
    batch.push(
      {
        type: 'task-sent',
        id,
        name,
        timestamp: at,
        queue: 'celery',
        args: `["${subjects[0]}"]`,
        subjects,
      },
      { type: 'task-started', id, name, timestamp: at + 5, worker: 'w@bench' },
      i % 97 === 0
        ? {
            type: 'task-failed',
            id,
            name,
            timestamp: at + 40,
            error: 'Error: boom',
            traceback: 'Error: boom\n  at x',
          }
        : { type: 'task-succeeded', id, name, timestamp: at + 40, runtimeMs: 35, result: 'null' },
    );
    if (batch.length >= BATCH) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length) batches.push(batch);
  return batches;
}

async function main(): Promise<void> {
  const batches = events();
  const total = batches.reduce((n, b) => n + b.length, 0);

  // Baseline: the same events appended to a bare SQLite table (no merging, no indexes).
  const bare = new Database(join(dir, 'baseline.sqlite'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = NORMAL');
  bare.exec('CREATE TABLE events (id TEXT, type TEXT, at INTEGER, body TEXT)');
  const insert = bare.prepare('INSERT INTO events VALUES (?, ?, ?, ?)');
  const [, baselineMs] = time(() => {
    for (const b of batches) {
      bare.transaction(() => {
        for (const e of b) insert.run(e.id, e.type, e.timestamp, JSON.stringify(e));
      })();
    }
  });
  bare.close();

  const history = new TaskHistory(join(dir, 'history.sqlite'));
  const [, ingestMs] = time(() => {
    for (const [i, b] of batches.entries())
      history.ingest(b, { source: 'bench', value: String(i) });
  });
  const searches = {
    newest_100_ms: median(
      Array.from({ length: 20 }, () => time(() => history.search({ limit: 100 }))[1]),
    ),
    by_subject_ms: median(
      Array.from(
        { length: 20 },
        (_, i) => time(() => history.search({ subject: `S230${100 + i}a` }))[1],
      ),
    ),
    by_name_state_ms: median(
      Array.from(
        { length: 20 },
        () => time(() => history.search({ name: 'bayestar', state: 'FAILURE' }))[1],
      ),
    ),
    by_id_prefix_ms: median(
      Array.from(
        { length: 20 },
        (_, i) => time(() => history.search({ id: `00000000-0000-4000-8000-0000000${i}` }))[1],
      ),
    ),
  };

  // The console on that history: the task page (200 rows) and /metrics.
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: { broker_url: '', data_dir: join(dir, 'data'), nagios_check_mdc: false },
  });
  const app = createApp(config);
  const worker = new Worker(app, { queues: ['celery'], concurrency: 1, name: 'bench' });
  await worker.start();
  const running = await startConsole({ app, config, port: 0, history });
  const tasksPageMs = await timeAsync(() => fetch(`${running.url}tasks`).then((r) => r.text()), 20);
  const metricsMs = await timeAsync(() => fetch(`${running.url}metrics`).then((r) => r.text()), 20);
  const status = startStatusFile({ app, dataDir: config.data_dir, intervalMs: 60_000 });
  await status.write();
  const nagiosMs = await timeAsync(() => runNagios(config, { dataDir: config.data_dir }), 20);
  await status.close();
  await running.close();
  await worker.stop(100);
  await app.close();

  const [pruned, pruneMs] = time(() => history.prune(Date.now() - 12 * 3600_000));
  history.close();
  rmSync(dir, { recursive: true, force: true });

  const figures = {
    tasks: TASKS,
    events: total,
    ingest_events_per_s: Math.round((total / ingestMs) * 1000),
    baseline_events_per_s: Math.round((total / baselineMs) * 1000),
    ingest_vs_baseline: Number((ingestMs / baselineMs).toFixed(2)),
    newest_100_ms: Number(searches.newest_100_ms.toFixed(3)),
    by_subject_ms: Number(searches.by_subject_ms.toFixed(3)),
    by_name_state_ms: Number(searches.by_name_state_ms.toFixed(3)),
    by_id_prefix_ms: Number(searches.by_id_prefix_ms.toFixed(3)),
    tasks_page_ms: Number(tasksPageMs.toFixed(2)),
    metrics_ms: Number(metricsMs.toFixed(2)),
    nagios_status_file_ms: Number(nagiosMs.toFixed(2)),
    pruned_tasks: pruned,
    prune_ms: Math.round(pruneMs),
  };
  console.log(`task history: ${TASKS} tasks, ${total} events`);
  console.log(
    `  ingest      ${figures.ingest_events_per_s} events/s (bare SQLite append ${figures.baseline_events_per_s}/s; ${figures.ingest_vs_baseline}× its time)`,
  );
  console.log(
    `  search      newest 100 ${figures.newest_100_ms} ms, by superevent ${figures.by_subject_ms} ms, name+state ${figures.by_name_state_ms} ms, id prefix ${figures.by_id_prefix_ms} ms (median)`,
  );
  console.log(`  prune       ${pruned} tasks older than 12 h in ${figures.prune_ms} ms`);
  console.log(
    `console: /tasks ${figures.tasks_page_ms} ms, /metrics ${figures.metrics_ms} ms (median of 20)`,
  );
  console.log(`nagios --data: ${figures.nagios_status_file_ms} ms (median of 20)`);
  console.log(`RESULT ${JSON.stringify({ bench: 'ops', ...figures })}`);
}

await main();
