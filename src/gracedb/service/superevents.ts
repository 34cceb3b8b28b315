import { gpsDateCode, gpsToUnix } from '../gps-time.js';
import {
  CATEGORY_NAMES,
  type CategoryKey,
  eventCategory,
  formatSupereventId,
  isEventId,
} from '../ids.js';
import { eventAlert, supereventAlert } from './alerts.js';
import { addLog, applyLabel, findLabel, removeLabel } from './annotations.js';
import { invalid, notFound } from './api-error.js';
import { readGpsField } from './gps-field.js';
import {
  type EventRow,
  eventById,
  eventParent,
  findEvent,
  membersOf,
  requireSuperevent,
  type SupereventRow,
  supereventById,
  supereventParent,
} from './model.js';
import type { RequestFields } from './request-fields.js';
import { labelJson, supereventJson, type Viewer } from './serialize.js';
import type { GraceDbStore, Write } from './store.js';
import { PROTECTED_LABELS } from './vocabulary.js';

const ALREADY_ASSIGNED = (gid: string) => `Event ${gid} is already assigned to a Superevent`;

/** Earliest and latest t_0 a superevent id can encode (two-digit years). */
const EARLIEST_UNIX = Date.parse('1980-01-01T00:00:00Z') / 1000;
const LATEST_UNIX = Date.parse('2080-01-01T00:00:00Z') / 1000;

function categoryName(key: CategoryKey): string {
  return CATEGORY_NAMES[key];
}

/** Checks that an event may join a superevent of this category (not assigned, same kind). */
function checkJoinable(event: EventRow, category: CategoryKey, errors: string[]): void {
  if (event.superevent !== null) {
    errors.push(ALREADY_ASSIGNED(event.graceid));
    return;
  }
  const kind = eventCategory({ group: event.grp, search: event.search });
  if (kind !== category) {
    errors.push(
      `Event ${event.graceid} is of type '${categoryName(kind)}', and cannot be assigned to a superevent of type '${categoryName(category)}'`,
    );
  }
}

function lookupEvent(w: Write, gid: string, errors: string[]): EventRow | undefined {
  const event = isEventId(gid) ? findEvent(w.db, gid) : undefined;
  if (!event) errors.push(`Event with graceid=${gid} does not exist.`);
  return event;
}

function gpsFields(fields: RequestFields, names: string[], required: boolean, errors: string[]) {
  const out: Record<string, number> = {};
  for (const name of names) {
    if (!fields.has(name) || fields.raw(name) === null) {
      if (required) errors.push('This field is required.');
      continue;
    }
    const read = readGpsField(fields.raw(name));
    if ('error' in read) errors.push(read.error);
    else out[name] = read.value;
  }
  return out;
}

function join(w: Write, superevent: SupereventRow, event: EventRow): void {
  w.db.prepare('UPDATE events SET superevent = ? WHERE id = ?').run(superevent.id, event.id);
}

