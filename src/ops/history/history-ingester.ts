import { randomUUID } from 'node:crypto';
import type { Broker } from '../../engine/broker.js';
import { getLogger } from '../../log/index.js';
import type { IngestResult, TaskHistory } from './task-history.js';

const log = getLogger('ops.history');

export interface HistoryIngesterOptions {
  /** Events kept for this long (task_events_history_s), in ms. */
  retentionMs: number;
  /** Events read per round trip. */
  batch?: number;
  /** How long one blocking read waits for new events. */
  waitMs?: number;
  /** How often old tasks are pruned. */
  pruneEveryMs?: number;
  /** Identity of the broker's event log; a different one means a stored cursor is meaningless. */
  source?: string;
}

export type IngestListener = (result: IngestResult) => void;

/**
 * Reads the broker's task events into the history, from the cursor stored with the last batch,
 * so that a restarted console picks up where it stopped (Redis keeps 7 days of events). It is
 * also the console's live feed: listeners hear about each stored batch.
 */
export class HistoryIngester {
  private readonly listeners = new Set<IngestListener>();
  private running = false;
  private loop: Promise<void> | undefined;
  private cursor: string | undefined;
  private readonly source: string;
  private lastPrune = 0;
  private lastError: { message: string; at: number } | undefined;
  private caughtUp = false;
  private readonly caughtUpWaiters: (() => void)[] = [];
  /** Ends the current pause at once when the ingester stops. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly broker: Broker,
    private readonly history: TaskHistory,
    private readonly options: HistoryIngesterOptions,
  ) {
    // The embedded broker's event log lives in its process: a new process is a new log.
    this.source =
      options.source ?? `${broker.kind}:${broker.kind === 'embedded' ? randomUUID() : 'events'}`;
  }

  onIngest(listener: IngestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.cursor = this.history.cursorFor(this.source);
    log.info({ source: this.source, cursor: this.cursor ?? '(start)' }, 'task history ingestion');
    this.loop = this.run();
  }

  /** Resolves once everything the broker held at start has been stored (tests, first page). */
  waitCaughtUp(): Promise<void> {
    if (this.caughtUp) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  status(): { cursor?: string; lastError?: { message: string; at: number }; caughtUp: boolean } {
    return { cursor: this.cursor, lastError: this.lastError, caughtUp: this.caughtUp };
  }

  private async run(): Promise<void> {
    const batch = this.options.batch ?? 1000;
    const waitMs = this.options.waitMs ?? 1000;
    let backoffMs = 200;
    while (this.running) {
      try {
        const events =
          this.cursor === undefined
            ? await this.broker.readEvents(undefined, batch)
            : await this.broker.tailEvents(this.cursor, batch, waitMs);
        if (!this.running) break;
        if (events.length) {
          const last = events[events.length - 1].cursor;
          const result = this.history.ingest(
            events.map((e) => e.event),
            { source: this.source, value: last },
          );
          this.cursor = last;
          if (result.inserted) for (const listener of this.listeners) listener(result);
        }
        if (events.length < batch && !this.caughtUp) {
          this.caughtUp = true;
          for (const wake of this.caughtUpWaiters.splice(0)) wake();
        }
        if (this.cursor === undefined && events.length === 0) {
          // Nothing stored yet: poll gently until the first event exists.
          await this.pause(waitMs);
        }
        this.pruneIfDue();
        backoffMs = 200;
        this.lastError = undefined;
      } catch (err) {
        if (!this.running) break;
        this.lastError = { message: (err as Error).message, at: Date.now() };
        log.warn({ err: (err as Error).message, backoffMs }, 'cannot read task events');
        await this.pause(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 10_000);
      }
    }
  }

  private pruneIfDue(): void {
    const now = Date.now();
    if (now - this.lastPrune < (this.options.pruneEveryMs ?? 60_000)) return;
    this.lastPrune = now;
    const removed = this.history.prune(now - this.options.retentionMs);
    if (removed) log.info({ removed }, 'pruned task history');
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
