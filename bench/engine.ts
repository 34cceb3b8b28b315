// Engine benchmark: no-op throughput and round-trip latency on the Redis and embedded brokers.
// Redis: GWCELERY_BROKER_URL, or a private redis-server started on a free loopback port.
import { loadConfig } from '../src/config/index.js';
import { noop, ping } from '../src/engine/builtin-tasks.js';
import { type App, createApp, Worker } from '../src/engine/index.js';
import { configureLogging } from '../src/log/index.js';
import { deletePrefix, PrivateRedis, uniquePrefix } from '../test/helpers/redis.js';

const TASKS = Number(process.env.BENCH_TASKS ?? 20_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 2_000);

interface Figures {
  c1_tps: number;
  c16_tps: number;
  rt_p50_ms: number;
  rt_p99_ms: number;
}

configureLogging({ level: 'warn', format: 'json' });

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function newApp(brokerUrl: string, prefix: string): App {
  return createApp(
    loadConfig({
      env: { GWCELERY_CONFIG: 'test' },
      overrides: { broker_url: brokerUrl, redis_prefix: prefix, data_dir: '', log_level: 'warn' },
    }),
  );
}

/** Sends `TASKS` no-ops, then lets one worker drain them; tasks per second of draining. */
async function throughput(brokerUrl: string, concurrency: number): Promise<number> {
  const prefix = uniquePrefix('bench');
  const app = newApp(brokerUrl, prefix);
  const queue = `bench-c${concurrency}`;
  for (let sent = 0; sent < TASKS; ) {
    const batch = Math.min(1000, TASKS - sent);
    await Promise.all(Array.from({ length: batch }, () => noop.applyAsync([], { queue })));
    sent += batch;
  }
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  app.events.subscribe((event) => {
    if (event.type === 'task-succeeded' && ++done === TASKS) finish();
  });
  // c=1 is also what makes a queue strictly serial across processes (the superevent queue).
  const worker = new Worker(app, { queues: [queue], concurrency });
  const start = performance.now();
  await worker.start();
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await worker.stop(1000);
  await app.close();
  if (brokerUrl) await deletePrefix(brokerUrl, prefix);
  return TASKS / seconds;
}

/** Sequential calls, each waiting for its result. */
async function roundTrip(brokerUrl: string): Promise<{ p50: number; p99: number }> {
  const prefix = uniquePrefix('bench');
  const app = newApp(brokerUrl, prefix);
  const worker = new Worker(app, { queues: ['celery'], concurrency: 4 });
  await worker.start();
  for (let i = 0; i < 50; i++) await (await ping.delay(i)).get(5000); // warm-up
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    await (await ping.delay(i)).get(5000);
    times.push(performance.now() - t0);
  }
  await worker.stop(1000);
  await app.close();
  if (brokerUrl) await deletePrefix(brokerUrl, prefix);
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

async function measure(brokerUrl: string): Promise<Figures> {
  const c1 = await throughput(brokerUrl, 1);
  const c16 = await throughput(brokerUrl, 16);
  const rt = await roundTrip(brokerUrl);
  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  return {
    c1_tps: round(c1, 0),
    c16_tps: round(c16, 0),
    rt_p50_ms: round(rt.p50, 3),
    rt_p99_ms: round(rt.p99, 3),
  };
}

let privateRedis: PrivateRedis | undefined;
let redisUrl = process.env.GWCELERY_BROKER_URL ?? '';
if (!redisUrl.startsWith('redis')) {
  privateRedis = await PrivateRedis.start();
  redisUrl = privateRedis.url;
}
try {
  const redis = await measure(redisUrl);
  const embedded = await measure('');
  const rows = [
    '| broker | tasks/s c=1 | tasks/s c=16 | round trip p50 (ms) | round trip p99 (ms) |',
    '|---|---|---|---|---|',
    `| redis (BullMQ) | ${redis.c1_tps} | ${redis.c16_tps} | ${redis.rt_p50_ms} | ${redis.rt_p99_ms} |`,
    `| embedded | ${embedded.c1_tps} | ${embedded.c16_tps} | ${embedded.rt_p50_ms} | ${embedded.rt_p99_ms} |`,
  ];
  process.stdout.write(`${rows.join('\n')}\n\n`);
  process.stdout.write(
    `Reference (gwcelery on Celery, same machine and Redis): 1184 tasks/s, round trip 2.2 ms; target for the Redis broker: >= 5000 tasks/s at c=16, p50 <= 1.5 ms.\n`,
  );
  process.stdout.write(`RESULT ${JSON.stringify({ redis, embedded })}\n`);
} finally {
  await privateRedis?.stop();
}
process.exit(0);
