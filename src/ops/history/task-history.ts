import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { TaskEvent, TaskEventType } from '../../engine/index.js';

/** A task's state as the history knows it (PENDING: sent, not started yet). */
export type HistoryState = 'PENDING' | 'STARTED' | 'RETRY' | 'SUCCESS' | 'FAILURE' | 'REJECTED';

export const HISTORY_STATES: readonly HistoryState[] = [
  'PENDING',
  'STARTED',
  'RETRY',
  'SUCCESS',
  'FAILURE',
  'REJECTED',
];

/** One task, merged from all its events. */
export interface TaskRecord {
  id: string;
  name: string;
  state: HistoryState;
  queue: string | null;
  priority: number | null;
  args: string | null;
  eta: number | null;
  parentId: string | null;
  rootId: string | null;
  worker: string | null;
  sentAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  runtimeMs: number | null;
  retries: number;
  result: string | null;
  error: string | null;
  traceback: string | null;
  subjects: string[];
  /** Earliest event seen: what lists sort by. */
  firstAt: number;
  /** Latest event seen: what retention goes by. */
  updatedAt: number;
}

export interface TimelineEntry {
  type: TaskEventType;
  at: number;
  worker: string | null;
  detail: string | null;
}

export interface TaskQuery {
  /** Exact id, or a prefix of at least 4 characters. */
  id?: string;
  /** Substring of the task name. */
  name?: string;
  state?: HistoryState;
  /** Superevent or event id found in the arguments. */
  subject?: string;
  queue?: string;
  /** ms since the epoch. */
  since?: number;
  until?: number;
  /** Changed at or after (ms since the epoch, the events' own timestamps). */
  updatedSince?: number;
  limit?: number;
}

/** What one ingested batch changed: the new event count per (name, type), and touched ids. */
export interface IngestResult {
  inserted: number;
  changedIds: string[];
  counts: { name: string; type: TaskEventType; queue: string | null }[];
}

const STATE_OF: Record<TaskEventType, HistoryState> = {
  'task-sent': 'PENDING',
  'task-started': 'STARTED',
  'task-retried': 'RETRY',
  'task-succeeded': 'SUCCESS',
  'task-failed': 'FAILURE',
  'task-rejected': 'REJECTED',
};

/** Within one millisecond, events of a task happen in this order. */
const RANK: Record<TaskEventType, number> = {
  'task-sent': 0,
  'task-started': 1,
  'task-retried': 2,
  'task-rejected': 3,
  'task-succeeded': 3,
  'task-failed': 3,
};

interface Row {
  id: string;
  name: string;
  state: HistoryState;
  state_at: number;
  state_rank: number;
  queue: string | null;
  priority: number | null;
  args: string | null;
  eta: number | null;
  parent_id: string | null;
  root_id: string | null;
  worker: string | null;
  sent_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  runtime_ms: number | null;
  retries: number;
  result: string | null;
  error: string | null;
  traceback: string | null;
  subjects: string;
  first_at: number;
  updated_at: number;
}

const COLUMNS = [
  'id',
  'name',
  'state',
  'state_at',
  'state_rank',
  'queue',
  'priority',
  'args',
  'eta',
  'parent_id',
  'root_id',
  'worker',
  'sent_at',
  'started_at',
  'finished_at',
  'runtime_ms',
  'retries',
  'result',
  'error',
  'traceback',
  'subjects',
  'first_at',
  'updated_at',
] as const;

/**
 * The console's task history: every task event the broker reported, merged into one row per
 * task, kept in SQLite for `task_events_history_s` (days, where the reference's Flower kept
 * hours). Searchable by id, name, state, queue and the superevent/event ids found in the
 * arguments; remembers the broker cursor it has read up to, so that a restarted console
 * resumes where it stopped.
 */
