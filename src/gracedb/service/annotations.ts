import { eventAlert, supereventAlert } from './alerts.js';
import { ApiError, invalid } from './api-error.js';
import type { Parent } from './model.js';
import { type LabelRow, type LogRow, labelJson } from './serialize.js';
import type { Write } from './store.js';
import { BLESSED_TAGS, TAG_NAME } from './vocabulary.js';

/**
 * What events and superevents share: numbered log entries, versioned files, tags on log
 * entries and labels. These helpers run inside a write transaction and record exactly the side
 * effects GraceDB has (automatic log entries, notifications) — callers decide which apply.
 */

export function nextLogNumber(w: Write, parent: Parent): number {
  const row = w.db
    .prepare('SELECT max(n) AS n FROM logs WHERE parent_kind = ? AND parent_id = ?')
    .get(parent.kind, parent.id) as { n: number | null };
  return (row.n ?? 0) + 1;
}

export interface NewLog {
  comment: string;
  filename?: string;
  fileVersion?: number | null;
  /** Tags attached directly, without the automatic "Tagged message" entries. */
  tags?: string[];
}

/** Appends a log entry (next N) and returns it. */
export function addLog(w: Write, parent: Parent, log: NewLog): LogRow {
  const row: LogRow = {
    n: nextLogNumber(w, parent),
    comment: log.comment,
    created_ms: w.now,
    issuer: w.user,
    filename: log.filename ?? '',
    file_version: log.filename ? (log.fileVersion ?? null) : null,
  };
  w.db
    .prepare(
      `INSERT INTO logs (parent_kind, parent_id, n, comment, created_ms, issuer, filename, file_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      parent.kind,
      parent.id,
      row.n,
      row.comment,
      row.created_ms,
      row.issuer,
      row.filename,
      row.file_version,
    );
  for (const tag of log.tags ?? []) attachTag(w, parent, row.n, tag, null);
  return row;
}

export function getLog(w: Pick<Write, 'db'>, parent: Parent, n: number): LogRow | undefined {
  return w.db
    .prepare(
      'SELECT n, comment, created_ms, issuer, filename, file_version FROM logs WHERE parent_kind = ? AND parent_id = ? AND n = ?',
    )
    .get(parent.kind, parent.id, n) as LogRow | undefined;
}

/** Stores a staged blob as the next version of `name` and returns that version. */
export function storeFile(
  w: Write,
  parent: Parent,
  name: string,
  blob: string,
  size: number,
): number {
  if (name.includes(',')) throw invalid('Invalid filename: filename should not contain commas');
  if (name === '' || name.includes('/')) throw invalid(`Invalid filename: '${name}'`);
  const row = w.db
    .prepare(
      'SELECT max(version) AS v FROM files WHERE parent_kind = ? AND parent_id = ? AND name = ?',
    )
    .get(parent.kind, parent.id, name) as { v: number | null };
  const version = row.v === null ? 0 : row.v + 1;
  w.db
    .prepare(
      'INSERT INTO files (parent_kind, parent_id, name, version, blob, size, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(parent.kind, parent.id, name, version, blob, size, w.now);
  return version;
}

/** Makes sure a tag exists (unknown tags are created on the fly) and returns it. */
export function ensureTag(
  w: Write,
  name: string,
  displayName: string | null,
): { name: string; display_name: string | null } {
  if (!TAG_NAME.test(name) || name === '') {
    throw new ApiError(400, `Invalid tag name '${name}': use letters, digits, '_' and '-' only`);
  }
  const existing = w.db.prepare('SELECT name, display_name FROM tags WHERE name = ?').get(name) as
    | { name: string; display_name: string | null }
    | undefined;
  if (existing) return existing;
  // Blessed tags exist on the real service from the start: their display names are fixed.
  const created = { name, display_name: BLESSED_TAGS[name] ?? displayName ?? null };
  w.db
    .prepare('INSERT INTO tags (name, display_name) VALUES (?, ?)')
    .run(created.name, created.display_name);
  return created;
}

export function hasTag(w: Pick<Write, 'db'>, parent: Parent, n: number, tag: string): boolean {
  return !!w.db
    .prepare('SELECT 1 FROM log_tags WHERE parent_kind = ? AND parent_id = ? AND n = ? AND tag = ?')
    .get(parent.kind, parent.id, n, tag);
}

/** Attaches a tag to a log entry without any automatic log entry; ignores a repeat. */
export function attachTag(
  w: Write,
  parent: Parent,
  n: number,
  tag: string,
  displayName: string | null,
): void {
  ensureTag(w, tag, displayName);
  w.db
    .prepare('INSERT OR IGNORE INTO log_tags (parent_kind, parent_id, n, tag) VALUES (?, ?, ?, ?)')
    .run(parent.kind, parent.id, n, tag);
}

/** Tags a log entry the way a client request does: plus the automatic "Tagged message" entry. */
export function tagLogEntry(
  w: Write,
  parent: Parent,
  n: number,
  tag: string,
  displayName: string | null,
): void {
  attachTag(w, parent, n, tag, displayName);
  addLog(w, parent, {
    comment:
      parent.kind === 'event' ? `Tagged message ${n}: ${tag} ` : `Tagged message ${n}: ${tag}.`,
  });
}

export function findLabel(
  w: Pick<Write, 'db'>,
  parent: Parent,
  name: string,
): LabelRow | undefined {
  return w.db
    .prepare(
      'SELECT name, creator, created_ms FROM labels WHERE parent_kind = ? AND parent_id = ? AND name = ?',
    )
    .get(parent.kind, parent.id, name) as LabelRow | undefined;
}

export interface LabelEffects {
  /** Write GraceDB's automatic log entry. */
  log: boolean;
  /** Publish label_added / label_removed. */
  alert: boolean;
}

/** Applies a label (the caller has validated it); returns the new label row. */
export function applyLabel(
  w: Write,
  parent: Parent,
  name: string,
  effects: LabelEffects,
): LabelRow {
  const label: LabelRow = { name, creator: w.user, created_ms: w.now };
  w.db
    .prepare(
      'INSERT INTO labels (parent_kind, parent_id, name, creator, created_ms) VALUES (?, ?, ?, ?, ?)',
    )
    .run(parent.kind, parent.id, name, w.user, w.now);
  if (effects.log) {
    addLog(w, parent, {
      comment: parent.kind === 'event' ? `Label: ${name}` : `Added label: ${name}`,
    });
  }
  if (effects.alert) labelAlert(w, parent, 'label_added', label);
  return label;
}

/** Removes an applied label; returns false when it was not applied. */
export function removeLabel(
  w: Write,
  parent: Parent,
  name: string,
  effects: LabelEffects,
): boolean {
  const label = findLabel(w, parent, name);
  if (!label) return false;
  w.db
    .prepare('DELETE FROM labels WHERE parent_kind = ? AND parent_id = ? AND name = ?')
    .run(parent.kind, parent.id, name);
  if (effects.log) {
    addLog(w, parent, {
      comment: parent.kind === 'event' ? `Deleted label: ${name}` : `Removed label: ${name}`,
    });
  }
  if (effects.alert) labelAlert(w, parent, 'label_removed', label);
  return true;
}

function labelAlert(w: Write, parent: Parent, type: string, label: LabelRow): void {
  const data = labelJson(w, parent, label);
  if (parent.kind === 'event') eventAlert(w, parent.row, type, data);
  else supereventAlert(w, parent.row, type, data);
}

/** The parent's alert for a client-written log entry. */
export function logAlert(w: Write, parent: Parent, data: unknown): void {
  if (parent.kind === 'event') eventAlert(w, parent.row, 'log', data);
  else supereventAlert(w, parent.row, 'log', data);
}
