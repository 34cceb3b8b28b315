import { Worker as BullWorker, DelayedError, type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { getLogger } from '../../log/index.js';
import type {
  Broker,
  Consumer,
  ConsumeSpec,
  DeliveryHandler,
  QueueStats,
  StoredEvent,
  WorkerInfo,
} from '../broker.js';
import type { TaskEvent } from '../events.js';
import { isFinal, type ResultRecord, type TaskMessage } from '../message.js';

const log = getLogger('broker.redis');

export interface RedisBrokerOptions {
  url: string;
  /** Every key starts with this (and a colon). */
  prefix: string;
  /** A running task stays claimed this long without renewal (stalled-job detection). */
  lockMs: number;
  /** Deliveries of a task whose worker died before it is failed for good. */
  maxRedeliveries: number;
  /** Task events kept: by age (ms) and by count. */
  eventsMaxAgeMs: number;
  eventsMaxCount: number;
}

// Compare-and-renew / compare-and-delete: a lease is only extended or released by its owner.
const ACQUIRE_LEASE = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
// SADD then SCARD atomically: a member counted twice (a redelivery) must not fire the body.
const CHORD_MEMBER = `
local added = redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if added == 0 then return -1 end
return redis.call('SCARD', KEYS[1])`;

/** BullMQ job ids may not contain ':' nor be integers; task ids may be anything. */
function jobIdOf(taskId: string): string {
  return `t.${taskId.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}

/**
 * The distributed broker: queues, priorities, countdowns and stalled-task recovery from BullMQ;
 * results, chords, leases, task events and worker heartbeats in plain Redis structures under
 * the same prefix.
 */
export class RedisBroker implements Broker {
  readonly kind = 'redis' as const;
  /** Shared by every Queue and by the engine's own commands. */
  private readonly client: Redis;
  private subscriber: Redis | undefined;
  private subscribed: Promise<unknown> | undefined;
  private readonly queues = new Map<string, Queue>();
  private readonly consumers = new Set<RedisConsumer>();
  private readonly resultWaiters = new Map<string, Set<(record: ResultRecord) => void>>();
  private readonly blockingClients = new Set<Redis>();
  private lastEventTrim = 0;
  private closed = false;

  constructor(readonly options: RedisBrokerOptions) {
    this.client = this.connect('commands');
    this.client.defineCommand('gwcAcquireLease', { numberOfKeys: 1, lua: ACQUIRE_LEASE });
    this.client.defineCommand('gwcReleaseLease', { numberOfKeys: 1, lua: RELEASE_LEASE });
    this.client.defineCommand('gwcChordMember', { numberOfKeys: 1, lua: CHORD_MEMBER });
  }

  /** A new connection; BullMQ needs maxRetriesPerRequest null so commands wait out outages. */
  connect(role: string): Redis {
    const redis = new Redis(this.options.url, {
      maxRetriesPerRequest: null,
      enableReadyCheck: true,
      connectionName: `gwcelery-${role}`,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    });
    redis.on('error', (err) => log.warn({ role, err: err.message }, 'redis connection error'));
    return redis;
  }

  private key(...parts: string[]): string {
    return [this.options.prefix, ...parts].join(':');
  }

  private bullQueue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.client, prefix: this.options.prefix });
      queue.on('error', (err) => log.warn({ queue: name, err: err.message }, 'queue error'));
      this.queues.set(name, queue);
      void this.client.sadd(this.key('queues'), name).catch(() => undefined);
    }
    return queue;
  }

  async publish(message: TaskMessage): Promise<void> {
    const delay = message.eta !== undefined ? message.eta - Date.now() : 0;
    await this.bullQueue(message.queue).add(message.task, message, {
      jobId: jobIdOf(message.id),
      ...(message.priority > 0 ? { priority: message.priority } : {}),
      ...(delay > 0 ? { delay } : {}),
      removeOnComplete: true,
      removeOnFail: { age: 7 * 86400 },
    });
  }

  consume(spec: ConsumeSpec, handler: DeliveryHandler): Consumer {
    const consumer = new RedisConsumer(this, spec, handler);
    this.consumers.add(consumer);
    consumer.onClose = () => this.consumers.delete(consumer);
    if (spec.serial) {
      void this.bullQueue(spec.queue)
        .setGlobalConcurrency(1)
        .catch((err: Error) =>
          log.error({ queue: spec.queue, err: err.message }, 'cannot serialise queue'),
        );
    }
    return consumer;
  }

  async queueStats(queues: string[]): Promise<Record<string, QueueStats>> {
    const known = await this.client.smembers(this.key('queues'));
    const stats: Record<string, QueueStats> = {};
    for (const name of new Set([...queues, ...known])) {
      const queue = this.bullQueue(name);
      const [counts, limit] = await Promise.all([
        queue.getJobCounts('wait', 'prioritized', 'active', 'delayed'),
        queue.getGlobalConcurrency(),
      ]);
      stats[name] = {
        waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        ...(limit ? { limit } : {}),
      };
    }
    return stats;
  }

  async scheduled(queues: string[], limit: number): Promise<TaskMessage[]> {
    const names = queues.length ? queues : await this.client.smembers(this.key('queues'));
    const found: TaskMessage[] = [];
    for (const name of names) {
      const jobs = await this.bullQueue(name).getDelayed(0, limit - 1);
      for (const job of jobs) found.push(job.data as TaskMessage);
    }
    return found.sort((a, b) => (a.eta ?? 0) - (b.eta ?? 0)).slice(0, limit);
  }

  async purge(name: string): Promise<number> {
    const queue = this.bullQueue(name);
    const counts = await queue.getJobCounts('wait', 'prioritized', 'delayed');
    await queue.drain(true);
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  async saveResult(record: ResultRecord, ttlMs: number): Promise<void> {
    const text = JSON.stringify(record);
    const pipeline = this.client.multi().set(this.key('result', record.id), text, 'PX', ttlMs);
    if (isFinal(record.state)) pipeline.publish(this.key('results'), text);
    await pipeline.exec();
  }

  async getResult(id: string): Promise<ResultRecord | undefined> {
    const text = await this.client.get(this.key('result', id));
    return text ? (JSON.parse(text) as ResultRecord) : undefined;
  }

  private ensureSubscribed(): Promise<unknown> {
    if (!this.subscribed) {
      const subscriber = this.connect('results');
      this.subscriber = subscriber;
      subscriber.on('message', (_channel: string, text: string) => {
        let record: ResultRecord;
        try {
          record = JSON.parse(text) as ResultRecord;
        } catch {
          return;
        }
        const waiters = this.resultWaiters.get(record.id);
        if (!waiters) return;
        this.resultWaiters.delete(record.id);
        for (const wake of waiters) wake(record);
      });
      this.subscribed = subscriber.subscribe(this.key('results'));
    }
    return this.subscribed;
  }

  async waitForResult(id: string, timeoutMs: number): Promise<ResultRecord | undefined> {
    let wake!: (record: ResultRecord | undefined) => void;
    const arrived = new Promise<ResultRecord | undefined>((resolve) => {
      wake = resolve;
    });
    let waiters = this.resultWaiters.get(id);
    if (!waiters) {
      waiters = new Set();
      this.resultWaiters.set(id, waiters);
    }
    waiters.add(wake);
    const forget = (): void => {
      const set = this.resultWaiters.get(id);
      set?.delete(wake);
      if (set?.size === 0) this.resultWaiters.delete(id);
    };
    // Subscribe before reading, so a result stored in between is not missed.
    await this.ensureSubscribed();
    const stored = await this.getResult(id);
    if (stored && isFinal(stored.state)) {
      forget();
      return stored;
    }
    const timer = setTimeout(() => wake(undefined), timeoutMs);
    try {
      return await arrived;
    } finally {
      clearTimeout(timer);
      forget();
    }
  }

  async chordMemberDone(
    chordId: string,
    memberId: string,
    ttlMs: number,
  ): Promise<number | undefined> {
    const n = (await (
      this.client as unknown as {
        gwcChordMember(key: string, member: string, ttl: number): Promise<number>;
      }
    ).gwcChordMember(this.key('chord', chordId), memberId, ttlMs)) as number;
    return n < 0 ? undefined : n;
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const client = this.client as unknown as {
      gwcAcquireLease(key: string, owner: string, ttl: number): Promise<number>;
    };
    return (await client.gwcAcquireLease(this.key('lease', name), owner, ttlMs)) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    const client = this.client as unknown as {
      gwcReleaseLease(key: string, owner: string): Promise<number>;
    };
    await client.gwcReleaseLease(this.key('lease', name), owner);
  }

  async getValue(key: string): Promise<string | undefined> {
    return (await this.client.get(this.key('value', key))) ?? undefined;
  }

  async setValue(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs) await this.client.set(this.key('value', key), value, 'PX', ttlMs);
    else await this.client.set(this.key('value', key), value);
  }

  async emitEvents(events: TaskEvent[]): Promise<void> {
    if (events.length === 0) return;
    const stream = this.key('events');
    const pipeline = this.client.pipeline();
    for (const event of events) {
      pipeline.xadd(
        stream,
        'MAXLEN',
        '~',
        this.options.eventsMaxCount,
        '*',
        'e',
        JSON.stringify(event),
      );
    }
    // Age-based trimming is cheap but not free: once a minute is plenty.
    const now = Date.now();
    if (now - this.lastEventTrim > 60_000) {
      this.lastEventTrim = now;
      pipeline.xtrim(stream, 'MINID', '~', String(now - this.options.eventsMaxAgeMs));
    }
    await pipeline.exec();
  }

  private static parseEntries(entries: [string, string[]][]): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (const [cursor, fields] of entries) {
      const i = fields.indexOf('e');
      if (i < 0) continue;
      try {
        out.push({ cursor, event: JSON.parse(fields[i + 1]) as TaskEvent });
      } catch {
        // a foreign entry in our stream: skip it
      }
    }
    return out;
  }

  async readEvents(after: string | undefined, limit: number): Promise<StoredEvent[]> {
    const start = after === undefined ? '-' : `(${after}`;
    const entries = (await this.client.xrange(this.key('events'), start, '+', 'COUNT', limit)) as [
      string,
      string[],
    ][];
    return RedisBroker.parseEntries(entries);
  }

  async tailEvents(after: string, limit: number, timeoutMs: number): Promise<StoredEvent[]> {
    const ready = await this.readEvents(after, limit);
    if (ready.length) return ready;
    // XREAD BLOCK holds its connection: use a dedicated one per waiting caller.
    const blocking = this.connect('events-tail');
    this.blockingClients.add(blocking);
    try {
      const reply = (await blocking.xread(
        'COUNT',
        limit,
        'BLOCK',
        Math.max(1, Math.round(timeoutMs)),
        'STREAMS',
        this.key('events'),
        after === '0' ? '0-0' : after,
      )) as [string, [string, string[]][]][] | null;
      return reply ? RedisBroker.parseEntries(reply[0][1]) : [];
    } finally {
      this.blockingClients.delete(blocking);
      blocking.disconnect();
    }
  }

  async heartbeat(info: WorkerInfo): Promise<void> {
    await this.client.hset(this.key('workers'), info.name, JSON.stringify(info));
  }

  async workers(): Promise<WorkerInfo[]> {
    const all = await this.client.hgetall(this.key('workers'));
    return Object.values(all).map((text) => JSON.parse(text) as WorkerInfo);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  /** Saves a failure for a task BullMQ gave up on (stalled too many times). */
  async recordAbandoned(job: Job, reason: string): Promise<void> {
    const message = job.data as TaskMessage;
    await this.saveResult(
      {
        id: message.id,
        task: message.task,
        state: 'FAILURE',
        error: { type: 'WorkerLost', message: reason },
        finishedAt: Date.now(),
      },
      7200_000,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.close(0)));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    for (const blocking of this.blockingClients) blocking.disconnect();
    this.subscriber?.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

class RedisConsumer implements Consumer {
  private readonly worker: BullWorker;
  /** BullMQ never closes a connection it was given: this consumer owns it. */
  private readonly connection: Redis;
  private readonly runningIds = new Set<string>();
  onClose: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(broker: RedisBroker, spec: ConsumeSpec, handler: DeliveryHandler) {
    const { options } = broker;
    this.connection = broker.connect(`worker-${spec.queue}`);
    this.worker = new BullWorker(
      spec.queue,
      async (job: Job, token?: string) => {
        const message = job.data as TaskMessage;
        this.runningIds.add(message.id);
        try {
          const outcome = await handler(message, { redelivered: job.stalledCounter ?? 0 });
          if (outcome.kind === 'retry') {
            await job.updateData(outcome.message);
            await job.moveToDelayed(Date.now() + outcome.delayMs, token);
            throw new DelayedError();
          }
        } finally {
          this.runningIds.delete(message.id);
        }
      },
      {
        connection: this.connection,
        prefix: options.prefix,
        concurrency: spec.concurrency,
        name: spec.workerName,
        lockDuration: options.lockMs,
        stalledInterval: options.lockMs,
        maxStalledCount: options.maxRedeliveries,
        autorun: true,
      },
    );
    this.worker.on('error', (err) =>
      log.warn({ queue: spec.queue, err: err.message }, 'worker error'),
    );
    this.worker.on('failed', (job, err) => {
      if (!job || err instanceof DelayedError || err.name === 'DelayedError') return;
      log.error(
        { queue: spec.queue, job: job.id, err: err.message },
        'task abandoned by the broker',
      );
      void broker.recordAbandoned(job, err.message).catch(() => undefined);
    });
  }

  running(): string[] {
    return [...this.runningIds];
  }

  close(graceMs: number): Promise<void> {
    this.closing ??= (async () => {
      // Stop fetching at once; let running tasks finish within the grace time. Tasks still
      // running after it keep their lock until it expires, then BullMQ redelivers them.
      const finished = this.worker.close();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      const result = await Promise.race([finished.then(() => 'done' as const), timeout]);
      clearTimeout(timer);
      if (result === 'timeout') {
        log.warn({ running: this.running() }, 'tasks still running after the grace time');
        await this.worker.close(true).catch(() => undefined);
      }
      this.connection.disconnect();
      this.onClose?.();
    })();
    return this.closing;
  }
}
