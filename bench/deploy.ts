/**
 * How fast the local back end brings a deployment back: `deploy up` until both workers beat,
 * a worker killed with SIGKILL until its replacement beats (against the baseline: a worker
 * started by hand, until its first heartbeat), a task whose worker is killed mid-way until its
 * result arrives, and `deploy down`. Runs on the Redis at 127.0.0.1:6379 with its own prefix,
 * with the test preset (heartbeats every 0.5 s, redelivery after 1.5 s, restart wait 0.2 s).
 *
 *   npm run bench:deploy                     # 5 kills
 *   BENCH_DEPLOY_KILLS=10 npm run bench:deploy
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/index.js';
import { createApp } from '../src/engine/index.js';
import { GWCELERY_BIN } from '../src/ops/deploy/installation.js';
import type { SupervisorReport } from '../src/ops/deploy/local/supervisor.js';
import { longJob, startsKey } from '../test/deploy/fixtures/tasks.js';
import { runGwcelery } from '../test/deploy/helpers/run-cli.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../test/helpers/redis.js';

const KILLS = Number(process.env.BENCH_DEPLOY_KILLS ?? 5);
const TASKS = fileURLToPath(new URL('../test/deploy/fixtures/tasks.ts', import.meta.url));
const prefix = uniquePrefix('bench-deploy');
process.env.GWCELERY_REDIS_PREFIX = prefix;
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gwt-bench-deploy-')));
const env = { GWCELERY_REDIS_PREFIX: prefix, TEST_REDIS_URL: SHARED_REDIS_URL };
const workerArgs = (queue: string) => ['-f', '{log_file}', '-Q', queue, '-c', '1', '-I', TASKS];
writeFileSync(
  join(dir, 'gwcelery.json'),
  JSON.stringify({
    broker_url: SHARED_REDIS_URL,
    deploy_restart_backoff_s: 0.2,
    deploy_stable_after_s: 1,
    deploy_processes: ['celery', 'superevent'].map((queue) => ({
      name: `gwcelery-${queue}-worker`,
      args: ['worker', '-n', '{name}@{host}', ...workerArgs(queue)],
      log_file: '{log_dir}/{name}@{host}.log',
    })),
  }),
);
const deploy = (...args: string[]) =>
  runGwcelery(['--config-file', 'gwcelery.json', 'deploy', ...args], { cwd: dir, env });
const app = createApp(
  loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: { broker_url: SHARED_REDIS_URL, redis_prefix: prefix },
  }),
);
const redis = new Redis(SHARED_REDIS_URL);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until a worker with this name beats from a pid other than `not`; returns its pid. */
async function beating(name: string, not?: number): Promise<number> {
  for (;;) {
    const w = (await app.broker.workers()).find(
      (x) => x.name.startsWith(`${name}@`) && !x.stoppedAt && x.pid !== not,
    );
    if (w) return w.pid;
    await sleep(10);
  }
}

async function report(): Promise<SupervisorReport> {
  return JSON.parse((await deploy('status', '--json')).stdout) as SupervisorReport;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 1000) / 1000;

try {
  // Baseline: a worker started by hand, until its first heartbeat.
  const cold: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [GWCELERY_BIN, 'worker', '-n', `bench-cold-${i}@host`, ...workerArgs('celery').slice(2)],
      {
        env: {
          ...process.env,
          ...env,
          GWCELERY_CONFIG: 'test',
          GWCELERY_BROKER_URL: SHARED_REDIS_URL,
        },
        stdio: 'ignore',
      },
    );
    await beating(`bench-cold-${i}`);
    cold.push((performance.now() - t0) / 1000);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }

  let t0 = performance.now();
  const up = await deploy('up');
  if (up.code !== 0) throw new Error(`deploy up failed: ${up.stderr}`);
  await Promise.all(
    ['gwcelery-celery-worker', 'gwcelery-superevent-worker'].map((n) => beating(n)),
  );
  const upS = (performance.now() - t0) / 1000;

  const restarts: number[] = [];
  let pid = await beating('gwcelery-celery-worker');
  for (let i = 0; i < KILLS; i++) {
    await sleep(1200); // past deploy_stable_after_s: each kill is a first crash (0.2 s wait)
    t0 = performance.now();
    process.kill(pid, 'SIGKILL');
    pid = await beating('gwcelery-celery-worker', pid);
    restarts.push((performance.now() - t0) / 1000);
  }

  await sleep(1200);
  const result = await longJob.delay(1000);
  while ((await redis.llen(startsKey())) < 1) await sleep(10);
  t0 = performance.now();
  process.kill(pid, 'SIGKILL');
  await app.result(result.id).get(60_000);
  const recoveryS = (performance.now() - t0) / 1000;

  const restartCount = (await report()).processes[0].restarts;
  t0 = performance.now();
  const down = await deploy('down');
  const downS = (performance.now() - t0) / 1000;
  if (down.code !== 0) throw new Error(`deploy down failed: ${down.stderr}`);

  const figures = {
    bench: 'deploy',
    preset: 'test',
    worker_cold_start_s: round(median(cold)),
    deploy_up_until_workers_beat_s: round(upS),
    restart_after_sigkill_s: {
      median: round(median(restarts)),
      max: round(Math.max(...restarts)),
      kills: KILLS,
    },
    restart_over_cold_start: round(median(restarts) / median(cold)),
    task_result_after_sigkill_s: round(recoveryS),
    task_lock_ms: app.config.task_lock_ms,
    deploy_down_command_s: round(downS),
    restarts_counted: restartCount,
  };
  console.log(`worker cold start (by hand, to first heartbeat): ${figures.worker_cold_start_s} s`);
  console.log(
    `deploy up until both workers beat:              ${figures.deploy_up_until_workers_beat_s} s`,
  );
  console.log(
    `SIGKILL until the restarted worker beats:       median ${figures.restart_after_sigkill_s.median} s, max ${figures.restart_after_sigkill_s.max} s over ${KILLS} kills (${figures.restart_over_cold_start}x a cold start)`,
  );
  console.log(
    `SIGKILL mid-task until its result:              ${figures.task_result_after_sigkill_s} s (task_lock_ms ${figures.task_lock_ms})`,
  );
  console.log(`deploy down (command, all stopped):             ${figures.deploy_down_command_s} s`);
  console.log(`RESULT ${JSON.stringify(figures)}`);
} finally {
  await deploy('down');
  await app.close();
  redis.disconnect();
  await deletePrefix(SHARED_REDIS_URL, prefix);
  rmSync(dir, { recursive: true, force: true });
}
