import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { getLogger } from '../../log/index.js';
import { Backoff, sleep } from '../backoff.js';
import type { Bus, SubscribeOptions, Subscription, SubscriptionStatus } from '../bus.js';
import { deliverUntilHandled } from '../deliver.js';
import { assertOffset, type BusMessage, compareOffsets, type StartPosition } from '../message.js';
import { publishWithRetry } from '../publish-retry.js';
import type { Published, PublishOptions } from '../publisher.js';
import { SubscriptionState } from '../subscription-state.js';
import { validateTopicName } from '../topic-name.js';

const log = getLogger('bus');

export interface RedisStreamsBusOptions {
  url: string;
  /** Key prefix: streams are `<prefix>:bus:<topic>`. */
  prefix: string;
  /** Approximate cap on entries per stream (XADD MAXLEN ~); 0: none. */
  maxLength?: number;
  /** Entries older than this are trimmed (XTRIM MINID ~); 0: never. */
  maxAgeMs?: number;
  /** A pending entry idle this long belongs to a dead consumer and is claimed (XAUTOCLAIM). */
  claimIdleMs?: number;
  /** How long a publish keeps retrying through an outage before it fails. */
  publishTimeoutMs?: number;
  /** How long one XREADGROUP blocks waiting for messages. */
  blockMs?: number;
  backoff?: Backoff;
}

const MAX_SEQ = '18446744073709551615';
const TRIM_EVERY = 1000;
const TRIM_INTERVAL_MS = 60_000;
const READ_COUNT = 128;

/** A stream id without its credentials: safe to log. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = '';
    return u.toString();
  } catch {
    return 'redis (unparsable URL)';
  }
}

function connect(url: string, name: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    // RESP2: stream replies as arrays of [key, entries] pairs, the layout decoded below.
    protocol: 2,
    // Fail fast while disconnected: the bus's own retry loops decide what to do and log why.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  });
  // Without a listener ioredis prints every connection error itself; ours are logged by the
  // loops that notice them, with this reason.
  redis.on('error', (err: Error) => lastErrors.set(redis, err.message));
  redis.on('ready', () => lastErrors.delete(redis));
  return redis;
}

const lastErrors = new WeakMap<Redis, string>();

async function ready(redis: Redis): Promise<void> {
  if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
  if (redis.status !== 'ready') {
    const reason = lastErrors.get(redis);
    throw new Error(`Redis connection is ${redis.status}${reason ? `: ${reason}` : ''}`);
  }
}

type Entry = [id: Buffer, fields: Buffer[] | null];

function decodeEntry(topic: string, entry: Entry): BusMessage | undefined {
  const [idBuf, fields] = entry;
  if (!fields) return undefined; // trimmed while pending
  const id = idBuf.toString();
  const message: BusMessage = {
    topic,
    partition: 0,
    offset: id,
    value: Buffer.alloc(0),
    headers: {},
    timestamp: Number(id.slice(0, id.indexOf('-'))),
  };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i].toString();
    if (name === 'v') message.value = fields[i + 1];
    else if (name === 'k') message.key = fields[i + 1].toString();
    else if (name === 'h') message.headers = JSON.parse(fields[i + 1].toString());
  }
  return message;
}

/** The stream id just before `id`, so that XGROUP SETID makes `id` the next one delivered. */
function predecessor(id: string): string {
  assertOffset(id);
  const [ms, seq] = id.includes('-') ? id.split('-') : [id, '0'];
  if (BigInt(seq) > 0n) return `${ms}-${BigInt(seq) - 1n}`;
  if (BigInt(ms) === 0n) return '0';
  return `${BigInt(ms) - 1n}-${MAX_SEQ}`;
}

/**
 * The multi-process driver: one Redis stream per topic, consumer groups with XREADGROUP and
 * XACK, streams capped by length and age, and recovery of a dead consumer's pending entries with
 * XAUTOCLAIM. With appendonly persistence a Redis restart loses no acknowledged publish.
 */