export class TaskHistory {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // History is observability: losing the last transactions on power loss is acceptable.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS tasks (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL,
        state_at INTEGER NOT NULL, state_rank INTEGER NOT NULL,
        queue TEXT, priority INTEGER, args TEXT, eta INTEGER, parent_id TEXT, root_id TEXT,
        worker TEXT, sent_at INTEGER, started_at INTEGER, finished_at INTEGER, runtime_ms REAL,
        retries INTEGER NOT NULL DEFAULT 0, result TEXT, error TEXT, traceback TEXT,
        subjects TEXT NOT NULL DEFAULT '', first_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS tasks_first ON tasks (first_at);
      CREATE INDEX IF NOT EXISTS tasks_updated ON tasks (updated_at);
      CREATE INDEX IF NOT EXISTS tasks_name ON tasks (name, first_at);
      CREATE INDEX IF NOT EXISTS tasks_state ON tasks (state, first_at);
      CREATE INDEX IF NOT EXISTS tasks_queue_sent ON tasks (queue, sent_at);
      CREATE INDEX IF NOT EXISTS tasks_parent ON tasks (parent_id);
      CREATE INDEX IF NOT EXISTS tasks_root ON tasks (root_id);
      CREATE TABLE IF NOT EXISTS task_subjects (
        subject TEXT NOT NULL, task_id TEXT NOT NULL, first_at INTEGER NOT NULL,
        PRIMARY KEY (subject, task_id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS task_subjects_task ON task_subjects (task_id);
      CREATE TABLE IF NOT EXISTS task_events (
        task_id TEXT NOT NULL, type TEXT NOT NULL, at INTEGER NOT NULL, retries INTEGER NOT NULL,
        worker TEXT, detail TEXT, PRIMARY KEY (task_id, type, at, retries)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.stmts = {
      get: this.db.prepare('SELECT * FROM tasks WHERE id = ?'),
      upsert: this.db.prepare(
        `INSERT OR REPLACE INTO tasks (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
      ),
      addEvent: this.db.prepare(
        'INSERT OR IGNORE INTO task_events (task_id, type, at, retries, worker, detail) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      addSubject: this.db.prepare(
        'INSERT OR IGNORE INTO task_subjects (subject, task_id, first_at) VALUES (?, ?, ?)',
      ),
      timeline: this.db.prepare(
        `SELECT type, at, worker, detail FROM task_events WHERE task_id = ?
         ORDER BY at, CASE type WHEN 'task-sent' THEN 0 WHEN 'task-started' THEN 1
                                WHEN 'task-retried' THEN 2 ELSE 3 END`,
      ),
      children: this.db.prepare('SELECT * FROM tasks WHERE parent_id = ? ORDER BY first_at'),
      tree: this.db.prepare('SELECT * FROM tasks WHERE root_id = ? ORDER BY first_at LIMIT ?'),
      getMeta: this.db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      expiredIds: this.db.prepare('SELECT id FROM tasks WHERE updated_at < ? LIMIT ?'),
      deleteTask: this.db.prepare('DELETE FROM tasks WHERE id = ?'),
      deleteEvents: this.db.prepare('DELETE FROM task_events WHERE task_id = ?'),
      deleteSubjects: this.db.prepare('DELETE FROM task_subjects WHERE task_id = ?'),
      rates: this.db.prepare(
        `SELECT queue, COUNT(*) AS sent,
                SUM(CASE WHEN state = 'SUCCESS' THEN 1 ELSE 0 END) AS succeeded,
                SUM(CASE WHEN state = 'FAILURE' THEN 1 ELSE 0 END) AS failed
         FROM tasks WHERE sent_at >= ? AND queue IS NOT NULL GROUP BY queue`,
      ),
      stateCounts: this.db.prepare(
        'SELECT name, state, COUNT(*) AS n FROM tasks WHERE first_at >= ? GROUP BY name, state',
      ),
      count: this.db.prepare('SELECT COUNT(*) AS n FROM tasks'),
    };
  }

  /**
   * Merges a batch of events and records the cursor after it, in one transaction: either the
   * batch and its cursor are stored, or neither is (a crash re-reads the batch, which is
   * harmless because events are stored by identity).
   */
  ingest(events: TaskEvent[], cursor?: { source: string; value: string }): IngestResult {
    const result: IngestResult = { inserted: 0, changedIds: [], counts: [] };
    const changed = new Set<string>();
    this.db.transaction(() => {
      for (const event of events) {
        if (!event || typeof event.id !== 'string' || typeof event.type !== 'string') continue;
        if (!(event.type in STATE_OF)) continue;
        const inserted = this.stmts.addEvent.run(
          event.id,
          event.type,
          Math.round(event.timestamp),
          event.retries ?? 0,
          event.worker ?? null,
          detailOf(event),
        ).changes;
        if (inserted === 0) continue; // seen before (a re-read batch)
        result.inserted++;
        const row = this.merge(this.stmts.get.get(event.id) as Row | undefined, event);
        this.stmts.upsert.run(row);
        for (const subject of event.subjects ?? [])
          this.stmts.addSubject.run(subject, event.id, row.first_at);
        changed.add(event.id);
        result.counts.push({ name: row.name, type: event.type, queue: row.queue });
      }
      if (cursor) {
        this.stmts.setMeta.run('cursor', cursor.value);
        this.stmts.setMeta.run('cursor_source', cursor.source);
      }
    })();
    result.changedIds = [...changed];
    return result;
  }

  private merge(existing: Row | undefined, e: TaskEvent): Row {
    const at = Math.round(e.timestamp);
    const row: Row = existing
      ? { ...existing }
      : {
          id: e.id,
          name: e.name,
          state: STATE_OF[e.type],
          state_at: at,
          state_rank: RANK[e.type],
          queue: null,
          priority: null,
          args: null,
          eta: null,
          parent_id: null,
          root_id: null,
          worker: null,
          sent_at: null,
          started_at: null,
          finished_at: null,
          runtime_ms: null,
          retries: 0,
          result: null,
          error: null,
          traceback: null,
          subjects: '',
          first_at: at,
          updated_at: at,
        };
    if (e.name) row.name = e.name;
    row.first_at = Math.min(row.first_at, at);
    row.updated_at = Math.max(row.updated_at, at);
    if (e.queue) row.queue = e.queue;
    if (e.priority !== undefined) row.priority = e.priority;
    if (e.parentId) row.parent_id = e.parentId;
    if (e.rootId) row.root_id = e.rootId;
    if (e.retries !== undefined) row.retries = Math.max(row.retries, e.retries);
    if (e.subjects?.length) {
      const all = new Set([...row.subjects.split(' ').filter(Boolean), ...e.subjects]);
      row.subjects = [...all].join(' ');
    }
    switch (e.type) {
      case 'task-sent':
        row.sent_at = at;
        row.args = e.args ?? row.args;
        row.eta = e.eta ?? row.eta;
        break;
      case 'task-started':
        row.started_at = Math.max(row.started_at ?? 0, at);
        if (e.worker) row.worker = e.worker;
        break;
      case 'task-retried':
        row.error = e.error ?? row.error;
        row.eta = e.eta ?? row.eta;
        break;
      case 'task-succeeded':
        row.finished_at = at;
        row.runtime_ms = e.runtimeMs ?? row.runtime_ms;
        row.result = e.result ?? row.result;
        if (e.worker) row.worker = e.worker;
        break;
      case 'task-failed':
        row.finished_at = at;
        row.runtime_ms = e.runtimeMs ?? row.runtime_ms;
        row.error = e.error ?? row.error;
        row.traceback = e.traceback ?? row.traceback;
        if (e.worker) row.worker = e.worker;
        break;
      case 'task-rejected':
        row.error = e.error ?? row.error;
        break;
    }
    // Events from different processes arrive in any order: the latest one decides the state,
    // and 'sent' never overrides what a worker reported.
    const rank = RANK[e.type];
    const later = at > row.state_at || (at === row.state_at && rank >= row.state_rank);
    if (!existing || (later && (e.type !== 'task-sent' || row.state === 'PENDING'))) {
      row.state = STATE_OF[e.type];
      row.state_at = at;
      row.state_rank = rank;
    }
    return row;
  }

  get(id: string): TaskRecord | undefined {
    const row = this.stmts.get.get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  timeline(id: string): TimelineEntry[] {
    return this.stmts.timeline.all(id) as TimelineEntry[];
  }

  children(id: string): TaskRecord[] {
    return (this.stmts.children.all(id) as Row[]).map(toRecord);
  }

  /** Every task of a canvas (same root), oldest first. */
  tree(rootId: string, limit = 200): TaskRecord[] {
    return (this.stmts.tree.all(rootId, limit) as Row[]).map(toRecord);
  }

  /** Newest first. */
  search(query: TaskQuery = {}): TaskRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    let from = 'tasks t';
    if (query.subject) {
      from = 'task_subjects s JOIN tasks t ON t.id = s.task_id';
      where.push('s.subject = ?');
      params.push(query.subject);
    }
    if (query.id) {
      if (query.id.length >= 4 && query.id.length < 36) {
        where.push('t.id >= ? AND t.id < ?');
        params.push(query.id, `${query.id}\uffff`);
      } else {
        where.push('t.id = ?');
        params.push(query.id);
      }
    }
    if (query.name) {
      where.push("t.name LIKE ? ESCAPE '\\'");
      params.push(`%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (query.state) {
      where.push('t.state = ?');
      params.push(query.state);
    }
    if (query.queue) {
      where.push('t.queue = ?');
      params.push(query.queue);
    }
    if (query.since !== undefined) {
      where.push('t.first_at >= ?');
      params.push(query.since);
    }
    if (query.until !== undefined) {
      where.push('t.first_at < ?');
      params.push(query.until);
    }
    if (query.updatedSince !== undefined) {
      where.push('t.updated_at >= ?');
      params.push(query.updatedSince);
    }
    const limit = Math.max(1, Math.min(query.limit ?? 100, 5000));
    const sql = `SELECT t.* FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY t.first_at DESC LIMIT ${limit}`;
    return (this.db.prepare(sql).all(...params) as Row[]).map(toRecord);
  }

  /** Tasks sent per queue since `sinceMs`, and how many of them succeeded and failed. */
  queueActivity(
    sinceMs: number,
  ): Record<string, { sent: number; succeeded: number; failed: number }> {
    const out: Record<string, { sent: number; succeeded: number; failed: number }> = {};
    for (const r of this.stmts.rates.all(sinceMs) as {
      queue: string;
      sent: number;
      succeeded: number;
      failed: number;
    }[]) {
      out[r.queue] = { sent: r.sent, succeeded: r.succeeded, failed: r.failed };
    }
    return out;
  }

  /** Tasks first seen since `sinceMs`, by name and current state. */
  stateCounts(sinceMs: number): { name: string; state: HistoryState; n: number }[] {
    return this.stmts.stateCounts.all(sinceMs) as {
      name: string;
      state: HistoryState;
      n: number;
    }[];
  }

  size(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }

  /** The broker position stored with the last batch, if it came from the same source. */
  cursorFor(source: string): string | undefined {
    const stored = this.stmts.getMeta.get('cursor_source') as { value: string } | undefined;
    if (stored?.value !== source) return undefined;
    return (this.stmts.getMeta.get('cursor') as { value: string } | undefined)?.value;
  }

  /**
   * Deletes tasks whose last event is older than `olderThanMs`, in bounded batches so that a
   * long backlog never holds the database for long; returns how many were deleted.
   */
  prune(olderThanMs: number, batch = 2000): number {
    let total = 0;
    for (;;) {
      const ids = (this.stmts.expiredIds.all(olderThanMs, batch) as { id: string }[]).map(
        (r) => r.id,
      );
      if (ids.length === 0) return total;
      this.db.transaction(() => {
        for (const id of ids) {
          this.stmts.deleteTask.run(id);
          this.stmts.deleteEvents.run(id);
          this.stmts.deleteSubjects.run(id);
        }
      })();
      total += ids.length;
      if (ids.length < batch) return total;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function detailOf(e: TaskEvent): string | null {
  switch (e.type) {
    case 'task-retried':
      return e.error
        ? `${e.error}${e.eta ? ` (again at ${new Date(e.eta).toISOString()})` : ''}`
        : null;
    case 'task-failed':
    case 'task-rejected':
      return e.error ?? null;
    case 'task-succeeded':
      return e.runtimeMs !== undefined ? `${e.runtimeMs} ms` : null;
    case 'task-sent':
      return e.eta ? `due ${new Date(e.eta).toISOString()}` : null;
    default:
      return null;
  }
}

function toRecord(row: Row): TaskRecord {
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    queue: row.queue,
    priority: row.priority,
    args: row.args,
    eta: row.eta,
    parentId: row.parent_id,
    rootId: row.root_id,
    worker: row.worker,
    sentAt: row.sent_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    runtimeMs: row.runtime_ms,
    retries: row.retries,
    result: row.result,
    error: row.error,
    traceback: row.traceback,
    subjects: row.subjects.split(' ').filter(Boolean),
    firstAt: row.first_at,
    updatedAt: row.updated_at,
  };
}
