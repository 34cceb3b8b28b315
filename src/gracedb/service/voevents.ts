import { formatGraceDbTime } from '../gps-time.js';
import { isEventId } from '../ids.js';
import { parseVersionedFilename } from '../versioned-filename.js';
import { eventAlert, supereventAlert } from './alerts.js';
import { addLog, storeFile } from './annotations.js';
import { ApiError, invalid } from './api-error.js';
import { type EventRow, eventById, findEvent, type Parent, parentName } from './model.js';
import { parseBoolean, type RequestFields } from './request-fields.js';
import { parentUrl } from './serialize.js';
import type { GraceDbStore, Write } from './store.js';
import {
  isVoeventTypeCode,
  renderServiceVoevent,
  type ServiceVoeventInput,
  voeventTypeName,
} from './voevent-notice.js';

/** The stored VOEvent fields, named as GraceDB's serializer names them (§3.7). */
interface VoeventFields {
  skymap_type: string | null;
  skymap_filename: string | null;
  internal: boolean;
  open_alert: boolean;
  hardware_inj: boolean;
  coinc_comment: boolean;
  prob_has_ns: number | null;
  prob_has_remnant: number | null;
  prob_bns: number | null;
  prob_nsbh: number | null;
  prob_bbh: number | null;
  significant: boolean;
  prob_terrestrial: number | null;
  prob_has_mass_gap: number | null;
  prob_has_ssm: number | null;
  raven_coinc: boolean;
  ext_gcn: string | null;
  ext_pipeline: string | null;
  ext_search: string | null;
  combined_skymap_filename: string | null;
  time_coinc_far: number | null;
  space_coinc_far: number | null;
  delta_t: number | null;
}

interface VoeventRow {
  n: number;
  voevent_type: string;
  ivorn: string;
  filename: string;
  file_version: number;
  created_ms: number;
  issuer: string;
  fields: string;
}

const PROBABILITIES: [string, keyof VoeventFields][] = [
  ['ProbHasNS', 'prob_has_ns'],
  ['ProbHasRemnant', 'prob_has_remnant'],
  ['BNS', 'prob_bns'],
  ['NSBH', 'prob_nsbh'],
  ['BBH', 'prob_bbh'],
  ['Terrestrial', 'prob_terrestrial'],
  ['HasMassGap', 'prob_has_mass_gap'],
  ['HasSSM', 'prob_has_ssm'],
];

function readFields(fields: RequestFields, errors: string[]): VoeventFields {
  const bool = (name: string, fallback: boolean): boolean => {
    if (!fields.has(name)) return fallback;
    const v = parseBoolean(fields.raw(name));
    if (v === undefined) {
      errors.push(`Must be a valid boolean.`);
      return fallback;
    }
    return v;
  };
  const num = (name: string, min: number, max: number): number | null => {
    if (!fields.has(name) || fields.raw(name) === null || fields.string(name) === '') return null;
    const v = Number(fields.raw(name));
    if (!Number.isFinite(v)) errors.push('A valid number is required.');
    else if (v < min) errors.push(`Ensure this value is greater than or equal to ${min}.`);
    else if (v > max) errors.push(`Ensure this value is less than or equal to ${max}.`);
    else return v;
    return null;
  };
  const str = (name: string): string | null => fields.string(name) || null;
  const out: VoeventFields = {
    skymap_type: str('skymap_type'),
    skymap_filename: str('skymap_filename'),
    internal: bool('internal', true),
    open_alert: bool('open_alert', false),
    hardware_inj: bool('hardware_inj', false),
    coinc_comment: bool('CoincComment', false),
    prob_has_ns: null,
    prob_has_remnant: null,
    prob_bns: null,
    prob_nsbh: null,
    prob_bbh: null,
    significant: bool('Significant', false),
    prob_terrestrial: null,
    prob_has_mass_gap: null,
    prob_has_ssm: null,
    raven_coinc: bool('raven_coinc', false),
    ext_gcn: str('ext_gcn'),
    ext_pipeline: str('ext_pipeline'),
    ext_search: str('ext_search'),
    combined_skymap_filename: str('combined_skymap_filename'),
    time_coinc_far: num('time_coinc_far', 0, 1000),
    space_coinc_far: num('space_coinc_far', 0, 1000),
    delta_t: num('delta_t', -1000, 1000),
  };
  for (const [form, key] of PROBABILITIES)
    (out as unknown as Record<string, unknown>)[key] = num(form, 0, 1);
  return out;
}

