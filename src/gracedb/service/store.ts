import type { Db } from './database.js';
import { inTransaction } from './database.js';
import type { FileStore } from './file-store.js';
import type { Links } from './links.js';
import type { SerializeContext } from './serialize.js';

export interface StoreOptions {
  /** Topic namespace of notifications (`<group>.<topic>`). */
  alertGroup: string;
  /** False when no publisher is configured: no notifications are queued at all. */
  notify: boolean;
  /** Label names the service accepts. */
  labels: ReadonlySet<string>;
  /** Milliseconds since the Unix epoch; injectable so that tests can pin `created`. */
  clock?: () => number;
}

/** The service's state: database, file store, URLs; what every operation works on. */
export class GraceDbStore implements SerializeContext {
  readonly clock: () => number;

  constructor(
    readonly db: Db,
    readonly files: FileStore,
    readonly links: Links,
    readonly options: StoreOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Runs one write: a single IMMEDIATE transaction in which every change and every
   * notification it causes is recorded (notifications in the outbox, published after commit).
   */
  write<T>(user: string, fn: (w: Write) => T): T {
    const staged: string[] = [];
    const w: Write = {
      store: this,
      db: this.db,
      links: this.links,
      user,
      now: this.clock(),
      stage: (data) => {
        const blob = this.files.putSync(data);
        staged.push(blob);
        return blob;
      },
    };
    try {
      return inTransaction(this.db, () => fn(w));
    } catch (err) {
      // Contents generated inside a transaction that rolled back belong to nothing.
      void this.files.discard(staged);
      throw err;
    }
  }

  /** Sequence number of the newest queued notification (0 when none). */
  lastAlertSeq(): number {
    const row = this.db.prepare('SELECT max(seq) AS seq FROM outbox').get() as {
      seq: number | null;
    };
    return row.seq ?? 0;
  }
}

/** The context of one write transaction. */
export interface Write extends SerializeContext {
  store: GraceDbStore;
  db: Db;
  links: Links;
  /** Who is writing (submitter, issuer, creator of what this write creates). */
  user: string;
  /** One timestamp for everything the write creates. */
  now: number;
  /** Stores contents generated inside the write; removed again if the write rolls back. */
  stage(data: Uint8Array): string;
}