export class RedisStreamsBus implements Bus {
  readonly driver = 'redis' as const;
  readonly description: string;
  readonly options: Required<Omit<RedisStreamsBusOptions, 'backoff'>> & { backoff: Backoff };
  private readonly client: Redis;
  private readonly subscriptions = new Set<RedisStreamsSubscription>();
  private readonly trimState = new Map<string, { count: number; at: number }>();
  private closed = false;

  constructor(options: RedisStreamsBusOptions) {
    this.options = {
      maxLength: 100_000,
      maxAgeMs: 0,
      claimIdleMs: 60_000,
      publishTimeoutMs: 30_000,
      blockMs: 5000,
      backoff: new Backoff({ initialMs: 100, maxMs: 5000 }),
      ...options,
    };
    this.description = `redis streams ${describeUrl(options.url)} (prefix ${options.prefix})`;
    this.client = connect(options.url, 'gwcelery-bus');
  }

  streamKey(topic: string): string {
    return `${this.options.prefix}:bus:${topic}`;
  }

  async publish(
    topic: string,
    value: string | Uint8Array,
    options: PublishOptions = {},
  ): Promise<Published> {
    if (this.closed) throw new Error(`cannot publish to topic '${topic}': the bus is closed`);
    validateTopicName(topic);
    const key = this.streamKey(topic);
    const args: (string | Buffer | number)[] = [key];
    if (this.options.maxLength > 0) args.push('MAXLEN', '~', this.options.maxLength);
    args.push('*', 'v', Buffer.from(value), 'h', JSON.stringify(options.headers ?? {}));
    if (options.key !== undefined) args.push('k', options.key);
    const id = await publishWithRetry(
      topic,
      this.options.publishTimeoutMs,
      this.options.backoff,
      async () => {
        await ready(this.client);
        return String(await this.client.call('XADD', ...args));
      },
    );
    await this.maybeTrimByAge(topic, key);
    return { offset: id, partition: 0 };
  }

  private async maybeTrimByAge(topic: string, key: string): Promise<void> {
    if (!(this.options.maxAgeMs > 0)) return;
    const now = Date.now();
    const state = this.trimState.get(topic) ?? { count: 0, at: 0 };
    state.count++;
    this.trimState.set(topic, state);
    if (state.count < TRIM_EVERY && now - state.at < TRIM_INTERVAL_MS) return;
    state.count = 0;
    state.at = now;
    try {
      await this.client.call('XTRIM', key, 'MINID', '~', String(now - this.options.maxAgeMs));
    } catch (err) {
      log.warn({ topic, err }, `trimming stream ${key} by age failed; will try again`);
    }
  }

  subscribe(options: SubscribeOptions): Subscription {
    if (this.closed) throw new Error('cannot subscribe: the bus is closed');
    for (const topic of options.topics) validateTopicName(topic);
    const subscription = new RedisStreamsSubscription(this, options);
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  async listTopics(): Promise<string[]> {
    await ready(this.client);
    const prefix = `${this.options.prefix}:bus:`;
    const topics: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = (await this.client.call(
        'SCAN',
        cursor,
        'MATCH',
        `${prefix}*`,
        'TYPE',
        'stream',
        'COUNT',
        '1000',
      )) as [string, string[]];
      cursor = next;
      for (const key of keys) topics.push(key.slice(prefix.length));
    } while (cursor !== '0');
    return topics.sort();
  }

  async seekGroup(group: string, topic: string, position: StartPosition): Promise<void> {
    validateTopicName(topic);
    const id = idFor(position);
    const key = this.streamKey(topic);
    await ready(this.client);
    try {
      await this.client.call('XGROUP', 'CREATE', key, group, id, 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).startsWith('BUSYGROUP')) throw err;
      await this.client.call('XGROUP', 'SETID', key, group, id);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.client.disconnect();
  }