/** The newest version of a file (or the exact `name,N`) on a parent, or undefined. */
function findFile(
  w: Write,
  parent: Parent,
  filename: string,
): { name: string; version: number } | undefined {
  let ref: ReturnType<typeof parseVersionedFilename>;
  try {
    ref = parseVersionedFilename(filename);
  } catch {
    return undefined;
  }
  const row = (
    ref.version === undefined
      ? w.db
          .prepare(
            'SELECT name, max(version) AS version FROM files WHERE parent_kind = ? AND parent_id = ? AND name = ?',
          )
          .get(parent.kind, parent.id, ref.name)
      : w.db
          .prepare(
            'SELECT name, version FROM files WHERE parent_kind = ? AND parent_id = ? AND name = ? AND version = ?',
          )
          .get(parent.kind, parent.id, ref.name, ref.version)
  ) as { name: string | null; version: number | null } | undefined;
  return row?.name ? { name: row.name, version: row.version! } : undefined;
}

export function voeventJson(
  w: Pick<Write, 'links'>,
  parent: Parent,
  row: VoeventRow,
): Record<string, unknown> {
  const base = parentUrl(w.links, parent);
  const fields = JSON.parse(row.fields) as VoeventFields;
  const file = w.links.file(base, row.filename, row.file_version);
  if (parent.kind === 'event') {
    return {
      links: { self: `${base}/voevent/${row.n}`, file },
      N: row.n,
      issuer: row.issuer,
      ivorn: row.ivorn,
      filename: row.filename,
      file_version: row.file_version,
      voevent_type: row.voevent_type,
      created: formatGraceDbTime(row.created_ms),
      skymap_type: fields.skymap_type,
      skymap_filename: fields.skymap_filename,
      internal: fields.internal,
      open_alert: fields.open_alert,
      hardware_inj: fields.hardware_inj,
      coinc_comment: fields.coinc_comment,
      prob_has_ns: fields.prob_has_ns,
      prob_has_remnant: fields.prob_has_remnant,
      prob_bns: fields.prob_bns,
      prob_nsbh: fields.prob_nsbh,
      prob_bbh: fields.prob_bbh,
      prob_terrestrial: fields.prob_terrestrial,
      prob_mass_gap: fields.prob_has_mass_gap,
    };
  }
  return {
    voevent_type: row.voevent_type,
    file_version: row.file_version,
    ivorn: row.ivorn,
    created: formatGraceDbTime(row.created_ms),
    issuer: row.issuer,
    filename: row.filename,
    N: row.n,
    links: { self: `${base}voevents/${row.n}/`, file },
    skymap_type: fields.skymap_type,
    skymap_filename: fields.skymap_filename,
    internal: fields.internal,
    open_alert: fields.open_alert,
    hardware_inj: fields.hardware_inj,
    coinc_comment: fields.coinc_comment,
    prob_has_ns: fields.prob_has_ns,
    prob_has_remnant: fields.prob_has_remnant,
    prob_bns: fields.prob_bns,
    prob_nsbh: fields.prob_nsbh,
    prob_bbh: fields.prob_bbh,
    significant: fields.significant,
    prob_terrestrial: fields.prob_terrestrial,
    prob_has_mass_gap: fields.prob_has_mass_gap,
    prob_has_ssm: fields.prob_has_ssm,
    raven_coinc: fields.raven_coinc,
    ext_gcn: fields.ext_gcn,
    ext_pipeline: fields.ext_pipeline,
    ext_search: fields.ext_search,
    combined_skymap_filename: fields.combined_skymap_filename,
  };
}

/** The public only sees the identity of a VOEvent (§3.7). */
export function publicVoeventJson(full: Record<string, unknown>): Record<string, unknown> {
  const { voevent_type, file_version, ivorn, created, issuer, filename, N, links } = full;
  return { voevent_type, file_version, ivorn, created, issuer, filename, N, links };
}

