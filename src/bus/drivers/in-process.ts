import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { getLogger } from '../../log/index.js';
import { Backoff, sleep } from '../backoff.js';
import type { Bus, SubscribeOptions, Subscription, SubscriptionStatus } from '../bus.js';
import { deliverUntilHandled } from '../deliver.js';
import { assertOffset, type BusMessage, type StartPosition } from '../message.js';
import type { PublishOptions } from '../publisher.js';
import { SubscriptionState } from '../subscription-state.js';
import { validateTopicName } from '../topic-name.js';
import {
  MemoryMessageLog,
  type MessageLog,
  type RetentionLimits,
  type StoredMessage,
} from './message-log.js';
import { SqliteMessageLog } from './sqlite-message-log.js';

const log = getLogger('bus');

export interface InProcessBusOptions {
  /** SQLite journal file; without one, messages and offsets live only as long as the process. */
  journal?: string;
  retention?: RetentionLimits;
  backoff?: Backoff;
}

const TRIM_EVERY = 1000;
const JOURNAL_POLL_MS = 1000;
const READ_BATCH = 256;

/**
 * A group's position on one topic. Members of the group take messages from the shared cursor in
 * turn; the committed offset is the lowest one not yet handled, so a restart redelivers exactly
 * the messages whose handling did not finish.
 */
interface GroupCursor {
  next: bigint;
  buffered: StoredMessage[];
  inflight: Set<bigint>;
  redeliver: bigint[];
  committed: bigint;
}

/**
 * The embedded driver: topics are logs inside this process (optionally journalled to SQLite),
 * for the one-command pipeline and the tests. Same semantics as the distributed drivers:
 * consumer groups, committed offsets, at-least-once delivery, replay by offset or time.
 */
export class InProcessBus implements Bus {
  readonly driver = 'in-process' as const;
  readonly description: string;
  private readonly store: MessageLog;
  private readonly retention: RetentionLimits;
  readonly backoff: Backoff;
  private readonly cursors = new Map<string, GroupCursor>();
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions = new Set<InProcessSubscription>();
  private readonly appendsSinceTrim = new Map<string, number>();
  private lastTimestamp = 0;
  private closed = false;
  private readonly journalled: boolean;

  constructor(options: InProcessBusOptions = {}) {
    this.journalled = Boolean(options.journal);
    this.store = options.journal ? new SqliteMessageLog(options.journal) : new MemoryMessageLog();
    this.description = options.journal ? `in-process (journal ${options.journal})` : 'in-process';
    this.retention = options.retention ?? { maxLength: 0, maxAgeMs: 0 };
    this.backoff = options.backoff ?? new Backoff({ initialMs: 100, maxMs: 5000 });
  }

  async publish(
    topic: string,
    value: string | Uint8Array,
    options: PublishOptions = {},
  ): Promise<{ offset: string; partition: number }> {
    if (this.closed) throw new Error(`cannot publish to topic '${topic}': the bus is closed`);
    validateTopicName(topic);
    // Monotonic timestamps keep replay-by-time a bisection even if the wall clock steps back.
    const timestamp = Math.max(Date.now(), this.lastTimestamp);
    this.lastTimestamp = timestamp;
    const offset = this.store.append(topic, {
      timestamp,
      key: options.key,
      headers: { ...(options.headers ?? {}) },
      value: Buffer.from(value),
    });
    const appended = (this.appendsSinceTrim.get(topic) ?? 0) + 1;
    if (appended >= TRIM_EVERY) {
      this.store.trim(topic, this.retention, Date.now());
      this.appendsSinceTrim.set(topic, 0);
    } else {
      this.appendsSinceTrim.set(topic, appended);
    }
    this.wake();
    return { offset: String(offset), partition: 0 };
  }

