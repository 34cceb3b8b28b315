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
import { Journal } from './journal.js';
import { Fifo, MinHeap } from './queues.js';

const log = getLogger('broker.embedded');

const EVENT_RING = 100_000;
const SWEEP_MS = 30_000;

interface Pending {
  message: TaskMessage;
  redelivered: number;
}

class EmbeddedConsumer implements Consumer {
  active = 0;
  closed = false;
  readonly runningIds = new Set<string>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly spec: ConsumeSpec,
    readonly handler: DeliveryHandler,
    private readonly detach: (consumer: EmbeddedConsumer) => void,
  ) {}

  get hasCapacity(): boolean {
    return !this.closed && this.active < this.spec.concurrency;
  }

  finished(id: string): void {
    this.active--;
    this.runningIds.delete(id);
    if (this.active === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  running(): string[] {
    return [...this.runningIds];
  }

  async close(graceMs: number): Promise<void> {
    this.closed = true;
    this.detach(this);
    if (this.active === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (this.active > 0) {
      log.warn(
        { queue: this.spec.queue, running: this.running() },
        'tasks still running after the grace time; the journal will run them again at the next start',
      );
    }
  }
}

class QueueState {
  readonly buckets = new Map<number, Fifo<Pending>>();
  readonly consumers: EmbeddedConsumer[] = [];
  active = 0;
  serial = false;
  private next = 0;

  get waiting(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) n += bucket.length;
    return n;
  }

  push(item: Pending): void {
    let bucket = this.buckets.get(item.message.priority);
    if (!bucket) {
      bucket = new Fifo();
      this.buckets.set(item.message.priority, bucket);
    }
    bucket.push(item);
  }

  /** Lowest priority number first, FIFO within a priority. */
  pop(): Pending | undefined {
    let best: number | undefined;
    for (const [priority, bucket] of this.buckets) {
      if (bucket.length && (best === undefined || priority < best)) best = priority;
    }
    return best === undefined ? undefined : this.buckets.get(best)?.shift();
  }

  /** Round-robin over consumers with a free slot. */
  pickConsumer(): EmbeddedConsumer | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const consumer = this.consumers[(this.next + i) % n];
      if (consumer.hasCapacity) {
        this.next = (this.next + i + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }
}

export interface EmbeddedBrokerOptions {
  /** SQLite file that makes queued tasks, countdowns and results survive a restart. */
  journalPath?: string;
}

/**
 * The in-process broker of the one-command pipeline and of tests: no server to run, the same
 * contract as the Redis broker, and with a journal the same durability across restarts.
 */
export class EmbeddedBroker implements Broker {
  readonly kind = 'embedded' as const;
  private readonly queues = new Map<string, QueueState>();
  private readonly delayed = new MinHeap<Pending>(
    (a, b) => (a.message.eta ?? 0) < (b.message.eta ?? 0),
  );
  private delayTimer: NodeJS.Timeout | undefined;
  private delayTimerAt = Number.POSITIVE_INFINITY;
  /** Ids queued, scheduled or running: a second publish of one of them is dropped. */
  private readonly known = new Set<string>();
  private readonly results = new Map<string, { record: ResultRecord; expiresAt: number }>();
  private readonly resultWaiters = new Map<string, Set<(record: ResultRecord) => void>>();
  private readonly chords = new Map<string, { members: Set<string>; expiresAt: number }>();
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();
  private readonly values = new Map<string, { value: string; expiresAt?: number }>();
  private readonly events: StoredEvent[] = [];
  private eventSeq = 0;
  private eventWaiters: (() => void)[] = [];
  private readonly workerInfo = new Map<string, WorkerInfo>();
  private readonly journal: Journal | undefined;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(options: EmbeddedBrokerOptions = {}) {
    this.journal = options.journalPath ? new Journal(options.journalPath) : undefined;
    if (this.journal) this.restore(this.journal);
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  private restore(journal: Journal): void {
    const now = Date.now();
    for (const { record, expiresAt } of journal.results(now)) {
      this.results.set(record.id, { record, expiresAt });
    }
    for (const { chord, member, expiresAt } of journal.chords(now)) {
      let entry = this.chords.get(chord);
      if (!entry) {
        entry = { members: new Set(), expiresAt };
        this.chords.set(chord, entry);
      }
      entry.members.add(member);
    }
    for (const { key, value, expiresAt } of journal.values(now)) {
      this.values.set(key, { value, ...(expiresAt ? { expiresAt } : {}) });
    }
    const tasks = journal.tasks();
    for (const pending of tasks) this.enqueue(pending);
    if (tasks.length) log.info({ tasks: tasks.length }, 'restored queued and scheduled tasks');
  }

  private queue(name: string): QueueState {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new QueueState();
      this.queues.set(name, queue);
    }
    return queue;
  }

  async publish(message: TaskMessage): Promise<void> {
    if (this.closed) throw new Error('broker is closed');
    if (this.known.has(message.id)) {
      log.debug({ task_id: message.id }, 'duplicate task id dropped');
      return;
    }
    this.journal?.putTask(message);
    this.enqueue({ message, redelivered: 0 });
  }

  private enqueue(pending: Pending): void {
    this.known.add(pending.message.id);
    if (pending.message.eta !== undefined && pending.message.eta > Date.now()) {
      this.delayed.push(pending);
      this.armDelayTimer();
    } else {
      this.queue(pending.message.queue).push(pending);
      this.schedulePump(pending.message.queue);
    }
  }

  private readonly pumpsDue = new Set<string>();

  /**
   * Delivery happens on the next turn of the event loop, never inside publish(): the sender
   * finishes (and records "sent") before the task starts, as with a real broker.
   */
  private schedulePump(name: string): void {
    if (this.pumpsDue.size === 0) {
      setImmediate(() => {
        const due = [...this.pumpsDue];
        this.pumpsDue.clear();
        for (const queue of due) this.pump(queue);
      });
    }
    this.pumpsDue.add(name);
  }

  private armDelayTimer(): void {
    const next = this.delayed.peek();
    if (!next || this.closed) return;
    const at = next.message.eta ?? 0;
    if (this.delayTimer && at >= this.delayTimerAt) return;
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.delayTimerAt = at;
    // Timers longer than ~24.8 days overflow; re-arm in steps.
    const wait = Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1);
    this.delayTimer = setTimeout(() => this.promoteDue(), wait);
    this.delayTimer.unref();
  }

  private promoteDue(): void {
    this.delayTimer = undefined;
    this.delayTimerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const touched = new Set<string>();
    for (let next = this.delayed.peek(); next && (next.message.eta ?? 0) <= now; ) {
      this.delayed.pop();
      this.queue(next.message.queue).push(next);
      touched.add(next.message.queue);
      next = this.delayed.peek();
    }
    for (const name of touched) this.schedulePump(name);
    this.armDelayTimer();
  }

  private pump(name: string): void {
    const queue = this.queues.get(name);
    if (!queue) return;
    while (!this.closed) {
      if (queue.serial && queue.active >= 1) return;
      const consumer = queue.pickConsumer();
      if (!consumer) return;
      const pending = queue.pop();
      if (!pending) return;
      this.deliver(queue, name, consumer, pending);
    }
  }

  private deliver(
    queue: QueueState,
    name: string,
    consumer: EmbeddedConsumer,
    pending: Pending,
  ): void {
    const { message } = pending;
    queue.active++;
    consumer.active++;
    consumer.runningIds.add(message.id);
    this.journal?.startTask(message.id);
    consumer
      .handler(message, { redelivered: pending.redelivered })
      .then((outcome) => {
        if (this.closed) return;
        if (outcome.kind === 'retry') {
          this.journal?.putTask(outcome.message);
          this.known.delete(message.id);
          this.enqueue({ message: outcome.message, redelivered: 0 });
        } else {
          this.known.delete(message.id);
          this.journal?.deleteTask(message.id);
        }
      })
      .catch((err: unknown) => {
        // The worker could not even record the outcome: deliver again later rather than lose it.
        log.error({ task_id: message.id, err: (err as Error).message }, 'delivery failed');
        if (this.closed) return;
        this.known.delete(message.id);
        this.enqueue({
          message: { ...message, eta: Date.now() + 1000 },
          redelivered: pending.redelivered + 1,
        });
      })
      .finally(() => {
        queue.active--;
        consumer.finished(message.id);
        this.pump(name);
      });
  }

  consume(spec: ConsumeSpec, handler: DeliveryHandler): Consumer {
    const queue = this.queue(spec.queue);
    const consumer = new EmbeddedConsumer(spec, handler, (c) => {
      const i = queue.consumers.indexOf(c);
      if (i >= 0) queue.consumers.splice(i, 1);
      queue.serial = queue.consumers.some((other) => other.spec.serial);
    });
    queue.consumers.push(consumer);
    queue.serial ||= spec.serial;
    queueMicrotask(() => this.pump(spec.queue));
    return consumer;
  }

  async queueStats(queues: string[]): Promise<Record<string, QueueStats>> {
    const stats: Record<string, QueueStats> = {};
    const delayed = this.delayed.toArray();
    for (const name of new Set([...queues, ...this.queues.keys()])) {
      const queue = this.queues.get(name);
      stats[name] = {
        waiting: queue?.waiting ?? 0,
        active: queue?.active ?? 0,
        delayed: delayed.filter((p) => p.message.queue === name).length,
        ...(queue?.serial ? { limit: 1 } : {}),
      };
    }
    return stats;
  }

  async scheduled(queues: string[], limit: number): Promise<TaskMessage[]> {
    const wanted = new Set(queues);
    return this.delayed
      .toArray()
      .map((p) => p.message)
      .filter((m) => wanted.size === 0 || wanted.has(m.queue))
      .sort((a, b) => (a.eta ?? 0) - (b.eta ?? 0))
      .slice(0, limit);
  }

  async purge(name: string): Promise<number> {
    const removed: string[] = [];
    const match = (p: Pending): boolean => {
      if (p.message.queue !== name) return false;
      removed.push(p.message.id);
      return true;
    };
    const queue = this.queues.get(name);
    if (queue) for (const bucket of queue.buckets.values()) bucket.removeWhere(match);
    this.delayed.removeWhere(match);
    for (const id of removed) this.known.delete(id);
    this.journal?.deleteTasks(removed);
    return removed.length;
  }

  async saveResult(record: ResultRecord, ttlMs: number): Promise<void> {
    const expiresAt = Date.now() + ttlMs;
    this.results.set(record.id, { record, expiresAt });
    this.journal?.putResult(record, expiresAt);
    if (isFinal(record.state)) {
      const waiters = this.resultWaiters.get(record.id);
      if (waiters) {
        this.resultWaiters.delete(record.id);
        for (const wake of waiters) wake(record);
      }
    }
  }

  async getResult(id: string): Promise<ResultRecord | undefined> {
    const entry = this.results.get(id);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return entry.record;
  }

  async waitForResult(id: string, timeoutMs: number): Promise<ResultRecord | undefined> {
    const existing = await this.getResult(id);
    if (existing && isFinal(existing.state)) return existing;
    return new Promise((resolve) => {
      let waiters = this.resultWaiters.get(id);
      if (!waiters) {
        waiters = new Set();
        this.resultWaiters.set(id, waiters);
      }
      const wake = (record: ResultRecord): void => {
        clearTimeout(timer);
        resolve(record);
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        if (waiters.size === 0) this.resultWaiters.delete(id);
        resolve(undefined);
      }, timeoutMs);
      waiters.add(wake);
    });
  }

  async chordMemberDone(
    chordId: string,
    memberId: string,
    ttlMs: number,
  ): Promise<number | undefined> {
    const expiresAt = Date.now() + ttlMs;
    let entry = this.chords.get(chordId);
    if (!entry) {
      entry = { members: new Set(), expiresAt };
      this.chords.set(chordId, entry);
    }
    if (entry.members.has(memberId)) return undefined;
    entry.members.add(memberId);
    this.journal?.putChordMember(chordId, memberId, expiresAt);
    return entry.members.size;
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const lease = this.leases.get(name);
    if (lease && lease.owner !== owner && lease.expiresAt > now) return false;
    this.leases.set(name, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }

  async getValue(key: string): Promise<string | undefined> {
    const entry = this.values.get(key);
    if (!entry || (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()))
      return undefined;
    return entry.value;
  }

  async setValue(key: string, value: string, ttlMs?: number): Promise<void> {
    const expiresAt = ttlMs ? Date.now() + ttlMs : undefined;
    this.values.set(key, { value, ...(expiresAt ? { expiresAt } : {}) });
    this.journal?.putValue(key, value, expiresAt);
  }

  async emitEvents(events: TaskEvent[]): Promise<void> {
    for (const event of events) {
      this.events.push({ cursor: String(++this.eventSeq), event });
    }
    if (this.events.length > EVENT_RING) this.events.splice(0, this.events.length - EVENT_RING);
    for (const wake of this.eventWaiters.splice(0)) wake();
  }

  async readEvents(after: string | undefined, limit: number): Promise<StoredEvent[]> {
    const seq = after === undefined ? 0 : Number(after);
    const first = this.events.length ? Number(this.events[0].cursor) : this.eventSeq + 1;
    const start = Math.max(0, seq + 1 - first);
    return this.events.slice(start, start + limit);
  }

  async tailEvents(after: string, limit: number, timeoutMs: number): Promise<StoredEvent[]> {
    const ready = await this.readEvents(after, limit);
    if (ready.length || this.closed) return ready;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.eventWaiters;
      function done(): void {
        clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
      waiters.push(done);
    });
    return this.readEvents(after, limit);
  }

  async heartbeat(info: WorkerInfo): Promise<void> {
    this.workerInfo.set(info.name, info);
  }

  async workers(): Promise<WorkerInfo[]> {
    return [...this.workerInfo.values()];
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('broker is closed');
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.results) if (entry.expiresAt <= now) this.results.delete(id);
    for (const [id, entry] of this.chords) if (entry.expiresAt <= now) this.chords.delete(id);
    for (const [key, entry] of this.values) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.values.delete(key);
    }
    this.journal?.expire(now);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    if (this.delayTimer) clearTimeout(this.delayTimer);
    for (const wake of this.eventWaiters.splice(0)) wake();
    this.journal?.close();
  }
}
