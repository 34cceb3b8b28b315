import type { CategoryKey } from '../ids.js';
import { parseSupereventId } from '../ids.js';
import { type ApiError, notFound, textError } from './api-error.js';
import type { Db } from './database.js';

/** A row of the events table as the service reads it. */
export interface EventRow {
  id: number;
  graceid: string;
  submitter: string;
  created_ms: number;
  grp: string;
  pipeline: string;
  search: string | null;
  gpstime: number | null;
  instruments: string;
  nevents: number | null;
  offline: number;
  far: number | null;
  likelihood: number | null;
  attributes: string;
  superevent: number | null;
}

export interface SupereventRow {
  id: number;
  category: CategoryKey;
  date: string;
  number: number;
  superevent_id: string;
  gw_number: number | null;
  gw_id: string | null;
  created_ms: number;
  submitter: string;
  preferred_event: number;
  em_type: string | null;
  t_start: number;
  t_0: number;
  t_end: number;
  time_coinc_far: number | null;
  space_coinc_far: number | null;
  exposed: number;
}

/** What labels, logs, files and VOEvents hang off. */
export type Parent =
  | { kind: 'event'; id: number; row: EventRow }
  | { kind: 'superevent'; id: number; row: SupereventRow };

export function eventParent(row: EventRow): Parent {
  return { kind: 'event', id: row.id, row };
}

export function supereventParent(row: SupereventRow): Parent {
  return { kind: 'superevent', id: row.id, row };
}

/** The id clients know a parent by: graceid, or the superevent id (GW id once confirmed). */
export function parentName(parent: Parent): string {
  return parent.kind === 'event' ? parent.row.graceid : parent.row.superevent_id;
}

export function eventById(db: Db, id: number): EventRow {
  return db.prepare('SELECT * FROM events WHERE id = ?').get(id) as EventRow;
}

export function findEvent(db: Db, graceid: string): EventRow | undefined {
  return db.prepare('SELECT * FROM events WHERE graceid = ?').get(graceid) as EventRow | undefined;
}

/** The event, or the plain-text 404 of GraceDB's event views. */
export function requireEvent(db: Db, graceid: string): EventRow {
  const row = findEvent(db, graceid);
  if (!row) throw textError(404, 'Event not found.');
  return row;
}

export function supereventById(db: Db, id: number): SupereventRow {
  return db.prepare('SELECT * FROM superevents WHERE id = ?').get(id) as SupereventRow;
}

/** Looks a superevent up by its S… or GW… id. */
export function findSuperevent(db: Db, id: string): SupereventRow | undefined {
  const parts = parseSupereventId(id);
  if (!parts) return undefined;
  const column = parts.gw ? 'gw_number' : 'number';
  return db
    .prepare(`SELECT * FROM superevents WHERE category = ? AND date = ? AND ${column} = ?`)
    .get(parts.category, parts.date, parts.number) as SupereventRow | undefined;
}

export function requireSuperevent(
  db: Db,
  id: string,
  error: () => ApiError = notFound,
): SupereventRow {
  const row = findSuperevent(db, id);
  if (!row) throw error();
  return row;
}

export function membersOf(db: Db, supereventRowId: number): EventRow[] {
  return db
    .prepare('SELECT * FROM events WHERE superevent = ? ORDER BY id')
    .all(supereventRowId) as EventRow[];
}

export function labelNames(db: Db, kind: Parent['kind'], id: number): string[] {
  return (
    db
      .prepare('SELECT name FROM labels WHERE parent_kind = ? AND parent_id = ? ORDER BY seq')
      .all(kind, id) as { name: string }[]
  ).map((r) => r.name);
}