/** `POST superevents/` (§2.10.1). */
export function createSuperevent(
  store: GraceDbStore,
  user: string,
  fields: RequestFields,
): Record<string, unknown> {
  return store.write(user, (w) => {
    const errors: string[] = [];
    const times = gpsFields(fields, ['t_start', 't_0', 't_end'], true, errors);
    const categoryKey = fields.string('category');
    if (categoryKey === undefined) errors.push('This field is required.');
    else if (!['P', 'T', 'M'].includes(categoryKey))
      errors.push(`"${categoryKey}" is not a valid choice.`);
    const category = categoryKey as CategoryKey;
    const preferredId = fields.string('preferred_event');
    let preferred: EventRow | undefined;
    if (!preferredId) errors.push('This field is required.');
    else preferred = lookupEvent(w, preferredId, errors);
    if (preferred && preferred.grp === 'External') {
      errors.push(
        `Event ${preferred.graceid} is an external event and cannot be a preferred event`,
      );
    } else if (preferred && errors.length === 0) checkJoinable(preferred, category, errors);
    const extra: EventRow[] = [];
    for (const gid of fields.list('events', true)) {
      if (gid === preferredId) continue;
      const event = lookupEvent(w, gid, errors);
      if (event && !extra.some((e) => e.id === event.id)) {
        if (errors.length === 0) checkJoinable(event, category, errors);
        extra.push(event);
      }
    }
    const labels = fields.list('labels', true);
    for (const label of labels) {
      if (!store.options.labels.has(label))
        errors.push(`Object with name=${label} does not exist.`);
      else if (PROTECTED_LABELS.has(label)) {
        errors.push(
          `The label '${label}' is managed by an automated process and cannot be manually added`,
        );
      }
    }
    if (times.t_0 !== undefined) {
      const unix = gpsToUnix(times.t_0);
      if (unix < EARLIEST_UNIX || unix >= LATEST_UNIX) {
        errors.push('t_0 must correspond to a UTC time between 1980-01-01 and 2080-01-01');
      }
    }
    if (errors.length) throw invalid(...errors);

    const date = gpsDateCode(times.t_0!);
    // Max + 1 inside the write transaction: numbers are never reused, per (date, category).
    const { n } = w.db
      .prepare(
        'SELECT coalesce(max(number), 0) + 1 AS n FROM superevents WHERE category = ? AND date = ?',
      )
      .get(category, date) as { n: number };
    const sid = formatSupereventId({ category, gw: false, date, number: n });
    const result = w.db
      .prepare(
        `INSERT INTO superevents (category, date, number, superevent_id, created_ms, submitter, preferred_event,
           t_start, t_0, t_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        category,
        date,
        n,
        sid,
        w.now,
        user,
        preferred!.id,
        times.t_start!,
        times.t_0!,
        times.t_end!,
      );
    const superevent = supereventById(w.db, Number(result.lastInsertRowid));
    join(w, superevent, preferred!);
    w.db
      .prepare('INSERT INTO pipeline_preferred (superevent, pipeline, event) VALUES (?, ?, ?)')
      .run(superevent.id, preferred!.pipeline, preferred!.id);
    for (const event of extra) join(w, superevent, event);

    const parent = supereventParent(superevent);
    const eventsNote = extra.length
      ? `, events=${[preferred!, ...extra].map((e) => e.graceid).join(', ')}`
      : '';
    addLog(w, parent, {
      comment: `Superevent created with t_start=${times.t_start}, t_0=${times.t_0}, t_end=${times.t_end}, preferred_event=${preferred!.graceid}${eventsNote}`,
    });
    addLog(w, eventParent(preferred!), {
      comment: `Set as preferred event for superevent: ${sid}`,
    });
    for (const event of extra)
      addLog(w, eventParent(event), { comment: `Added to superevent: ${sid}` });

    supereventAlert(w, superevent, 'new');
    eventAlert(w, preferred!, 'selected_as_preferred');
    for (const event of extra) eventAlert(w, event, 'added_to_superevent');
    for (const label of new Set(labels)) applyLabel(w, parent, label, { log: true, alert: true });
    return supereventJson(w, supereventById(w.db, superevent.id));
  });
}

const NUMBER_OR_NULL = ['time_coinc_far', 'space_coinc_far'] as const;

function formatValue(value: unknown): string {
  return value === null || value === undefined ? 'None' : String(value);
}

/** `PATCH superevents/{sid}/` (§2.10.2): only what differs is applied, or a 400. */
export function updateSuperevent(
  store: GraceDbStore,
  user: string,
  sid: string,
  fields: RequestFields,
): Record<string, unknown> {
  return store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const errors: string[] = [];
    const times = gpsFields(fields, ['t_start', 't_0', 't_end'], false, errors);
    const changes: { field: string; old: unknown; value: unknown }[] = [];
    for (const name of ['t_start', 't_0', 't_end'] as const) {
      if (times[name] !== undefined && times[name] !== superevent[name]) {
        changes.push({ field: name, old: superevent[name], value: times[name] });
      }
    }
    let newPreferred: EventRow | undefined;
    const preferredId = fields.string('preferred_event');
    const oldPreferred = eventById(w.db, superevent.preferred_event);
    if (preferredId !== undefined && preferredId !== oldPreferred.graceid) {
      newPreferred = lookupEvent(w, preferredId, errors);
      if (newPreferred) {
        if (newPreferred.grp === 'External') {
          errors.push(
            `Event ${newPreferred.graceid} is an external event and cannot be a preferred event`,
          );
        } else if (newPreferred.superevent !== null && newPreferred.superevent !== superevent.id) {
          errors.push(ALREADY_ASSIGNED(newPreferred.graceid));
        } else if (newPreferred.superevent === null) {
          checkJoinable(newPreferred, superevent.category, errors);
        }
        changes.push({
          field: 'preferred_event',
          old: oldPreferred.graceid,
          value: newPreferred.graceid,
        });
      }
    }
    if (fields.has('em_type')) {
      const emType = fields.string('em_type') || null;
      if (emType !== superevent.em_type)
        changes.push({ field: 'em_type', old: superevent.em_type, value: emType });
    }
    for (const name of NUMBER_OR_NULL) {
      if (!fields.has(name)) continue;
      const raw = fields.raw(name);
      const value = raw === null || raw === '' ? null : Number(raw);
      if (value !== null && !Number.isFinite(value)) {
        errors.push('A valid number is required.');
        continue;
      }
      if (value !== superevent[name]) changes.push({ field: name, old: superevent[name], value });
    }
    if (errors.length) throw invalid(...errors);
    if (changes.length === 0) throw invalid('Request would not modify the superevent');

    for (const change of changes) {
      if (change.field === 'preferred_event') continue;
      w.db
        .prepare(`UPDATE superevents SET ${change.field} = ? WHERE id = ?`)
        .run(change.value, superevent.id);
    }
    const parent = supereventParent(superevent);
    if (newPreferred) {
      w.db
        .prepare('UPDATE superevents SET preferred_event = ? WHERE id = ?')
        .run(newPreferred.id, superevent.id);
      if (newPreferred.superevent === null) {
        join(w, superevent, newPreferred);
        addLog(w, parent, { comment: `Added event: ${newPreferred.graceid}` });
        addLog(w, eventParent(newPreferred), {
          comment: `Added to superevent: ${superevent.superevent_id}`,
        });
        eventAlert(w, newPreferred, 'added_to_superevent');
      }
      w.db
        .prepare(
          'INSERT OR IGNORE INTO pipeline_preferred (superevent, pipeline, event) VALUES (?, ?, ?)',
        )
        .run(superevent.id, newPreferred.pipeline, newPreferred.id);
    }
    addLog(w, parent, {
      comment: `Updated superevent parameters: ${changes
        .map((c) => `${c.field}: ${formatValue(c.old)} -> ${formatValue(c.value)}`)
        .join(', ')}`,
    });
    if (newPreferred) {
      addLog(w, eventParent(oldPreferred), {
        comment: `Removed as preferred event for superevent: ${superevent.superevent_id}`,
      });
      addLog(w, eventParent(newPreferred), {
        comment: `Set as preferred event for superevent: ${superevent.superevent_id}`,
      });
      eventAlert(w, oldPreferred, 'removed_as_preferred');
      eventAlert(w, newPreferred, 'selected_as_preferred');
    }
    supereventAlert(w, superevent, 'update');
    return supereventJson(w, supereventById(w.db, superevent.id));
  });
}

/** `POST superevents/{sid}/events/` (§2.10.5). */
export function addEventToSuperevent(
  store: GraceDbStore,
  user: string,
  sid: string,
  fields: RequestFields,
): Record<string, unknown> {
  return store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const errors: string[] = [];
    const gid = fields.string('event');
    if (!gid) throw invalid('This field is required.');
    const event = lookupEvent(w, gid, errors);
    if (event) checkJoinable(event, superevent.category, errors);
    if (errors.length) throw invalid(...errors);
    join(w, superevent, event!);
    addLog(w, supereventParent(superevent), { comment: `Added event: ${event!.graceid}` });
    addLog(w, eventParent(event!), { comment: `Added to superevent: ${superevent.superevent_id}` });
    supereventAlert(w, superevent, 'event_added');
    eventAlert(w, event!, 'added_to_superevent');
    return { self: w.links.event(event!.graceid), graceid: event!.graceid };
  });
}

/** `DELETE superevents/{sid}/events/{gid}/`. */
export function removeEventFromSuperevent(
  store: GraceDbStore,
  user: string,
  sid: string,
  gid: string,
): void {
  store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const event = findEvent(w.db, gid);
    if (!event || event.superevent !== superevent.id) throw notFound();
    if (event.id === superevent.preferred_event) {
      throw invalid(
        `Event ${gid} can't be removed from superevent ${superevent.superevent_id} because it is the preferred event`,
      );
    }
    w.db.prepare('UPDATE events SET superevent = NULL WHERE id = ?').run(event.id);
    w.db
      .prepare('DELETE FROM pipeline_preferred WHERE superevent = ? AND event = ?')
      .run(superevent.id, event.id);
    addLog(w, supereventParent(superevent), { comment: `Removed event: ${gid}` });
    addLog(w, eventParent(event), {
      comment: `Removed from superevent: ${superevent.superevent_id}`,
    });
    supereventAlert(w, superevent, 'event_removed');
    eventAlert(w, event, 'removed_from_superevent');
  });
}