  /** @internal */
  forget(subscription: RedisStreamsSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /** @internal The bus's own (non-blocking) connection, for group administration and lag. */
  async adminClient(): Promise<Redis> {
    await ready(this.client);
    return this.client;
  }

  /** @internal */
  newConnection(name: string): Redis {
    return connect(this.options.url, name);
  }
}

class RedisStreamsSubscription implements Subscription {
  readonly group: string;
  readonly topics: readonly string[];
  private readonly consumer: string;
  private readonly keys: string[];
  private readonly topicOfKey = new Map<string, string>();
  private readonly state: SubscriptionState;
  private readonly abort = new AbortController();
  private readonly conn: Redis;
  private readonly backoff: Backoff;
  private running?: Promise<void>;
  private readyPromise: Promise<void>;
  private resolveReady!: () => void;
  private groupsReady = false;
  private readonly pendingSeeks = new Map<string, StartPosition>();

  constructor(
    private readonly bus: RedisStreamsBus,
    private readonly options: SubscribeOptions,
  ) {
    this.group = options.group;
    this.topics = [...options.topics];
    this.consumer = options.consumer ?? `${hostname()}:${process.pid}`;
    this.keys = this.topics.map((t) => bus.streamKey(t));
    for (const [i, t] of this.topics.entries()) this.topicOfKey.set(this.keys[i], t);
    this.state = new SubscriptionState('redis', this.group, this.consumer, this.topics, log);
    this.conn = bus.newConnection(`gwcelery-bus:${this.group}:${this.consumer}`);
    this.backoff = options.backoff ?? bus.options.backoff;
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    if (options.from) for (const topic of this.topics) this.pendingSeeks.set(topic, options.from);
  }

  start(): void {
    this.running = this.loop();
  }

  private async createGroups(recreate: boolean): Promise<void> {
    // After an outage that lost the stream (Redis without persistence) start from the
    // beginning of whatever is there: duplicates are deduplicated, losses are not recoverable.
    const initial = recreate || this.options.initial === 'earliest' ? '0' : '$';
    for (const key of this.keys) {
      try {
        await this.conn.call('XGROUP', 'CREATE', key, this.group, initial, 'MKSTREAM');
      } catch (err) {
        if (!String((err as Error).message).startsWith('BUSYGROUP')) throw err;
      }
    }
  }

  private async applySeeks(): Promise<void> {
    for (const [topic, position] of this.pendingSeeks) {
      await this.conn.call(
        'XGROUP',
        'SETID',
        this.bus.streamKey(topic),
        this.group,
        idFor(position),
      );
      this.pendingSeeks.delete(topic);
    }
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    const retry = this.backoff.clone();
    let readPending = true;
    let nextClaimAt = 0;
    let recreate = false;
    while (!signal.aborted) {
      try {
        await ready(this.conn);
        if (!this.groupsReady) {
          await this.createGroups(recreate);
          this.groupsReady = true;
        }
        if (this.pendingSeeks.size) await this.applySeeks();
        this.resolveReady();

        let batch: BusMessage[];
        if (readPending) {
          // Entries delivered to this consumer but never acknowledged (a crash, an XACK lost in
          // an outage): delivered again before anything new.
          batch = await this.read('0', false);
          if (batch.length === 0) readPending = false;
        } else if (Date.now() >= nextClaimAt) {
          batch = await this.claimAbandoned();
          nextClaimAt = Date.now() + Math.max(1000, this.bus.options.claimIdleMs / 2);
        } else {
          batch = await this.read('>', true);
        }
        // Up only once a read worked: a failure right after connecting is not a recovery.
        this.state.up();
        retry.reset();
        for (const message of batch) {
          if (signal.aborted) break;
          const ok = await deliverUntilHandled(
            message,
            this.options.handler,
            this.state,
            this.backoff,
            signal,
          );
          if (!ok) break;
          await this.conn.call(
            'XACK',
            this.bus.streamKey(message.topic),
            this.group,
            message.offset,
          );
        }
      } catch (err) {
        if (signal.aborted) break;
        if (String((err as Error).message).startsWith('NOGROUP')) {
          // The stream or group vanished (Redis restarted without persistence, or someone
          // deleted the key): recreate it.
          this.groupsReady = false;
          recreate = true;
        }
        readPending = true;
        const delay = retry.next();
        this.state.down(err, delay);
        await sleep(delay, signal);
      }
    }
  }

