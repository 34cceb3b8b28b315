import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DedupStore } from './dedup-store.js';

const PRUNE_EVERY = 1000;

/** The dedup memory in a SQLite file in the data directory (single-host deployments). */
export class SqliteDedupStore implements DedupStore {
  private readonly db: Database.Database;
  private readonly statements;
  private writes = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS igwn_alert_dedup (
          key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS igwn_alert_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
    } catch (err) {
      throw new Error(`cannot open the IGWN Alert dedup store ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    this.statements = {
      has: this.db.prepare<[string, number], { one: number }>(
        'SELECT 1 AS one FROM igwn_alert_dedup WHERE key = ? AND expires_at > ?',
      ),
      remember: this.db.prepare(
        'INSERT INTO igwn_alert_dedup VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at',
      ),
      prune: this.db.prepare('DELETE FROM igwn_alert_dedup WHERE expires_at <= ?'),
      getMeta: this.db.prepare<[string], { value: string }>(
        'SELECT value FROM igwn_alert_meta WHERE name = ?',
      ),
      setMeta: this.db.prepare(
        'INSERT INTO igwn_alert_meta VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      ),
    };
    this.rememberTx = this.db.transaction((entries: { key: string; ttlMs: number }[]) => {
      const now = Date.now();
      for (const { key, ttlMs } of entries) this.statements.remember.run(key, now + ttlMs);
    });
  }

  private readonly rememberTx: (entries: { key: string; ttlMs: number }[]) => void;

  async has(keys: string[]): Promise<boolean> {
    const now = Date.now();
    return keys.some((key) => this.statements.has.get(key, now) !== undefined);
  }

  async remember(entries: { key: string; ttlMs: number }[]): Promise<void> {
    this.rememberTx(entries);
    this.writes += entries.length;
    if (this.writes >= PRUNE_EVERY) {
      this.writes = 0;
      this.statements.prune.run(Date.now());
    }
  }

  async getMeta(name: string): Promise<string | undefined> {
    return this.statements.getMeta.get(name)?.value;
  }

  async setMeta(name: string, value: string): Promise<void> {
    this.statements.setMeta.run(name, value);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
