/**
 * Publish → deliver figures of each bus driver, in one process: sequential publishes (each
 * awaited, as the embedded GraceDB publishes one change at a time) give the per-message latency
 * a listener sees; a burst of concurrent publishes gives throughput. The in-process driver
 * without a journal is the baseline the others are compared with.
 *
 *   npm run bench:bus                  # all drivers (Kafka needs librdkafka-dev, Redis on :6379)
 *   BENCH_BUS_N=500 npm run bench:bus  # fewer messages
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff } from '../src/bus/backoff.js';
import type { Bus } from '../src/bus/bus.js';
import { InProcessBus } from '../src/bus/drivers/in-process.js';
import { KafkaBus } from '../src/bus/drivers/kafka.js';
import { RedisStreamsBus } from '../src/bus/drivers/redis-streams.js';
import { KafkaMock } from '../test/helpers/kafka-mock.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../test/helpers/redis.js';

const N = Number(process.env.BENCH_BUS_N ?? 2000);
const KAFKA_N = Math.min(N, 500);
const BURST = 100;

interface Figures {
  messages: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number };
  sequential_msgs_per_s: number;
  burst_msgs_per_s: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(name: string, bus: Bus, topic: string, n: number): Promise<Figures> {
  const latencies: number[] = [];
  let delivered = 0;
  let target = 0;
  let wake: (() => void) | undefined;
  const sub = bus.subscribe({
    group: `bench-${name}`,
    topics: [topic],
    initial: 'latest',
    backoff: new Backoff({ initialMs: 10, maxMs: 200 }),
    handler: async (m) => {
      const sent = Number(m.headers.sent);
      latencies.push(performance.timeOrigin + performance.now() - sent);
      delivered++;
      if (delivered >= target) wake?.();
    },
  });
  await sub.ready();
  const waitFor = (count: number) =>
    new Promise<void>((resolve) => {
      target = count;
      if (delivered >= count) resolve();
      else wake = resolve;
    });
  const payload = JSON.stringify({ uid: 'S1', alert_type: 'log', data: { N: 1 }, object: {} });
  const now = () => String(performance.timeOrigin + performance.now());

  // Warm-up (connections, group join), not measured.
  await bus.publish(topic, payload, { headers: { sent: now() } });
  await waitFor(1);
  latencies.length = 0;

  const seqStart = performance.now();
  for (let i = 0; i < n; i++) {
    await bus.publish(topic, payload, { headers: { sent: now() } });
    await waitFor(2 + i); // one at a time: the latency a lone change sees
  }
  const seqS = (performance.now() - seqStart) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);

  const burstStart = performance.now();
  for (let i = 0; i < n; i += BURST) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + BURST); j++) {
      batch.push(bus.publish(topic, payload, { headers: { sent: now() } }));
    }
    await Promise.all(batch);
  }
  await waitFor(1 + 2 * n);
  const burstS = (performance.now() - burstStart) / 1000;
  await sub.close();
  return {
    messages: n,
    latency_ms: {
      p50: +percentile(sorted, 50).toFixed(3),
      p90: +percentile(sorted, 90).toFixed(3),
      p99: +percentile(sorted, 99).toFixed(3),
      max: +sorted[sorted.length - 1].toFixed(3),
    },
    sequential_msgs_per_s: Math.round(n / seqS),
    burst_msgs_per_s: Math.round(n / burstS),
  };
}

const results: Record<string, Figures | { skipped: string }> = {};
const print = (name: string, f: Figures) =>
  console.log(
    `${name.padEnd(22)} ${String(f.messages).padStart(5)} msgs  latency p50 ${f.latency_ms.p50.toFixed(2)} ms  p99 ${f.latency_ms.p99.toFixed(2)} ms  sequential ${f.sequential_msgs_per_s}/s  burst ${f.burst_msgs_per_s}/s`,
  );

const memory = new InProcessBus();
results['in-process'] = await measure('memory', memory, 'bench.memory', N);
print('in-process (memory)', results['in-process'] as Figures);
await memory.close();

const dir = mkdtempSync(join(tmpdir(), 'gw-bench-bus-'));
const journalled = new InProcessBus({ journal: join(dir, 'bus.sqlite') });
results['in-process-journal'] = await measure('journal', journalled, 'bench.journal', N);
print('in-process (journal)', results['in-process-journal'] as Figures);
await journalled.close();
rmSync(dir, { recursive: true, force: true });

const prefix = uniquePrefix('bench');
const redis = new RedisStreamsBus({ url: SHARED_REDIS_URL, prefix, blockMs: 1000 });
try {
  results.redis = await measure('redis', redis, 'bench.redis', N);
  print('redis streams', results.redis as Figures);
} catch (err) {
  results.redis = { skipped: (err as Error).message };
  console.log(`redis streams          skipped: ${(err as Error).message}`);
} finally {
  await redis.close();
  await deletePrefix(SHARED_REDIS_URL, prefix).catch(() => undefined);
}

let mock: KafkaMock | undefined;
try {
  mock = await KafkaMock.start();
  await mock.createTopic('bench.kafka');
  const kafka = new KafkaBus({
    client: { brokers: mock.brokers, clientId: 'bench' },
    commitIntervalMs: 1000,
    heartbeatIntervalMs: 1000,
  });
  results.kafka = await measure('kafka', kafka, 'bench.kafka', KAFKA_N);
  print('kafka (librdkafka mock)', results.kafka as Figures);
  await kafka.close();
} catch (err) {
  results.kafka = { skipped: (err as Error).message.split('\n')[0] };
  console.log(`kafka                  skipped: ${(err as Error).message.split('\n')[0]}`);
} finally {
  await mock?.stop();
}

const base = results['in-process'] as Figures;
const ratios: Record<string, number> = {};
for (const [name, f] of Object.entries(results)) {
  if (name === 'in-process' || 'skipped' in f) continue;
  ratios[`${name}_p50_latency_vs_in_process`] = +(f.latency_ms.p50 / base.latency_ms.p50).toFixed(
    1,
  );
}
console.log('ratios against the in-process baseline:', ratios);
console.log(`RESULT ${JSON.stringify({ bench: 'bus', results, ratios })}`);