/** `POST superevents/{sid}/pipeline_preferred_events/` (§2.10.6): no notification. */
export function addPipelinePreferredEvent(
  store: GraceDbStore,
  user: string,
  sid: string,
  fields: RequestFields,
): Record<string, unknown> {
  return store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const gid = fields.string('event');
    if (!gid) throw invalid('This field is required.');
    const errors: string[] = [];
    const event = lookupEvent(w, gid, errors);
    if (errors.length) throw invalid(...errors);
    if (event!.superevent !== superevent.id) {
      throw invalid(`Event ${gid} is not part of superevent ${superevent.superevent_id}`);
    }
    const current = w.db
      .prepare('SELECT event FROM pipeline_preferred WHERE superevent = ? AND pipeline = ?')
      .get(superevent.id, event!.pipeline) as { event: number } | undefined;
    if (current?.event === event!.id) {
      throw invalid(
        `Event ${gid} is already the ${event!.pipeline} pipeline-preferred event for ${superevent.superevent_id}`,
      );
    }
    const parent = supereventParent(superevent);
    if (current) {
      addLog(w, parent, {
        comment: `Removed ${eventById(w.db, current.event).graceid} as the ${event!.pipeline} pipeline-preferred event`,
      });
    }
    w.db
      .prepare(
        'INSERT OR REPLACE INTO pipeline_preferred (superevent, pipeline, event) VALUES (?, ?, ?)',
      )
      .run(superevent.id, event!.pipeline, event!.id);
    addLog(w, parent, {
      comment: `Added ${gid} as the ${event!.pipeline} pipeline-preferred event`,
    });
    return { self: w.links.event(gid), graceid: gid };
  });
}

