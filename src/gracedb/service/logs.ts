import {
  addLog,
  applyLabel,
  findLabel,
  getLog,
  hasTag,
  logAlert,
  storeFile,
  tagLogEntry,
} from './annotations.js';
import { ApiError, invalid, notFound } from './api-error.js';
import type { Parent } from './model.js';
import type { RequestFields } from './request-fields.js';
import { type LogRow, logJson, logTags, type Viewer } from './serialize.js';
import type { GraceDbStore, Write } from './store.js';
import { PROTECTED_LABELS, TAG_NAME } from './vocabulary.js';

/** Log entries, their files and tags, for events and superevents alike (§2.5–§2.7). */

export type ParentResolver = (w: Pick<Write, 'db'>) => Parent;

function isPublic(store: GraceDbStore, parent: Parent, n: number): boolean {
  return hasTag(store, parent, n, 'public');
}

export function listLogs(
  store: GraceDbStore,
  parent: Parent,
  viewer: Viewer,
): Record<string, unknown>[] {
  const rows = store.db
    .prepare(
      'SELECT n, comment, created_ms, issuer, filename, file_version FROM logs WHERE parent_kind = ? AND parent_id = ? ORDER BY n',
    )
    .all(parent.kind, parent.id) as LogRow[];
  return rows
    .filter((row) => viewer.internal || isPublic(store, parent, row.n))
    .map((row) => logJson(store, parent, row));
}

export function getLogEntry(
  store: GraceDbStore,
  parent: Parent,
  n: number,
  viewer: Viewer,
): Record<string, unknown> {
  const row = Number.isInteger(n) ? getLog(store, parent, n) : undefined;
  if (!row || !(viewer.internal || isPublic(store, parent, n))) {
    throw parent.kind === 'event' ? new ApiError(404, 'Log does not exist.') : notFound();
  }
  return logJson(store, parent, row);
}

/** `POST …/log/` or `POST …/logs/`: comment, optional file (`upload`), tags, label. */
export async function createLogEntry(
  store: GraceDbStore,
  user: string,
  resolve: ParentResolver,
  fields: RequestFields,
): Promise<Record<string, unknown>> {
  resolve(store);
  if (!fields.has('comment')) throw invalid('This field is required.');
  const comment = fields.string('comment') ?? '';
  const tags = fields.list('tagname');
  const displayNames = fields.list('displayName');
  if (displayNames.length && displayNames.length !== tags.length) {
    throw invalid(
      'There should either be as many display names as tags, or there should be no display names',
    );
  }
  for (const tag of tags) {
    if (!TAG_NAME.test(tag) || tag === '')
      throw invalid(`Invalid tag name '${tag}': use letters, digits, '_' and '-' only`);
  }
  const label = fields.string('label') || undefined;
  if (label && (!store.options.labels.has(label) || PROTECTED_LABELS.has(label))) {
    throw invalid(`The label '${label}' is not found in the database.`);
  }
  const upload = fields.file('upload');
  if (upload) {
    if (upload.filename.includes(','))
      throw invalid('Invalid filename: filename should not contain commas');
    if (!upload.filename) throw invalid('The uploaded file has no name.');
  }
  const blob = upload ? await store.files.put(upload.data) : undefined;
  try {
    return store.write(user, (w) => {
      const parent = resolve(w);
      const version = upload
        ? storeFile(w, parent, upload.filename, blob!, upload.data.byteLength)
        : null;
      const log = addLog(w, parent, { comment, filename: upload?.filename, fileVersion: version });
      for (const [i, tag] of tags.entries()) {
        tagLogEntry(w, parent, log.n, tag, displayNames[i] ?? null);
      }
      const json = logJson(w, parent, log);
      logAlert(w, parent, json);
      if (label && !findLabel(w, parent, label))
        applyLabel(w, parent, label, { log: true, alert: true });
      return json;
    });
  } catch (err) {
    if (blob) await store.files.discard([blob]);
    throw err;
  }
}

export function listLogTags(
  store: GraceDbStore,
  parent: Parent,
  n: number,
): Record<string, unknown>[] {
  if (!getLog(store, parent, n))
    throw parent.kind === 'event' ? new ApiError(404, 'Log does not exist.') : notFound();
  return logTags(store.db, parent, n).map((name) => {
    const tag = store.db
      .prepare('SELECT name, display_name FROM tags WHERE name = ?')
      .get(name) as {
      name: string;
      display_name: string | null;
    };
    const base =
      parent.kind === 'event'
        ? `${store.links.event(parent.row.graceid)}/log/${n}/tag/${name}`
        : `${store.links.superevent(parent.row.superevent_id)}logs/${n}/tags/${name}/`;
    return parent.kind === 'event'
      ? { self: base, name: tag.name, displayName: tag.display_name }
      : { name: tag.name, displayName: tag.display_name, self: base };
  });
}

/** Tags a log entry: events answer 409 for a repeat, superevents the exact 400 gwcelery expects. */
export function addLogTag(
  store: GraceDbStore,
  user: string,
  resolve: ParentResolver,
  n: number,
  tag: string,
  displayName: string | null,
): Record<string, unknown> | string {
  return store.write(user, (w) => {
    const parent = resolve(w);
    if (!Number.isInteger(n) || !getLog(w, parent, n)) {
      throw parent.kind === 'event' ? new ApiError(404, 'Log does not exist.') : notFound();
    }
    if (!tag || !TAG_NAME.test(tag)) throw invalid(`Invalid tag name '${tag}'`);
    if (hasTag(w, parent, n, tag)) {
      throw parent.kind === 'event'
        ? new ApiError(409, `Log already has tag ${tag}`)
        : invalid('Tag is already applied to this log message');
    }
    tagLogEntry(w, parent, n, tag, displayName);
    if (parent.kind === 'event') return 'Tag created.';
    const row = w.db.prepare('SELECT name, display_name FROM tags WHERE name = ?').get(tag) as {
      name: string;
      display_name: string | null;
    };
    return {
      name: row.name,
      displayName: row.display_name,
      self: `${w.links.superevent(parent.row.superevent_id)}logs/${n}/tags/${tag}/`,
    };
  });
}

export function removeLogTag(
  store: GraceDbStore,
  user: string,
  resolve: ParentResolver,
  n: number,
  tag: string,
): void {
  store.write(user, (w) => {
    const parent = resolve(w);
    if (!Number.isInteger(n) || !getLog(w, parent, n)) {
      throw parent.kind === 'event' ? new ApiError(404, 'Log does not exist.') : notFound();
    }
    const deleted = w.db
      .prepare('DELETE FROM log_tags WHERE parent_kind = ? AND parent_id = ? AND n = ? AND tag = ?')
      .run(parent.kind, parent.id, n, tag);
    if (deleted.changes === 0)
      throw parent.kind === 'event' ? new ApiError(404, 'Tag not found.') : notFound();
    addLog(w, parent, { comment: `Removed tag ${tag} from message ${n}.` });
  });
}

/** Every tag used on the parent's log entries (`GET events/{gid}/tag/`). */
export function tagsOfParent(store: GraceDbStore, parent: Parent): Record<string, unknown>[] {
  const rows = store.db
    .prepare(
      `SELECT DISTINCT t.name, t.display_name FROM log_tags lt JOIN tags t ON t.name = lt.tag
       WHERE lt.parent_kind = ? AND lt.parent_id = ? ORDER BY t.name`,
    )
    .all(parent.kind, parent.id) as { name: string; display_name: string | null }[];
  return rows.map((t) => ({ name: t.name, displayName: t.display_name }));
}
