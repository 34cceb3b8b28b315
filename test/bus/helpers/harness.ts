import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff } from '../../../src/bus/backoff.js';
import type { Bus } from '../../../src/bus/bus.js';
import { InProcessBus } from '../../../src/bus/drivers/in-process.js';
import { KafkaBus } from '../../../src/bus/drivers/kafka.js';
import { RedisStreamsBus } from '../../../src/bus/drivers/redis-streams.js';
import type { DedupStore } from '../../../src/bus/igwn-alert/dedup-store.js';
import { RedisDedupStore } from '../../../src/bus/igwn-alert/redis-dedup-store.js';
import { SqliteDedupStore } from '../../../src/bus/igwn-alert/sqlite-dedup-store.js';
import type { BusMessage } from '../../../src/bus/message.js';
import { KafkaMock } from '../../helpers/kafka-mock.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

/** Fast retries so that tests of outages and redeliveries finish quickly. */
export const testBackoff = () => new Backoff({ initialMs: 20, maxMs: 300 });

/**
 * One driver under test: a factory for bus instances that share one backing store (so that a
 * "restart" is a new instance on the same data) and unique topics per test.
 */
export interface DriverHarness {
  name: 'in-process' | 'redis' | 'kafka';
  makeBus(): Promise<Bus>;
  /** A fresh topic; drivers with partitions create it with `partitions` (default 1). */
  topic(label: string, partitions?: number): Promise<string>;
  /** Creates topics on drivers that need them to exist (one partition each). */
  ensureTopics(names: string[]): Promise<void>;
  /** A dedup store on the harness's durable backing: a new instance sees what others wrote. */
  dedupStore(): DedupStore;
  /** Why replay by time cannot be checked on this driver, or false when it can. */
  timeSeekUnsupported: string | false;
  /** Why seekGroup (a stopped group) cannot be checked on this driver, or false when it can. */
  groupSeekUnsupported: string | false;
  cleanup(): Promise<void>;
}

let counter = 0;
function unique(label: string): string {
  return `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function inProcessHarness(): Promise<DriverHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'gwt-bus-'));
  const journal = join(dir, 'bus.sqlite');
  const buses: Bus[] = [];
  const stores: DedupStore[] = [];
  return {
    name: 'in-process',
    async makeBus() {
      const bus = new InProcessBus({ journal, backoff: testBackoff() });
      buses.push(bus);
      return bus;
    },
    async topic(label) {
      return unique(label);
    },
    async ensureTopics() {},
    dedupStore() {
      const store = new SqliteDedupStore(join(dir, 'dedup.sqlite'));
      stores.push(store);
      return store;
    },
    timeSeekUnsupported: false,
    groupSeekUnsupported: false,
    async cleanup() {
      for (const bus of buses) await bus.close();
      for (const store of stores) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function redisHarness(url = SHARED_REDIS_URL): Promise<DriverHarness> {
  const prefix = uniquePrefix('bus');
  const buses: Bus[] = [];
  const stores: DedupStore[] = [];
  return {
    name: 'redis',
    async makeBus() {
      const bus = new RedisStreamsBus({
        url,
        prefix,
        backoff: testBackoff(),
        blockMs: 200,
        claimIdleMs: 500,
        publishTimeoutMs: 10_000,
      });
      buses.push(bus);
      return bus;
    },
    async topic(label) {
      return unique(label);
    },
    async ensureTopics() {},
    dedupStore() {
      const store = new RedisDedupStore(url, prefix);
      stores.push(store);
      return store;
    },
    timeSeekUnsupported: false,
    groupSeekUnsupported: false,
    async cleanup() {
      for (const bus of buses) await bus.close();
      for (const store of stores) await store.close();
      await deletePrefix(url, prefix);
    },
  };
}

export async function kafkaHarness(mock?: KafkaMock): Promise<DriverHarness & { mock: KafkaMock }> {
  const cluster = mock ?? (await KafkaMock.start());
  const buses: Bus[] = [];
  const stores: DedupStore[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'gwt-bus-kafka-'));
  return {
    name: 'kafka',
    mock: cluster,
    async makeBus() {
      const bus = new KafkaBus({
        client: { brokers: cluster.brokers, clientId: 'gwcelery-test' },
        backoff: testBackoff(),
        commitIntervalMs: 100,
        sessionTimeoutMs: 6000,
        heartbeatIntervalMs: 300,
        publishTimeoutMs: 20_000,
      });
      buses.push(bus);
      return bus;
    },
    async topic(label, partitions = 1) {
      const name = unique(label);
      await cluster.createTopic(name, partitions);
      return name;
    },
    async ensureTopics(names) {
      for (const name of names) await cluster.createTopic(name, 1);
    },
    dedupStore() {
      const store = new SqliteDedupStore(join(dir, 'dedup.sqlite'));
      stores.push(store);
      return store;
    },
    timeSeekUnsupported:
      'librdkafka 2.0 mock cluster answers ListOffsets by timestamp with the end offset',
    groupSeekUnsupported:
      'librdkafka 2.0 mock cluster lacks DescribeGroups, which kafkajs admin.setOffsets needs',
    async cleanup() {
      for (const bus of buses) await bus.close();
      for (const store of stores) await store.close();
      if (!mock) await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Collects delivered messages; `until(n)` waits for the n-th one. */
export class Collector {
  readonly messages: BusMessage[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  failNext = 0;

  readonly handler = async (message: BusMessage): Promise<void> => {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('handler refused (test)');
    }
    this.messages.push(message);
    this.waiters = this.waiters.filter((w) => {
      if (this.messages.length >= w.n) w.resolve();
      return this.messages.length < w.n;
    });
  };

  values(): string[] {
    return this.messages.map((m) => m.value.toString());
  }

  until(n: number, timeoutMs = 30_000): Promise<void> {
    if (this.messages.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `timed out waiting for ${n} messages; got ${this.messages.length}: ${this.values()}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** Polls `check` until it returns true (tests assert behaviour, so they wait for it). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Gives a subscription time to deliver anything it (wrongly) would, before asserting none. */
export function settle(ms = 300): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