/** `DELETE superevents/{sid}/pipeline_preferred_events/{gid}/`: no notification. */
export function removePipelinePreferredEvent(
  store: GraceDbStore,
  user: string,
  sid: string,
  gid: string,
): void {
  store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const event = findEvent(w.db, gid);
    if (!event) throw notFound();
    if (event.id === superevent.preferred_event) {
      throw invalid(
        `Event ${gid} can't be removed from superevent ${superevent.superevent_id}'s pipeline preferred list because it is the preferred event`,
      );
    }
    const deleted = w.db
      .prepare('DELETE FROM pipeline_preferred WHERE superevent = ? AND event = ?')
      .run(superevent.id, event.id);
    if (deleted.changes === 0) throw notFound();
    addLog(w, supereventParent(superevent), {
      comment: `Removed ${gid} as the ${event.pipeline} pipeline-preferred event`,
    });
  });
}

/** The request label a signoff of this instrument answers ('' is the advocate). */
export function requestLabelFor(instrument: string): string {
  return instrument === '' ? 'ADVREQ' : `${instrument}OPS`;
}

/** `POST superevents/{sid}/labels/` (§2.8). */
export function labelSuperevent(
  store: GraceDbStore,
  user: string,
  sid: string,
  fields: RequestFields,
) {
  return store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const name = fields.string('name');
    if (!name) throw invalid('This field is required.');
    if (!store.options.labels.has(name)) throw invalid(`Object with name=${name} does not exist.`);
    if (PROTECTED_LABELS.has(name)) {
      throw invalid(
        `The label '${name}' is managed by an automated process and cannot be manually added`,
      );
    }
    const parent = supereventParent(superevent);
    if (findLabel(w, parent, name))
      throw invalid('The fields superevent, name must make a unique set.');
    const requestFor = ['ADVREQ', 'H1OPS', 'L1OPS', 'V1OPS'].includes(name)
      ? name === 'ADVREQ'
        ? ''
        : name.slice(0, 2)
      : undefined;
    if (requestFor !== undefined) {
      const signoff = w.db
        .prepare('SELECT 1 FROM signoffs WHERE superevent = ? AND instrument = ?')
        .get(superevent.id, requestFor);
      if (signoff) {
        throw invalid(
          `The '${name}' label cannot be applied to request a signoff because a related signoff already exists.`,
        );
      }
    }
    return labelJson(w, parent, applyLabel(w, parent, name, { log: true, alert: true }));
  });
}

