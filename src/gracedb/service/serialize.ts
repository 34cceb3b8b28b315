import { formatGraceDbTime, roundGps, unixToGps } from '../gps-time.js';
import { CATEGORY_NAMES } from '../ids.js';
import type { Db } from './database.js';
import type { Links } from './links.js';
import {
  type EventRow,
  eventById,
  labelNames,
  membersOf,
  type Parent,
  type SupereventRow,
} from './model.js';

/** Who is reading: internal users see everything, the public a reduced view (§3.2). */
export interface Viewer {
  user: string | null;
  internal: boolean;
}

export const INTERNAL: Viewer = { user: null, internal: true };

export interface SerializeContext {
  db: Db;
  links: Links;
}

/** How far a superevent's neighbourhood reaches around an event's gpstime (§3.1). */
const NEIGHBOUR_WINDOW_S = 100;

function reportingLatency(row: EventRow): number | null {
  if (row.gpstime === null) return null;
  return roundGps(unixToGps(row.created_ms / 1000) - row.gpstime);
}

/** The event fields up to `likelihood`: what `superevent_neighbours` lists per pipeline. */
export function basicEventJson(row: EventRow): Record<string, unknown> {
  return {
    submitter: row.submitter,
    created: formatGraceDbTime(row.created_ms),
    group: row.grp,
    graceid: row.graceid,
    pipeline: row.pipeline,
    gpstime: row.gpstime,
    reporting_latency: reportingLatency(row),
    instruments: row.instruments,
    nevents: row.nevents,
    offline: row.offline === 1,
    search: row.search,
    far: row.far,
    far_is_upper_limit: false,
    likelihood: row.likelihood,
  };
}

/** Basic fields plus labels and extra_attributes (pipeline-preferred events, nested data). */
export function eventWithAttributesJson(
  ctx: SerializeContext,
  row: EventRow,
): Record<string, unknown> {
  return {
    ...basicEventJson(row),
    labels: labelNames(ctx.db, 'event', row.id),
    extra_attributes: JSON.parse(row.attributes),
  };
}

export function eventLinks(links: Links, graceid: string): Record<string, string> {
  const self = links.event(graceid);
  return {
    neighbors: `${self}/neighbors/`,
    log: `${self}/log/`,
    emobservations: `${self}/emobservation/`,
    files: `${self}/files/`,
    labels: `${self}/labels/`,
    self,
    tags: `${self}/tag/`,
  };
}

/** The complete event JSON of §3.1, as GET, search results and notifications carry it. */
export function eventJson(ctx: SerializeContext, row: EventRow): Record<string, unknown> {
  return {
    ...eventWithAttributesJson(ctx, row),
    superevent: row.superevent === null ? null : supereventIdOf(ctx.db, row.superevent),
    superevent_neighbours: neighboursOf(ctx, row),
    links: eventLinks(ctx.links, row.graceid),
  };
}

function supereventIdOf(db: Db, id: number): string {
  return (
    db.prepare('SELECT superevent_id FROM superevents WHERE id = ?').get(id) as {
      superevent_id: string;
    }
  ).superevent_id;
}

function eventCategoryKey(row: EventRow): string {
  if (row.grp === 'Test') return 'T';
  if (row.search === 'MDC') return 'M';
  return 'P';
}

/** Superevents of the event's category with t_0 within ±100 s of its gpstime (§3.3). */
function neighboursOf(ctx: SerializeContext, row: EventRow): Record<string, unknown> {
  if (row.gpstime === null) return {};
  const rows = ctx.db
    .prepare(
      'SELECT * FROM superevents WHERE category = ? AND t_0 BETWEEN ? AND ? ORDER BY t_0, id',
    )
    .all(
      eventCategoryKey(row),
      row.gpstime - NEIGHBOUR_WINDOW_S,
      row.gpstime + NEIGHBOUR_WINDOW_S,
    ) as SupereventRow[];
  const out: Record<string, unknown> = {};
  for (const s of rows) {
    const members = membersOf(ctx.db, s.id);
    const preferred = eventById(ctx.db, s.preferred_event);
    const pipelinePreferred: Record<string, unknown> = {};
    for (const [pipeline, event] of pipelinePreferredOf(ctx.db, s.id)) {
      pipelinePreferred[pipeline] = basicEventJson(event);
    }
    out[s.superevent_id] = {
      superevent_id: s.superevent_id,
      gw_events: members.filter((e) => e.grp !== 'External').map((e) => e.graceid),
      preferred_event: preferred.graceid,
      preferred_event_data: eventWithAttributesJson(ctx, preferred),
      pipeline_preferred_events: pipelinePreferred,
      far: preferred.far,
      t_start: s.t_start,
      t_0: s.t_0,
      t_end: s.t_end,
      labels: labelNames(ctx.db, 'superevent', s.id),
    };
  }
  return out;
}

export function pipelinePreferredOf(db: Db, supereventRowId: number): [string, EventRow][] {
  const rows = db
    .prepare(
      `SELECT p.pipeline AS pp_pipeline, e.* FROM pipeline_preferred p JOIN events e ON e.id = p.event
       WHERE p.superevent = ? ORDER BY p.pipeline`,
    )
    .all(supereventRowId) as (EventRow & { pp_pipeline: string })[];
  return rows.map(({ pp_pipeline, ...event }) => [pp_pipeline, event as EventRow]);
}