  subscribe(options: SubscribeOptions): Subscription {
    if (this.closed) throw new Error('cannot subscribe: the bus is closed');
    for (const topic of options.topics) validateTopicName(topic);
    const subscription = new InProcessSubscription(this, options);
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  async listTopics(): Promise<string[]> {
    return this.store.topics();
  }

  async seekGroup(group: string, topic: string, position: StartPosition): Promise<void> {
    validateTopicName(topic);
    this.seek(group, topic, position);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.wake();
    this.store.close();
  }

  /** @internal */
  forget(subscription: InProcessSubscription): void {
    this.subscriptions.delete(subscription);
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
  }

  /**
   * @internal Resolves on the next publish or seek (or when the signal fires). With a journal,
   * also after a second: another process (`gwcelery bus publish`) may have appended to it.
   */
  waitForChange(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = this.journalled ? setTimeout(() => done(), JOURNAL_POLL_MS) : undefined;
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private cursor(group: string, topic: string, initial: 'earliest' | 'latest'): GroupCursor {
    const id = `${group}\0${topic}`;
    let cursor = this.cursors.get(id);
    if (!cursor) {
      let next = this.store.committed(group, topic);
      if (next === undefined) {
        next = initial === 'earliest' ? this.store.start(topic) : this.store.end(topic);
        // Committing the starting point at once: a restart before the first message must not
        // move a 'latest' group past messages published in between.
        this.store.commit(group, topic, next);
      }
      cursor = { next, buffered: [], inflight: new Set(), redeliver: [], committed: next };
      this.cursors.set(id, cursor);
    }
    return cursor;
  }

  /** @internal */
  open(group: string, topics: readonly string[], initial: 'earliest' | 'latest'): void {
    for (const topic of topics) this.cursor(group, topic, initial);
  }

  /** @internal The next message for a member of `group`, or undefined when all are handled. */
  claim(group: string, topics: readonly string[], turn: number): BusMessage | undefined {
    for (let i = 0; i < topics.length; i++) {
      const topic = topics[(turn + i) % topics.length];
      const cursor = this.cursor(group, topic, 'latest');
      let stored: StoredMessage | undefined;
      while (cursor.redeliver.length && !stored) {
        const offset = cursor.redeliver.shift()!;
        stored = this.store.read(topic, offset, 1).find((m) => m.offset === offset);
        if (stored) cursor.inflight.add(offset);
      }
      if (!stored) {
        const start = this.store.start(topic);
        if (cursor.next < start) {
          // Retention dropped messages this group never read; say so rather than stall.
          log.warn(
            { group, topic, from: String(cursor.next), to: String(start) },
            `bus retention dropped messages ${cursor.next}..${start - 1n} of '${topic}' before group '${group}' read them`,
          );
          cursor.next = start;
          cursor.buffered = [];
        }
        if (!cursor.buffered.length && cursor.next < this.store.end(topic)) {
          cursor.buffered = this.store.read(topic, cursor.next, READ_BATCH);
        }
        stored = cursor.buffered.shift();
        if (stored) {
          cursor.next = stored.offset + 1n;
          cursor.inflight.add(stored.offset);
        }
      }
      if (stored) {
        return {
          topic,
          partition: 0,
          offset: String(stored.offset),
          key: stored.key,
          value: stored.value,
          headers: { ...stored.headers },
          timestamp: stored.timestamp,
        };
      }
    }
    return undefined;
  }

  /** @internal The message was handled (true) or abandoned by a closing member (false). */
  settle(group: string, message: BusMessage, handled: boolean): void {
    const cursor = this.cursor(group, message.topic, 'latest');
    const offset = BigInt(message.offset);
    if (!cursor.inflight.delete(offset)) return; // a seek since then made it irrelevant
    if (!handled) {
      cursor.redeliver.push(offset);
      cursor.redeliver.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.wake();
    }
    this.recommit(group, message.topic, cursor);
  }

  private recommit(group: string, topic: string, cursor: GroupCursor): void {
    let lowest = cursor.next;
    for (const o of cursor.inflight) if (o < lowest) lowest = o;
    for (const o of cursor.redeliver) if (o < lowest) lowest = o;
    if (lowest !== cursor.committed) {
      cursor.committed = lowest;
      this.store.commit(group, topic, lowest);
    }
  }

  /** @internal */
  seek(group: string, topic: string, position: StartPosition): void {
    const cursor = this.cursor(group, topic, 'latest');
    const start = this.store.start(topic);
    const end = this.store.end(topic);
    let next: bigint;
    if (position === 'earliest') next = start;
    else if (position === 'latest') next = end;
    else if ('timestamp' in position) next = this.store.offsetForTime(topic, position.timestamp);
    else {
      assertOffset(position.offset);
      if (position.offset.includes('-')) {
        throw new Error(`offset '${position.offset}' is a Redis stream id, not an in-process one`);
      }
      next = BigInt(position.offset);
      if (next < start) next = start;
      if (next > end) next = end;
    }
    cursor.next = next;
    cursor.buffered = [];
    cursor.inflight.clear();
    cursor.redeliver = [];
    cursor.committed = next;
    this.store.commit(group, topic, next);
    this.wake();
  }

  /** @internal */
  lagOf(group: string, topic: string): number {
    const cursor = this.cursor(group, topic, 'latest');
    const end = this.store.end(topic);
    return Number(end - cursor.committed);
  }
}

class InProcessSubscription implements Subscription {
  readonly group: string;
  readonly topics: readonly string[];
  private readonly state: SubscriptionState;
  private readonly abort = new AbortController();
  private running?: Promise<void>;
  private readonly backoff: Backoff;

  constructor(
    private readonly bus: InProcessBus,
    private readonly options: SubscribeOptions,
  ) {
    this.group = options.group;
    this.topics = [...options.topics];
    const consumer = options.consumer ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.state = new SubscriptionState('in-process', this.group, consumer, this.topics, log);
    this.backoff = options.backoff ?? bus.backoff;
  }

  start(): void {
    this.bus.open(this.group, this.topics, this.options.initial ?? 'latest');
    if (this.options.from) {
      for (const topic of this.topics) this.bus.seek(this.group, topic, this.options.from);
    }
    this.state.up();
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    const retry = this.backoff.clone();
    let turn = 0;
    while (!signal.aborted) {
      let message: BusMessage | undefined;
      try {
        message = this.bus.claim(this.group, this.topics, turn++);
        if (!this.state.isConnected()) this.state.up();
        retry.reset();
      } catch (err) {
        // The journal failed (disk full, file removed): keep trying rather than die.
        const delay = retry.next();
        this.state.down(err, delay);
        await sleep(delay, signal);
        continue;
      }
      if (!message) {
        await this.bus.waitForChange(signal);
        continue;
      }
      const ok = await deliverUntilHandled(
        message,
        this.options.handler,
        this.state,
        this.backoff,
        signal,
      );
      try {
        this.bus.settle(this.group, message, ok);
      } catch (err) {
        const delay = retry.next();
        this.state.down(err, delay);
        await sleep(delay, signal);
      }
    }
  }

  async ready(): Promise<void> {}

  async seek(topic: string, position: StartPosition): Promise<void> {
    if (!this.topics.includes(topic)) {
      throw new Error(`cannot seek topic '${topic}': the subscription does not read it`);
    }
    this.bus.seek(this.group, topic, position);
  }

  async lag(): Promise<Record<string, number>> {
    return Object.fromEntries(this.topics.map((t) => [t, this.bus.lagOf(this.group, t)]));
  }

  status(): SubscriptionStatus {
    return this.state.snapshot();
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.running;
    this.bus.forget(this);
  }
}