  private async read(id: '0' | '>', block: boolean): Promise<BusMessage[]> {
    const args: (string | number)[] = ['GROUP', this.group, this.consumer, 'COUNT', READ_COUNT];
    if (block) args.push('BLOCK', this.bus.options.blockMs);
    args.push('STREAMS', ...this.keys, ...this.keys.map(() => id));
    const reply = (await this.conn.callBuffer('XREADGROUP', ...args)) as [Buffer, Entry[]][] | null;
    const out: BusMessage[] = [];
    for (const [keyBuf, entries] of reply ?? []) {
      const topic = this.topicOfKey.get(keyBuf.toString())!;
      for (const entry of entries) {
        const message = decodeEntry(topic, entry);
        if (message) out.push(message);
        else await this.conn.call('XACK', keyBuf, this.group, entry[0]); // trimmed: nothing to do
      }
    }
    return out;
  }

  /** Takes over entries a dead consumer of the group left pending for too long. */
  private async claimAbandoned(): Promise<BusMessage[]> {
    const out: BusMessage[] = [];
    for (const key of this.keys) {
      const topic = this.topicOfKey.get(key)!;
      const reply = (await this.conn.callBuffer(
        'XAUTOCLAIM',
        key,
        this.group,
        this.consumer,
        this.bus.options.claimIdleMs,
        '0-0',
        'COUNT',
        READ_COUNT,
      )) as [Buffer, Entry[], Buffer[]?];
      const entries = reply[1] ?? [];
      for (const entry of entries) {
        const message = decodeEntry(topic, entry);
        if (message) out.push(message);
      }
      if (entries.length) {
        log.warn(
          { group: this.group, consumer: this.consumer, topic, claimed: entries.length },
          `claimed ${entries.length} pending message(s) of '${topic}' left by a dead consumer of group '${this.group}'`,
        );
      }
    }
    out.sort((a, b) => compareOffsets(a.offset, b.offset));
    return out;
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  async seek(topic: string, position: StartPosition): Promise<void> {
    if (!this.topics.includes(topic)) {
      throw new Error(`cannot seek topic '${topic}': the subscription does not read it`);
    }
    await this.bus.seekGroup(this.group, topic, position);
  }

  async lag(): Promise<Record<string, number>> {
    const client = await this.bus.adminClient();
    const out: Record<string, number> = {};
    for (const topic of this.topics) {
      out[topic] = await groupLag(client, this.bus.streamKey(topic), this.group);
    }
    return out;
  }

  status(): SubscriptionStatus {
    return this.state.snapshot();
  }

  async close(): Promise<void> {
    this.abort.abort();
    // A blocked XREADGROUP would hold the loop for up to blockMs: cut the connection instead.
    this.conn.disconnect();
    await this.running;
    this.resolveReady();
    this.bus.forget(this);
  }
}

function idFor(position: StartPosition): string {
  if (position === 'earliest') return '0';
  if (position === 'latest') return '$';
  if ('timestamp' in position) {
    const t = Math.floor(position.timestamp);
    return t <= 0 ? '0' : `${t - 1}-${MAX_SEQ}`;
  }
  return predecessor(position.offset);
}

/** Entries of the stream this group has not acknowledged: undelivered plus pending. */
async function groupLag(client: Redis, key: string, group: string): Promise<number> {
  const groups = (await client.call('XINFO', 'GROUPS', key)) as unknown[][];
  for (const flat of groups) {
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1]);
    if (info.get('name') !== group) continue;
    const pending = Number(info.get('pending') ?? 0);
    const lag = info.get('lag');
    if (lag !== null && lag !== undefined) return Number(lag) + pending;
    // Redis cannot tell (after SETID or trimming): count what follows the group's position.
    const last = String(info.get('last-delivered-id') ?? '0-0');
    const rest = (await client.call('XRANGE', key, `(${last}`, '+', 'COUNT', 100_000)) as unknown[];
    return rest.length + pending;
  }
  throw new Error(`consumer group '${group}' does not exist on stream ${key}`);
}
