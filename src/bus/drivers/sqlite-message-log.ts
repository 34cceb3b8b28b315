import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { MessageLog, RetentionLimits, StoredMessage } from './message-log.js';

interface Row {
  offset: number;
  ts: number;
  key: string | null;
  headers: string;
  value: Buffer;
}

/**
 * The in-process driver's journal: messages and committed offsets in one SQLite file in the
 * data directory, so that the one-command pipeline resumes after a restart where it stopped
 * (a change GraceDB announced just before a crash is still delivered afterwards). WAL mode
 * with synchronous=NORMAL survives a killed process; only a power cut can lose the last
 * transactions, the same bargain Redis makes with appendfsync everysec.
 */
export class SqliteMessageLog implements MessageLog {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS bus_topics (
          topic TEXT PRIMARY KEY, next_offset INTEGER NOT NULL, start_offset INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS bus_messages (
          topic TEXT NOT NULL, offset INTEGER NOT NULL, ts INTEGER NOT NULL, key TEXT,
          headers TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (topic, offset)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS bus_messages_ts ON bus_messages (topic, ts);
        CREATE TABLE IF NOT EXISTS bus_group_offsets (
          grp TEXT NOT NULL, topic TEXT NOT NULL, next_offset INTEGER NOT NULL,
          PRIMARY KEY (grp, topic)) WITHOUT ROWID;
      `);
    } catch (err) {
      throw new Error(`cannot open the bus journal ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const db = this.db;
    this.statements = {
      topic: db.prepare<[string], { next_offset: number; start_offset: number }>(
        'SELECT next_offset, start_offset FROM bus_topics WHERE topic = ?',
      ),
      newTopic: db.prepare('INSERT OR IGNORE INTO bus_topics VALUES (?, 0, 0)'),
      bump: db.prepare('UPDATE bus_topics SET next_offset = next_offset + 1 WHERE topic = ?'),
      insert: db.prepare('INSERT INTO bus_messages VALUES (?, ?, ?, ?, ?, ?)'),
      read: db.prepare<[string, number, number], Row>(
        'SELECT offset, ts, key, headers, value FROM bus_messages WHERE topic = ? AND offset >= ? ORDER BY offset LIMIT ?',
      ),
      forTime: db.prepare<[string, number], { offset: number }>(
        'SELECT offset FROM bus_messages WHERE topic = ? AND ts >= ? ORDER BY offset LIMIT 1',
      ),
      committed: db.prepare<[string, string], { next_offset: number }>(
        'SELECT next_offset FROM bus_group_offsets WHERE grp = ? AND topic = ?',
      ),
      commit: db.prepare(
        'INSERT INTO bus_group_offsets VALUES (?, ?, ?) ON CONFLICT (grp, topic) DO UPDATE SET next_offset = excluded.next_offset',
      ),
      topics: db.prepare<[], { topic: string }>('SELECT topic FROM bus_topics ORDER BY topic'),
      trimLength: db.prepare(
        'DELETE FROM bus_messages WHERE topic = ? AND offset < (SELECT next_offset FROM bus_topics WHERE topic = ?) - ?',
      ),
      trimAge: db.prepare('DELETE FROM bus_messages WHERE topic = ? AND ts < ?'),
      firstKept: db.prepare<[string], { offset: number | null }>(
        'SELECT MIN(offset) AS offset FROM bus_messages WHERE topic = ?',
      ),
      setStart: db.prepare('UPDATE bus_topics SET start_offset = ? WHERE topic = ?'),
    };
    this.appendTx = db.transaction((topic: string, m: Omit<StoredMessage, 'offset'>) => {
      this.statements.newTopic.run(topic);
      const { next_offset } = this.statements.topic.get(topic)!;
      this.statements.insert.run(
        topic,
        next_offset,
        m.timestamp,
        m.key ?? null,
        JSON.stringify(m.headers),
        m.value,
      );
      this.statements.bump.run(topic);
      return BigInt(next_offset);
    });
  }

  private readonly appendTx: Database.Transaction<
    (topic: string, m: Omit<StoredMessage, 'offset'>) => bigint
  >;

  append(topic: string, message: Omit<StoredMessage, 'offset'>): bigint {
    // IMMEDIATE: another process appending to the same journal (`gwcelery bus publish`) waits
    // for the write lock instead of reading the same next offset.
    return this.appendTx.immediate(topic, message);
  }

  read(topic: string, from: bigint, limit: number): StoredMessage[] {
    return this.statements.read.all(topic, Number(from), limit).map((row) => ({
      offset: BigInt(row.offset),
      timestamp: row.ts,
      key: row.key ?? undefined,
      headers: JSON.parse(row.headers) as Record<string, string>,
      value: row.value,
    }));
  }

  end(topic: string): bigint {
    return BigInt(this.statements.topic.get(topic)?.next_offset ?? 0);
  }

  start(topic: string): bigint {
    return BigInt(this.statements.topic.get(topic)?.start_offset ?? 0);
  }

  offsetForTime(topic: string, timestamp: number): bigint {
    const row = this.statements.forTime.get(topic, timestamp);
    return row ? BigInt(row.offset) : this.end(topic);
  }

  committed(group: string, topic: string): bigint | undefined {
    const row = this.statements.committed.get(group, topic);
    return row ? BigInt(row.next_offset) : undefined;
  }

  commit(group: string, topic: string, next: bigint): void {
    this.statements.commit.run(group, topic, Number(next));
  }

  topics(): string[] {
    return this.statements.topics.all().map((row) => row.topic);
  }

  trim(topic: string, limits: RetentionLimits, now: number): void {
    if (limits.maxLength > 0) this.statements.trimLength.run(topic, topic, limits.maxLength);
    if (limits.maxAgeMs > 0) this.statements.trimAge.run(topic, now - limits.maxAgeMs);
    const first = this.statements.firstKept.get(topic)?.offset;
    this.statements.setStart.run(first ?? Number(this.end(topic)), topic);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
