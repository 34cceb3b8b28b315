import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ResultRecord, TaskMessage } from '../message.js';

/**
 * The embedded broker's durable state in one SQLite file (WAL): queued and scheduled tasks,
 * results, chord progress and small values (beat's last runs). It is what lets the one-command
 * pipeline stop and start again without losing a countdown or a task that was running.
 */
export class Journal {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL loses at most the last transactions on power loss, never corrupts; a process
    // crash (the case that matters here) loses nothing.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS tasks (
        id TEXT PRIMARY KEY, body TEXT NOT NULL, state TEXT NOT NULL, redelivered INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS results (id TEXT PRIMARY KEY, body TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS chords (
        chord TEXT NOT NULL, member TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (chord, member)
      );
      CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER);
    `);
    this.stmts = {
      putTask: this.db.prepare(
        'INSERT OR REPLACE INTO tasks (id, body, state, redelivered) VALUES (?, ?, ?, ?)',
      ),
      startTask: this.db.prepare("UPDATE tasks SET state = 'active' WHERE id = ?"),
      deleteTask: this.db.prepare('DELETE FROM tasks WHERE id = ?'),
      tasks: this.db.prepare('SELECT body, state, redelivered FROM tasks'),
      putResult: this.db.prepare(
        'INSERT OR REPLACE INTO results (id, body, expires_at) VALUES (?, ?, ?)',
      ),
      results: this.db.prepare('SELECT body, expires_at FROM results WHERE expires_at > ?'),
      putChord: this.db.prepare(
        'INSERT OR IGNORE INTO chords (chord, member, expires_at) VALUES (?, ?, ?)',
      ),
      chords: this.db.prepare('SELECT chord, member, expires_at FROM chords WHERE expires_at > ?'),
      putValue: this.db.prepare(
        'INSERT OR REPLACE INTO kv (key, value, expires_at) VALUES (?, ?, ?)',
      ),
      values: this.db.prepare(
        'SELECT key, value, expires_at FROM kv WHERE expires_at IS NULL OR expires_at > ?',
      ),
      expireResults: this.db.prepare('DELETE FROM results WHERE expires_at <= ?'),
      expireChords: this.db.prepare('DELETE FROM chords WHERE expires_at <= ?'),
      expireValues: this.db.prepare(
        'DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?',
      ),
    };
  }

  putTask(message: TaskMessage, redelivered = 0): void {
    this.stmts.putTask.run(message.id, JSON.stringify(message), 'queued', redelivered);
  }

  startTask(id: string): void {
    this.stmts.startTask.run(id);
  }

  deleteTask(id: string): void {
    this.stmts.deleteTask.run(id);
  }

  deleteTasks(ids: string[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.stmts.deleteTask.run(id);
    })();
  }

  /** Tasks to deliver after a restart; those that were running count as redelivered. */
  tasks(): { message: TaskMessage; redelivered: number }[] {
    return (this.stmts.tasks.all() as { body: string; state: string; redelivered: number }[]).map(
      (row) => ({
        message: JSON.parse(row.body) as TaskMessage,
        redelivered: row.redelivered + (row.state === 'active' ? 1 : 0),
      }),
    );
  }

  putResult(record: ResultRecord, expiresAt: number): void {
    this.stmts.putResult.run(record.id, JSON.stringify(record), expiresAt);
  }

  results(now: number): { record: ResultRecord; expiresAt: number }[] {
    return (this.stmts.results.all(now) as { body: string; expires_at: number }[]).map((row) => ({
      record: JSON.parse(row.body) as ResultRecord,
      expiresAt: row.expires_at,
    }));
  }

  putChordMember(chord: string, member: string, expiresAt: number): void {
    this.stmts.putChord.run(chord, member, expiresAt);
  }

  chords(now: number): { chord: string; member: string; expiresAt: number }[] {
    return (
      this.stmts.chords.all(now) as { chord: string; member: string; expires_at: number }[]
    ).map((row) => ({ chord: row.chord, member: row.member, expiresAt: row.expires_at }));
  }

  putValue(key: string, value: string, expiresAt: number | undefined): void {
    this.stmts.putValue.run(key, value, expiresAt ?? null);
  }

  values(now: number): { key: string; value: string; expiresAt?: number }[] {
    return (
      this.stmts.values.all(now) as { key: string; value: string; expires_at: number | null }[]
    ).map((row) => ({
      key: row.key,
      value: row.value,
      ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
    }));
  }

  expire(now: number): void {
    this.stmts.expireResults.run(now);
    this.stmts.expireChords.run(now);
    this.stmts.expireValues.run(now);
  }

  close(): void {
    this.db.close();
  }
}
