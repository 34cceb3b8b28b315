import { eventIdPrefix, formatGraceId } from '../ids.js';
import { eventAlert } from './alerts.js';
import { addLog, applyLabel, findLabel, storeFile } from './annotations.js';
import { ApiError, textError } from './api-error.js';
import { parseEventPayload } from './event-payload.js';
import { type EventRow, eventById, eventParent, requireEvent } from './model.js';
import { type ParsedEvent, PayloadError } from './parsed-event.js';
import { parseBoolean, type RequestFields, type UploadedFile } from './request-fields.js';
import { eventJson } from './serialize.js';
import type { GraceDbStore, Write } from './store.js';
import { GROUPS, PIPELINES, PROTECTED_LABELS, RETIRED_PIPELINES, SEARCHES } from './vocabulary.js';

const INVALID_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';

interface NewEventForm {
  group: string;
  pipeline: string;
  search: string | null;
  labels: string[];
  offline: boolean;
  file: UploadedFile;
}

/** Validates the creation form with the real service's error bodies (§2.1). */
function validateNewEvent(
  store: GraceDbStore,
  fields: RequestFields,
): { form: NewEventForm; warnings: string[] } {
  const errors: string[] = [];
  const file = fields.file('eventFile');
  if (!file) errors.push('eventFile: * This field is required.');
  const group = fields.string('group');
  if (!group) errors.push('group: * This field is required.');
  else if (!(GROUPS as readonly string[]).includes(group))
    errors.push(`group: * ${INVALID_CHOICE}`);
  const searchText = fields.string('search');
  const search = searchText ? searchText : null;
  if (search !== null && !(SEARCHES as readonly string[]).includes(search)) {
    errors.push(`search: * ${INVALID_CHOICE}`);
  }
  const warnings: string[] = [];
  const labels: string[] = [];
  for (const label of fields.list('labels')) {
    if (!store.options.labels.has(label)) {
      errors.push(`labels: * Select a valid choice. ${label} is not one of the available choices.`);
    } else if (PROTECTED_LABELS.has(label)) {
      errors.push(
        `labels: * The '${label}' label is managed as part of an automated process and cannot be applied manually`,
      );
    } else if (labels.includes(label)) {
      warnings.push(`Label '${label}' was given more than once.`);
    } else labels.push(label);
  }
  let offline = false;
  if (fields.has('offline')) {
    const parsed = parseBoolean(fields.raw('offline'));
    if (parsed === undefined)
      errors.push(
        "offline: * '" + fields.string('offline') + "' value must be either True or False.",
      );
    else offline = parsed;
  }
  const pipelineField = fields.string('pipeline');
  if (!pipelineField) errors.push('pipeline: * This field is required.');
  if (errors.length) throw new ApiError(400, { errors });
  const pipeline = pipelineField!;
  if (!(PIPELINES as readonly string[]).includes(pipeline)) {
    throw new ApiError(400, { error: 'Please provide a valid pipeline.' });
  }
  if (RETIRED_PIPELINES.has(pipeline)) {
    throw textError(
      400,
      `The ${pipeline} pipeline is no longer supported in GraceDB. Please contact an administrator to re-enable support.`,
    );
  }
  return { form: { group: group!, pipeline, search, labels, offline, file: file! }, warnings };
}

function readPayload(pipeline: string, search: string | null, file: UploadedFile): ParsedEvent {
  try {
    return parseEventPayload(pipeline, search, file.filename, file.data);
  } catch (err) {
    if (err instanceof PayloadError) throw new ApiError(400, { error: err.message });
    throw err;
  }
}

/** Stages the upload and the files derived from it; returns blob names in the same order. */
async function stage(
  store: GraceDbStore,
  file: UploadedFile,
  parsed: ParsedEvent,
): Promise<string[]> {
  const blobs: string[] = [];
  try {
    blobs.push(await store.files.put(file.data));
    for (const derived of parsed.derivedFiles) blobs.push(await store.files.put(derived.data));
  } catch (err) {
    await store.files.discard(blobs);
    throw err;
  }
  return blobs;
}

/** Runs a write that refers to staged blobs; removes them when the write fails. */
export async function withStagedBlobs<T>(
  store: GraceDbStore,
  blobs: string[],
  fn: () => T,
): Promise<T> {
  try {
    return fn();
  } catch (err) {
    await store.files.discard(blobs);
    throw err;
  }
}

function writeUploadLogs(
  w: Write,
  row: EventRow,
  file: UploadedFile,
  parsed: ParsedEvent,
  blobs: string[],
): void {
  const parent = eventParent(row);
  const version = storeFile(w, parent, file.filename, blobs[0]!, file.data.byteLength);
  addLog(w, parent, { comment: 'Original Data', filename: file.filename, fileVersion: version });
  parsed.derivedFiles.forEach((derived, i) => {
    const v = storeFile(w, parent, derived.name, blobs[i + 1]!, derived.data.byteLength);
    addLog(w, parent, { comment: derived.comment, filename: derived.name, fileVersion: v });
  });
  for (const note of parsed.notes) addLog(w, parent, { comment: note });
}

