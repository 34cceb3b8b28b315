import { getLogger } from '../log/index.js';
import type { Broker } from './broker.js';
import type { TaskEvent } from './events.js';

const log = getLogger('engine.events');

const FLUSH_INTERVAL_MS = 20;
const FLUSH_BATCH = 512;
/** Events waiting while the broker is unreachable; beyond this the oldest are dropped. */
const MAX_PENDING = 50_000;

type Listener = (event: TaskEvent) => void;

/**
 * Task events are observability, never part of a task's work: they are buffered and written in
 * batches (one round trip for hundreds of events), and a broker outage drops old events rather
 * than slowing tasks down.
 */
export class EventBuffer {
  private pending: TaskEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private dropped = 0;
  /** After a failed write, wait longer before the next one instead of hammering a dead broker. */
  private backoffMs = FLUSH_INTERVAL_MS;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly broker: Broker) {}

  emit(event: TaskEvent): void {
    for (const listener of this.listeners) listener(event);
    this.pending.push(event);
    if (this.pending.length > MAX_PENDING) {
      this.dropped += this.pending.length - MAX_PENDING;
      this.pending.splice(0, this.pending.length - MAX_PENDING);
    }
    if (this.pending.length >= FLUSH_BATCH && !this.flushing) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.backoffMs);
      this.timer.unref();
    }
  }

  /** In-process subscription (the embedded pipeline's console, tests). */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.broker
      .emitEvents(batch)
      .then(() => {
        this.backoffMs = FLUSH_INTERVAL_MS;
      })
      .catch((err: unknown) => {
        this.backoffMs = Math.min(5000, this.backoffMs * 4);
        // Put them back (bounded) so a short outage loses nothing.
        this.pending = batch.concat(this.pending).slice(-MAX_PENDING);
        log.warn(
          { err: (err as Error).message, events: batch.length },
          'could not store task events',
        );
      })
      .finally(() => {
        this.flushing = undefined;
        if (this.pending.length && !this.timer) {
          this.timer = setTimeout(() => void this.flush(), this.backoffMs);
          this.timer.unref();
        }
      });
    await this.flushing;
    if (this.dropped) {
      log.warn({ dropped: this.dropped }, 'task events dropped while the broker was unreachable');
      this.dropped = 0;
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