/** `DELETE superevents/{sid}/labels/{name}/` and `DELETE events/{gid}/labels/{name}`. */
export function unlabelSuperevent(
  store: GraceDbStore,
  user: string,
  sid: string,
  name: string,
): void {
  store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    if (PROTECTED_LABELS.has(name)) {
      throw invalid(
        `The label '${name}' is managed by an automated process and cannot be removed manually`,
      );
    }
    if (!removeLabel(w, supereventParent(superevent), name, { log: true, alert: true }))
      throw notFound();
  });
}

export const EXPOSED_PERMISSIONS = [
  { group: 'gw-astronomy:LV-EM:Observers', permission: 'view_superevent' },
  { group: 'gw-astronomy:LV-EM:Observers', permission: 'annotate_superevent' },
  { group: 'public_users', permission: 'view_superevent' },
];

export function permissionsOf(superevent: SupereventRow): { group: string; permission: string }[] {
  return superevent.exposed ? EXPOSED_PERMISSIONS : [];
}

/** `POST superevents/{sid}/permissions/modify/` (§2.10.7); repeating an action changes nothing. */
export function modifyPermissions(
  store: GraceDbStore,
  user: string,
  sid: string,
  fields: RequestFields,
) {
  return store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    const action = fields.string('action');
    if (action !== 'expose' && action !== 'hide')
      throw invalid("action must be 'expose' or 'hide'");
    const expose = action === 'expose';
    if (Boolean(superevent.exposed) !== expose) {
      w.db
        .prepare('UPDATE superevents SET exposed = ? WHERE id = ?')
        .run(expose ? 1 : 0, superevent.id);
      addLog(w, supereventParent(superevent), {
        comment: expose
          ? 'Exposed to LV-EM observers and the general public.'
          : 'Hidden from LV-EM observers and the general public.',
      });
      const permissions = permissionsOf(supereventById(w.db, superevent.id));
      supereventAlert(w, superevent, expose ? 'exposed' : 'hidden', permissions);
    }
    return permissionsOf(supereventById(w.db, superevent.id));
  });
}

/** `POST superevents/{sid}/confirm-as-gw/` (§2.10.8): the next GW number of the date. */
export function confirmAsGw(
  store: GraceDbStore,
  user: string,
  sid: string,
): Record<string, unknown> {
  return store.write(user, (w) => {
    const superevent = requireSuperevent(w.db, sid);
    if (superevent.gw_id !== null) throw invalid('Superevent is already confirmed as a GW');
    const { n } = w.db
      .prepare(
        'SELECT coalesce(max(gw_number), 0) + 1 AS n FROM superevents WHERE category = ? AND date = ? AND gw_number IS NOT NULL',
      )
      .get(superevent.category, superevent.date) as { n: number };
    const gwId = formatSupereventId({
      category: superevent.category,
      gw: true,
      date: superevent.date,
      number: n,
    });
    w.db
      .prepare('UPDATE superevents SET gw_number = ?, gw_id = ? WHERE id = ?')
      .run(n, gwId, superevent.id);
    addLog(w, supereventParent(superevent), { comment: `Confirmed as GW: ${gwId}` });
    supereventAlert(w, superevent, 'confirmed_as_gw');
    return supereventJson(w, supereventById(w.db, superevent.id));
  });
}

/** Member listing for `GET superevents/{sid}/events/`. */
export function supereventMembers(store: GraceDbStore, superevent: SupereventRow) {
  return membersOf(store.db, superevent.id).map((e) => ({
    self: store.links.event(e.graceid),
    graceid: e.graceid,
  }));
}

export function visibleTo(superevent: SupereventRow, viewer: Viewer): boolean {
  return viewer.internal || superevent.exposed === 1;
}
