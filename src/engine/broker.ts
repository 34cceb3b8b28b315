import type { TaskEvent } from './events.js';
import type { ResultRecord, TaskMessage } from './message.js';

/** How a delivery ended, as the worker tells the broker. */
export type Outcome = { kind: 'ack' } | { kind: 'retry'; message: TaskMessage; delayMs: number };

export interface DeliveryInfo {
  /** How many times this message was delivered before without finishing (its worker died). */
  redelivered: number;
}

export type DeliveryHandler = (message: TaskMessage, info: DeliveryInfo) => Promise<Outcome>;

export interface ConsumeSpec {
  queue: string;
  /** Tasks of this queue run at once in this consumer. */
  concurrency: number;
  workerName: string;
  /**
   * Strictly one task of this queue at a time across every consumer of every process (a queue
   * served with -c 1, like the superevent manager's).
   */
  serial: boolean;
}

export interface Consumer {
  /** Stops taking tasks, waits up to graceMs for running ones, then gives up on them. */
  close(graceMs: number): Promise<void>;
  /** Ids of the tasks running now. */
  running(): string[];
}

export interface WorkerInfo {
  name: string;
  hostname: string;
  pid: number;
  queues: string[];
  concurrency: number;
  startedAt: number;
  lastHeartbeat: number;
  /** Tasks running now (id, name, start time). */
  active: { id: string; name: string; startedAt: number }[];
  /** Anything a subsystem running in this worker wants `inspect` to show (listener topics, ...). */
  stats?: Record<string, unknown>;
  /** Set when the worker stopped cleanly. */
  stoppedAt?: number;
}

export interface QueueStats {
  waiting: number;
  active: number;
  delayed: number;
  /** Serial queues: the global concurrency limit in force. */
  limit?: number;
}

export interface StoredEvent {
  /** Position in the event log; pass it back to read what came after. */
  cursor: string;
  event: TaskEvent;
}

/**
 * Everything the engine needs from a broker. Two implementations: embedded (in-process, with an
 * optional SQLite journal) and Redis (BullMQ). One contract test suite runs on both.
 */
export interface Broker {
  readonly kind: 'embedded' | 'redis';

  /** Enqueues a message; honours message.eta; a message whose id is already queued is dropped. */
  publish(message: TaskMessage): Promise<void>;
  consume(spec: ConsumeSpec, handler: DeliveryHandler): Consumer;
  queueStats(queues: string[]): Promise<Record<string, QueueStats>>;
  /** Countdown and ETA tasks not yet due. */
  scheduled(queues: string[], limit: number): Promise<TaskMessage[]>;
  /** Removes waiting and scheduled tasks of a queue; returns how many. */
  purge(queue: string): Promise<number>;

  saveResult(record: ResultRecord, ttlMs: number): Promise<void>;
  getResult(id: string): Promise<ResultRecord | undefined>;
  /** Resolves with the result once it is final, or undefined after timeoutMs. */
  waitForResult(id: string, timeoutMs: number): Promise<ResultRecord | undefined>;
  /**
   * Records that a chord member finished. Returns how many distinct members have finished, or
   * undefined when this member had been recorded before (a redelivery must not count twice).
   */
  chordMemberDone(chordId: string, memberId: string, ttlMs: number): Promise<number | undefined>;

  /** Takes or renews a named lease; true when `owner` holds it afterwards. */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;
  getValue(key: string): Promise<string | undefined>;
  setValue(key: string, value: string, ttlMs?: number): Promise<void>;

  emitEvents(events: TaskEvent[]): Promise<void>;
  /** Events after a cursor (oldest first); no cursor reads from the oldest kept. */
  readEvents(after: string | undefined, limit: number): Promise<StoredEvent[]>;
  /** Waits up to timeoutMs for events after the cursor (live tail). */
  tailEvents(after: string, limit: number, timeoutMs: number): Promise<StoredEvent[]>;

  heartbeat(info: WorkerInfo, ttlMs: number): Promise<void>;
  workers(): Promise<WorkerInfo[]>;

  /** Reachability check (Nagios "No connection to broker"). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