/** `POST events/` (§2.1): 201 with the event JSON plus `warnings`. */
export async function createEvent(
  store: GraceDbStore,
  user: string,
  fields: RequestFields,
): Promise<Record<string, unknown>> {
  const { form, warnings } = validateNewEvent(store, fields);
  const parsed = readPayload(form.pipeline, form.search, form.file);
  const injection = parsed.attributes.SimInspiral as Record<string, unknown> | undefined;
  if (injection) {
    // The channels of a hardware injection come with the form, not the file.
    injection.source_channel = fields.string('source_channel') ?? null;
    injection.destination_channel = fields.string('destination_channel') ?? null;
    parsed.instruments = fields.string('instrument') ?? parsed.instruments;
  }
  const blobs = await stage(store, form.file, parsed);
  return withStagedBlobs(store, blobs, () =>
    store.write(user, (w) => {
      const result = w.db
        .prepare(
          `INSERT INTO events (submitter, created_ms, grp, pipeline, search, gpstime, instruments, nevents,
             offline, far, likelihood, attributes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          user,
          w.now,
          form.group,
          form.pipeline,
          form.search,
          parsed.gpstime,
          parsed.instruments,
          parsed.nevents,
          form.offline ? 1 : 0,
          parsed.far,
          parsed.likelihood,
          JSON.stringify(parsed.attributes),
        );
      const id = Number(result.lastInsertRowid);
      const graceid = formatGraceId(eventIdPrefix(form), id);
      w.db.prepare('UPDATE events SET graceid = ? WHERE id = ?').run(graceid, id);
      const row = eventById(w.db, id);
      writeUploadLogs(w, row, form.file, parsed, blobs);
      eventAlert(w, row, 'new');
      for (const label of form.labels)
        applyLabel(w, eventParent(row), label, { log: true, alert: true });
      return { ...eventJson(w, eventById(w.db, id)), warnings: [...parsed.warnings, ...warnings] };
    }),
  );
}

/** `PUT events/{gid}` (§2.2): a new version of the event file, parsed again; 202. */
export async function replaceEvent(
  store: GraceDbStore,
  user: string,
  graceid: string,
  fields: RequestFields,
): Promise<void> {
  const existing = requireEvent(store.db, graceid);
  if (existing.submitter !== user) {
    throw textError(
      403,
      `You did not create this event. You (${user}) Them (${existing.submitter})`,
    );
  }
  const file = fields.file('eventFile');
  if (!file) throw new ApiError(400, { errors: ['eventFile: * This field is required.'] });
  const parsed = readPayload(existing.pipeline, existing.search, file);
  const blobs = await stage(store, file, parsed);
  await withStagedBlobs(store, blobs, () =>
    store.write(user, (w) => {
      const row = requireEvent(w.db, graceid);
      w.db
        .prepare(
          'UPDATE events SET gpstime = ?, far = ?, instruments = ?, nevents = ?, likelihood = ?, attributes = ? WHERE id = ?',
        )
        .run(
          parsed.gpstime,
          parsed.far,
          parsed.instruments,
          parsed.nevents,
          parsed.likelihood,
          JSON.stringify(parsed.attributes),
          row.id,
        );
      writeUploadLogs(w, row, file, parsed, blobs);
      eventAlert(w, row, 'update');
    }),
  );
}

const GRB_FIELDS: Record<string, 'number' | 'string'> = {
  t90: 'number',
  redshift: 'number',
  designation: 'string',
  ra: 'number',
  dec: 'number',
  error_radius: 'number',
};

/** `PATCH events/{gid}/update-grbevent/` (§2.13): a few GRB attributes; alert `update`. */
export function updateGrbEvent(
  store: GraceDbStore,
  user: string,
  graceid: string,
  fields: RequestFields,
) {
  return store.write(user, (w) => {
    const row = requireEvent(w.db, graceid);
    const attributes = JSON.parse(row.attributes) as Record<string, Record<string, unknown>>;
    const grb = attributes.GRB;
    if (!grb) throw textError(400, `Event ${graceid} is not a GRB event`);
    let changed = false;
    for (const [field, type] of Object.entries(GRB_FIELDS)) {
      if (!fields.has(field)) continue;
      const raw = fields.string(field)!;
      const key = field === 't90' ? 'T90' : field;
      let value: unknown = raw;
      if (type === 'number') {
        value = Number(raw);
        if (!Number.isFinite(value))
          throw new ApiError(400, `${field}: A valid number is required.`);
      }
      if (grb[key] !== value) {
        grb[key] = value;
        changed = true;
      }
    }
    if (!changed) throw new ApiError(400, 'Request would not modify the GRB event');
    w.db
      .prepare('UPDATE events SET attributes = ? WHERE id = ?')
      .run(JSON.stringify(attributes), row.id);
    eventAlert(w, row, 'update');
    return eventJson(w, eventById(w.db, row.id));
  });
}

/** `PUT events/{gid}/labels/{name}` (§2.8): 201 new, 200 already there; body a JSON string. */
export function labelEvent(
  store: GraceDbStore,
  user: string,
  graceid: string,
  name: string,
): { status: 200 | 201; body: string } {
  return store.write(user, (w) => {
    const row = requireEvent(w.db, graceid);
    if (!store.options.labels.has(name)) throw new ApiError(400, `No such Label '${name}'`);
    if (PROTECTED_LABELS.has(name)) {
      throw new ApiError(
        400,
        `The '${name}' label is managed as part of an automated process and cannot be applied manually`,
      );
    }
    const parent = eventParent(row);
    if (findLabel(w, parent, name)) {
      return {
        status: 200,
        body: JSON.stringify({ warning: `Event ${graceid} already labeled with '${name}'` }),
      };
    }
    applyLabel(w, parent, name, { log: true, alert: true });
    return { status: 201, body: '{}' };
  });
}
