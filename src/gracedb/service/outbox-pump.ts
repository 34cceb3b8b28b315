import type { Publisher } from '../../bus/publisher.js';
import type { Logger } from '../../log/index.js';
import type { Db } from './database.js';

interface OutboxRow {
  seq: number;
  topic: string;
  key: string;
  payload: string;
}

const BATCH = 100;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 10_000;

/**
 * Publishes the outbox in commit order, one message at a time, deleting each once the bus has
 * it. A bus that refuses is retried with back-off, never skipped: a later message is not sent
 * before an earlier one. Messages left by a previous run are sent first.
 */
export class OutboxPump {
  #published = 0;
  #running = false;
  #closed = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  readonly #waiters: { seq: number; resolve: (ok: boolean) => void }[] = [];

  constructor(
    private readonly db: Db,
    private readonly publisher: Publisher,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.#loop = this.#run();
  }

  /** New messages were committed. */
  kick(): void {
    this.#wake?.();
  }

  /** Resolves true once every message up to `seq` is published, false after `timeoutMs`. */
  waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    if (seq <= this.#published || this.#closed) return Promise.resolve(seq <= this.#published);
    this.kick();
    return new Promise((resolve) => {
      const waiter = { seq, resolve };
      this.#waiters.push(waiter);
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      waiter.resolve = (ok) => {
        clearTimeout(timer);
        resolve(ok);
      };
    });
  }

  /** Stops after the message being published; unpublished messages stay for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    this.kick();
    await this.#loop;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(false);
  }

  #settle(): void {
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i]!;
      if (waiter.seq <= this.#published) {
        this.#waiters.splice(i, 1);
        waiter.resolve(true);
      }
    }
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    const select = this.db.prepare(
      'SELECT seq, topic, key, payload FROM outbox ORDER BY seq LIMIT ?',
    );
    const remove = this.db.prepare('DELETE FROM outbox WHERE seq = ?');
    let backoff = FIRST_BACKOFF_MS;
    while (!this.#closed) {
      const rows = select.all(BATCH) as OutboxRow[];
      if (rows.length === 0) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        this.#wake = undefined;
        continue;
      }
      for (const row of rows) {
        if (this.#closed) break;
        try {
          await this.publisher.publish(row.topic, row.payload, { key: row.key });
        } catch (err) {
          this.log.warn(
            { err, topic: row.topic, seq: row.seq },
            'publishing a GraceDB notification failed; retrying',
          );
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, backoff);
            this.#wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.#wake = undefined;
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          break;
        }
        backoff = FIRST_BACKOFF_MS;
        remove.run(row.seq);
        this.#published = Math.max(this.#published, row.seq);
        this.#settle();
      }
    }
    this.#running = false;
  }
}