export function listVoevents(
  w: Pick<Write, 'db' | 'links'>,
  parent: Parent,
): Record<string, unknown>[] {
  const rows = w.db
    .prepare('SELECT * FROM voevents WHERE parent_kind = ? AND parent_id = ? ORDER BY n')
    .all(parent.kind, parent.id) as VoeventRow[];
  return rows.map((row) => voeventJson(w, parent, row));
}

/** Validation errors: bare strings on superevents, `{"error": ...}` on events (§2.11). */
function fail(parent: Parent, message: string): ApiError {
  return parent.kind === 'event' ? new ApiError(400, { error: message }) : invalid(message);
}

/** `POST superevents/{sid}/voevents/` or `POST events/{gid}/voevent/` (§2.11). */
export function createVoevent(
  store: GraceDbStore,
  user: string,
  resolveParent: (w: Write) => Parent,
  fields: RequestFields,
): Record<string, unknown> {
  return store.write(user, (w) => {
    const parent = resolveParent(w);
    const errors: string[] = [];
    const type = fields.string('voevent_type');
    if (!type || !isVoeventTypeCode(type)) {
      throw parent.kind === 'event'
        ? fail(parent, 'You must provide a valid voevent_type.')
        : invalid(type ? `"${type}" is not a valid choice.` : 'This field is required.');
    }
    const code = type;
    if (fields.has('MassGap')) throw fail(parent, 'MassGap has been replaced with HasMassGap');
    const values = readFields(fields, errors);
    if (errors.length)
      throw parent.kind === 'event' ? fail(parent, errors.join(' ')) : invalid(...errors);

    const preferred: EventRow =
      parent.kind === 'event' ? parent.row : eventById(w.db, parent.row.preferred_event);
    if (preferred.gpstime === null) {
      throw fail(parent, 'Cannot build a VOEvent because preferred event does not have a gpstime.');
    }
    if (parent.kind === 'event' && preferred.far === null && code !== 'RE') {
      throw fail(parent, 'Cannot build a VOEvent because event has no FAR.');
    }
    if (parent.kind === 'event' && !values.skymap_type !== !values.skymap_filename) {
      throw fail(parent, 'Both or neither of skymap_type and skymap_filename must be specified.');
    }
    if ((code === 'IN' || code === 'UP') && !values.skymap_filename) {
      throw fail(parent, 'Skymap filename is required for initial and update VOEvents.');
    }
    let skymapUrl: string | undefined;
    if (values.skymap_filename && code !== 'RE') {
      if (!values.skymap_type)
        throw fail(parent, 'Skymap type is required for VOEvents that include a skymap.');
      const file = findFile(w, parent, values.skymap_filename);
      if (!file)
        throw fail(parent, `Skymap file ${values.skymap_filename} not found for this superevent.`);
      skymapUrl = w.links.file(parentUrl(w.links, parent), file.name, file.version);
    }
    let external: ServiceVoeventInput['external'];
    if (values.raven_coinc && parent.kind === 'superevent') {
      const sid = parent.row.superevent_id;
      const emType = parent.row.em_type;
      if (!emType) throw fail(parent, `em_type for superevent ${sid} not set (is None)`);
      if (!isEventId(emType))
        throw fail(parent, `em_type for superevent ${sid} is not a valid graceid`);
      const ext = findEvent(w.db, emType);
      if (!ext) throw fail(parent, `event for em_type=${emType} not found`);
      const grb = (JSON.parse(ext.attributes) as Record<string, Record<string, unknown>>).GRB ?? {};
      let combinedSkymapUrl: string | undefined;
      if (values.combined_skymap_filename) {
        const file = findFile(w, parent, values.combined_skymap_filename);
        if (!file)
          throw fail(
            parent,
            `Combined skymap file ${values.combined_skymap_filename} not found for this superevent.`,
          );
        combinedSkymapUrl = w.links.file(parentUrl(w.links, parent), file.name, file.version);
      }
      external = {
        triggerId: values.ext_gcn ?? (grb.trigger_id as string | null | undefined) ?? null,
        ivorn: (grb.ivorn as string | null | undefined) ?? null,
        observatory: values.ext_pipeline ?? ext.pipeline,
        search: values.ext_search ?? ext.search,
        timeDifference:
          values.delta_t ??
          (ext.gpstime === null ? null : Math.round((ext.gpstime - parent.row.t_0) * 100) / 100),
        timeCoincFar: values.time_coinc_far ?? parent.row.time_coinc_far,
        spaceCoincFar: values.space_coinc_far ?? parent.row.space_coinc_far,
        combinedSkymapUrl,
      };
    } else if (
      values.combined_skymap_filename &&
      !findFile(w, parent, values.combined_skymap_filename)
    ) {
      throw fail(
        parent,
        `Combined skymap file ${values.combined_skymap_filename} not found for this superevent.`,
      );
    }

    const { n } = w.db
      .prepare(
        'SELECT coalesce(max(n), 0) + 1 AS n FROM voevents WHERE parent_kind = ? AND parent_id = ?',
      )
      .get(parent.kind, parent.id) as { n: number };
    const graceId = parentName(parent);
    const typeName = voeventTypeName(code);
    const filename = `${graceId}-${n}-${typeName}.xml`;
    const earlierIvorns = (
      w.db
        .prepare('SELECT ivorn FROM voevents WHERE parent_kind = ? AND parent_id = ? ORDER BY n')
        .all(parent.kind, parent.id) as { ivorn: string }[]
    ).map((r) => r.ivorn);
    const xml = renderServiceVoevent({
      graceId,
      n,
      type: code,
      role: preferred.grp === 'Test' || preferred.search === 'MDC' ? 'test' : 'observation',
      createdMs: w.now,
      eventPage:
        parent.kind === 'event' ? w.links.eventView(graceId) : w.links.supereventView(graceId),
      internal: values.internal,
      openAlert: values.open_alert,
      hardwareInj: values.hardware_inj,
      coincComment: values.coinc_comment,
      significant: values.significant,
      preferred: {
        group: preferred.grp,
        pipeline: preferred.pipeline,
        search: preferred.search,
        instruments: preferred.instruments,
        far: preferred.far,
        gpstime: preferred.gpstime,
        attributes: JSON.parse(preferred.attributes),
      },
      skymapUrl,
      classification: {
        ...(values.prob_bns === null ? {} : { BNS: values.prob_bns }),
        ...(values.prob_nsbh === null ? {} : { NSBH: values.prob_nsbh }),
        ...(values.prob_bbh === null ? {} : { BBH: values.prob_bbh }),
        ...(values.prob_terrestrial === null ? {} : { Terrestrial: values.prob_terrestrial }),
      },
      properties: {
        ...(values.prob_has_ns === null ? {} : { HasNS: values.prob_has_ns }),
        ...(values.prob_has_remnant === null ? {} : { HasRemnant: values.prob_has_remnant }),
        ...(values.prob_has_mass_gap === null ? {} : { HasMassGap: values.prob_has_mass_gap }),
        ...(values.prob_has_ssm === null ? {} : { HasSSM: values.prob_has_ssm }),
      },
      external,
      earlierIvorns,
    });
    const data = new TextEncoder().encode(xml);
    const version = storeFile(w, parent, filename, w.stage(data), data.byteLength);
    const row: VoeventRow = {
      n,
      voevent_type: code,
      ivorn: `ivo://gwnet/LVC#${graceId}-${n}-${typeName}`,
      filename,
      file_version: version,
      created_ms: w.now,
      issuer: w.user,
      fields: JSON.stringify(values),
    };
    w.db
      .prepare(
        `INSERT INTO voevents (parent_kind, parent_id, n, voevent_type, ivorn, filename, file_version, created_ms, issuer, fields)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        parent.kind,
        parent.id,
        n,
        code,
        row.ivorn,
        filename,
        version,
        w.now,
        w.user,
        row.fields,
      );
    addLog(w, parent, {
      comment: 'New VOEvent',
      filename,
      fileVersion: version,
      tags: ['em_follow'],
    });
    const json = voeventJson(w, parent, row);
    if (parent.kind === 'event') eventAlert(w, parent.row, 'voevent', json);
    else supereventAlert(w, parent.row, 'voevent', json);
    return json;
  });
}