export function supereventLinks(
  links: Links,
  sid: string,
  viewer: Viewer = INTERNAL,
): Record<string, string> {
  const self = links.superevent(sid);
  const out: Record<string, string> = {};
  if (viewer.internal) out.events = `${self}events/`;
  out.labels = `${self}labels/`;
  out.logs = `${self}logs/`;
  out.files = `${self}files/`;
  out.self = self;
  out.voevents = `${self}voevents/`;
  out.emobservations = `${self}emobservations/`;
  return out;
}

/** The superevent JSON of §3.2; the public sees no member lists and reduced pipeline data. */
export function supereventJson(
  ctx: SerializeContext,
  row: SupereventRow,
  viewer: Viewer = INTERNAL,
): Record<string, unknown> {
  const members = membersOf(ctx.db, row.id);
  const preferred = eventById(ctx.db, row.preferred_event);
  const out: Record<string, unknown> = {
    superevent_id: row.superevent_id,
    gw_id: row.gw_id,
    category: CATEGORY_NAMES[row.category],
    created: formatGraceDbTime(row.created_ms),
    submitter: row.submitter,
  };
  if (viewer.internal) out.preferred_event = preferred.graceid;
  out.em_type = row.em_type;
  out.t_start = row.t_start;
  out.t_0 = row.t_0;
  out.t_end = row.t_end;
  if (viewer.internal) {
    out.gw_events = members.filter((e) => e.grp !== 'External').map((e) => e.graceid);
    out.em_events = members.filter((e) => e.grp === 'External').map((e) => e.graceid);
  }
  out.far = preferred.far;
  out.time_coinc_far = row.time_coinc_far;
  out.space_coinc_far = row.space_coinc_far;
  out.labels = labelNames(ctx.db, 'superevent', row.id);
  out.links = supereventLinks(ctx.links, row.superevent_id, viewer);
  if (viewer.internal) out.preferred_event_data = eventJson(ctx, preferred);
  const pipelinePreferred: Record<string, unknown> = {};
  for (const [pipeline, event] of pipelinePreferredOf(ctx.db, row.id)) {
    pipelinePreferred[pipeline] = viewer.internal
      ? eventWithAttributesJson(ctx, event)
      : {
          graceid: event.graceid,
          group: event.grp,
          pipeline: event.pipeline,
          search: event.search,
          gpstime: event.gpstime,
          far: event.far,
        };
  }
  out.pipeline_preferred_events = pipelinePreferred;
  return out;
}

/** URL of a parent as its sub-resources are built on (events without, superevents with slash). */
export function parentUrl(links: Links, parent: Parent): string {
  return parent.kind === 'event'
    ? links.event(parent.row.graceid)
    : links.superevent(parent.row.superevent_id);
}

export interface LogRow {
  n: number;
  comment: string;
  created_ms: number;
  issuer: string;
  filename: string;
  file_version: number | null;
}

export function logTags(db: Db, parent: Parent, n: number): string[] {
  return (
    db
      .prepare(
        'SELECT tag FROM log_tags WHERE parent_kind = ? AND parent_id = ? AND n = ? ORDER BY seq',
      )
      .all(parent.kind, parent.id, n) as { tag: string }[]
  ).map((r) => r.tag);
}

/** A log entry in the event (§3.4, `self` without slash, extra `tags`) or superevent form. */
export function logJson(
  ctx: SerializeContext,
  parent: Parent,
  log: LogRow,
): Record<string, unknown> {
  const base = parentUrl(ctx.links, parent);
  const file =
    log.filename === '' || log.file_version === null
      ? null
      : ctx.links.file(base, log.filename, log.file_version);
  const common = {
    N: log.n,
    comment: log.comment,
    created: formatGraceDbTime(log.created_ms),
    issuer: log.issuer,
    filename: log.filename,
    file_version: log.file_version,
    tag_names: logTags(ctx.db, parent, log.n),
  };
  if (parent.kind === 'event') {
    return {
      ...common,
      self: `${base}/log/${log.n}`,
      tags: `${base}/log/${log.n}/tag/`,
      file,
    };
  }
  return { self: `${base}logs/${log.n}/`, ...common, file };
}

export interface LabelRow {
  name: string;
  creator: string;
  created_ms: number;
}

export function labelJson(
  ctx: SerializeContext,
  parent: Parent,
  label: LabelRow,
): Record<string, unknown> {
  const base = parentUrl(ctx.links, parent);
  if (parent.kind === 'event') {
    return {
      name: label.name,
      creator: label.creator,
      created: formatGraceDbTime(label.created_ms),
      self: `${base}/labels/${label.name}`,
    };
  }
  return {
    self: `${base}labels/${label.name}/`,
    name: label.name,
    created: formatGraceDbTime(label.created_ms),
    creator: label.creator,
  };
}

export function tagJson(
  ctx: SerializeContext,
  parent: Parent,
  n: number,
  tag: { name: string; display_name: string | null },
): Record<string, unknown> {
  const base = parentUrl(ctx.links, parent);
  const self =
    parent.kind === 'event'
      ? `${base}/log/${n}/tag/${tag.name}`
      : `${base}logs/${n}/tags/${tag.name}/`;
  return parent.kind === 'event'
    ? { self, name: tag.name, displayName: tag.display_name }
    : { name: tag.name, displayName: tag.display_name, self };
}
