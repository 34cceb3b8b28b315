import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  type AlertKey,
  type AlertLedger,
  type ClaimResult,
  checkKey,
  type DeliveryReceipt,
  describeKey,
  LedgerError,
  type LedgerFilter,
  type LedgerRecord,
  recordFromColumns,
} from './ledger.js';

// A type alias, not an interface: it must fit LedgerColumns' index signature.
type Row = {
  superevent: string;
  alert_type: string;
  serial: number;
  destination: string;
  payload_hash: string;
  state: string;
  recorded_at: string;
  updated_at: string;
  attempts: number;
  claim_owner: string | null;
  lease_until: number | null;
  delivered_at: string | null;
  receipt: string | null;
  error: string | null;
  in_doubt: number;
};

const KEY_WHERE = 'superevent = ? AND alert_type = ? AND serial = ? AND destination = ?';

function keyArgs(key: AlertKey): [string, string, number, string] {
  return [key.superevent, key.alertType, key.serial, key.destination];
}

/**
 * The ledger in a SQLite file (the embedded deployment). Claims run in IMMEDIATE transactions,
 * so several processes sharing the file still see one claimant per key, and every commit is
 * synced to disk (synchronous=FULL): a claim that returned is on disk before the send starts.
 */
export class SqliteLedger implements AlertLedger {
  readonly location: string;
  private readonly db: Database.Database;

  constructor(path: string) {
    this.location = `sqlite:${path}`;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 10000');
      this.db.exec(`CREATE TABLE IF NOT EXISTS alert_ledger (
        superevent TEXT NOT NULL,
        alert_type TEXT NOT NULL,
        serial INTEGER NOT NULL,
        destination TEXT NOT NULL,
        payload_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        recorded_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        claim_owner TEXT,
        lease_until INTEGER,
        delivered_at TEXT,
        receipt TEXT,
        error TEXT,
        in_doubt INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (superevent, alert_type, serial, destination)
      );
      CREATE INDEX IF NOT EXISTS alert_ledger_recorded ON alert_ledger (recorded_at);`);
    } catch (err) {
      throw new LedgerError(`cannot open alert ledger ${path}: ${(err as Error).message}`);
    }
  }

  private row(key: AlertKey): Row | undefined {
    return this.db.prepare(`SELECT * FROM alert_ledger WHERE ${KEY_WHERE}`).get(...keyArgs(key)) as
      | Row
      | undefined;
  }

  async claim(
    key: AlertKey,
    payloadHash: string,
    owner: string,
    leaseMs: number,
    now = Date.now(),
  ): Promise<ClaimResult> {
    checkKey(key);
    const stamp = new Date(now).toISOString();
    const run = this.db.transaction((): ClaimResult => {
      const existing = this.row(key);
      if (!existing) {
        this.db
          .prepare(
            `INSERT INTO alert_ledger (superevent, alert_type, serial, destination, payload_hash, state,
               recorded_at, updated_at, attempts, claim_owner, lease_until, in_doubt)
             VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, 1, ?, ?, 1)`,
          )
          .run(...keyArgs(key), payloadHash, stamp, stamp, owner, now + leaseMs);
        return { outcome: 'claimed', previous: 'new', record: recordFromColumns(this.row(key)!) };
      }
      if (existing.state === 'delivered')
        return { outcome: 'delivered', record: recordFromColumns(existing) };
      if (existing.state === 'pending' && (existing.lease_until ?? 0) > now) {
        return { outcome: 'busy', record: recordFromColumns(existing) };
      }
      // A pending key whose lease ran out: its sender died somewhere between record and receipt.
      const previous =
        existing.state === 'failed' && existing.in_doubt === 0 ? 'not-delivered' : 'in-doubt';
      this.db
        .prepare(
          `UPDATE alert_ledger SET state = 'pending', payload_hash = ?, updated_at = ?,
             attempts = attempts + 1, claim_owner = ?, lease_until = ?, in_doubt = 1
           WHERE ${KEY_WHERE}`,
        )
        .run(payloadHash, stamp, owner, now + leaseMs, ...keyArgs(key));
      return { outcome: 'claimed', previous, record: recordFromColumns(this.row(key)!) };
    });
    return run.immediate();
  }

  async markDelivered(
    key: AlertKey,
    owner: string,
    receipt: DeliveryReceipt,
    now = Date.now(),
  ): Promise<LedgerRecord> {
    checkKey(key);
    const stamp = new Date(now).toISOString();
    const run = this.db.transaction(() => {
      const existing = this.row(key);
      if (!existing)
        throw new LedgerError(`no ledger record for ${describeKey(key)} (owner ${owner})`);
      // A delivery that happened is recorded whoever holds the claim now: forgetting it would
      // invite a duplicate.
      this.db
        .prepare(
          `UPDATE alert_ledger SET state = 'delivered', delivered_at = COALESCE(delivered_at, ?),
             receipt = COALESCE(receipt, ?), error = NULL, claim_owner = NULL, lease_until = NULL,
             in_doubt = 0, updated_at = ? WHERE ${KEY_WHERE}`,
        )
        .run(receipt.at, JSON.stringify(receipt), stamp, ...keyArgs(key));
      return recordFromColumns(this.row(key)!);
    });
    return run.immediate();
  }

  async markFailed(
    key: AlertKey,
    owner: string,
    error: string,
    inDoubt: boolean,
    now = Date.now(),
  ): Promise<LedgerRecord> {
    checkKey(key);
    const stamp = new Date(now).toISOString();
    const run = this.db.transaction(() => {
      const existing = this.row(key);
      if (!existing)
        throw new LedgerError(`no ledger record for ${describeKey(key)} (owner ${owner})`);
      if (
        existing.state !== 'delivered' &&
        (existing.claim_owner === owner ||
          existing.claim_owner === null ||
          (existing.lease_until ?? 0) <= now)
      ) {
        this.db
          .prepare(
            `UPDATE alert_ledger SET state = 'failed', error = ?, claim_owner = NULL, lease_until = NULL,
               in_doubt = ?, updated_at = ? WHERE ${KEY_WHERE}`,
          )
          .run(error, inDoubt ? 1 : 0, stamp, ...keyArgs(key));
      }
      return recordFromColumns(this.row(key)!);
    });
    return run.immediate();
  }

  async get(key: AlertKey): Promise<LedgerRecord | undefined> {
    const row = this.row(key);
    return row ? recordFromColumns(row) : undefined;
  }

  async list(filter: LedgerFilter = {}): Promise<LedgerRecord[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.superevent) {
      where.push('superevent = ?');
      args.push(filter.superevent);
    }
    if (filter.destination) {
      where.push('destination = ?');
      args.push(filter.destination);
    }
    const sql = `SELECT * FROM alert_ledger ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY recorded_at DESC, superevent, serial DESC, destination LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, filter.limit ?? 1000) as Row[];
    return rows.map((row) => recordFromColumns(row));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
