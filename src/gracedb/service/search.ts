import { ApiError } from './api-error.js';
import type { EventRow, SupereventRow } from './model.js';
import { compileEventQuery } from './query/event-query.js';
import { compileSupereventQuery } from './query/superevent-query.js';
import { QuerySyntaxError } from './query/tokens.js';
import { eventJson, supereventJson, type Viewer } from './serialize.js';
import type { GraceDbStore } from './store.js';

/** Search parameters as clients send them (§1.5); the next page's URL carries all of them. */
export interface SearchParams {
  query: string;
  start: number;
  count: number;
  sort: string;
}

/** Pages are capped so that one request cannot ask for the whole database. */
const MAX_COUNT = 1000;

export function readSearchParams(q: Record<string, unknown>, defaultSort: string): SearchParams {
  const int = (name: string, fallback: number): number => {
    const raw = q[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw new ApiError(400, { detail: `${name} must be a non-negative integer` });
    return n;
  };
  const count = Math.min(int('count', 10), MAX_COUNT);
  return {
    query: typeof q.query === 'string' ? q.query : '',
    start: int('start', 0),
    count: count === 0 ? 10 : count,
    sort: typeof q.sort === 'string' && q.sort !== '' ? q.sort : defaultSort,
  };
}

const EVENT_SORT: Record<string, string> = {
  created: 'e.created_ms',
  gpstime: 'e.gpstime',
  far: 'e.far',
  graceid: 'e.id',
  id: 'e.id',
  group: 'e.grp',
  pipeline: 'e.pipeline',
  search: 'e.search',
  submitter: 'e.submitter',
  likelihood: 'e.likelihood',
  instruments: 'e.instruments',
  nevents: 'e.nevents',
  offline: 'e.offline',
};

const SUPEREVENT_SORT: Record<string, string[]> = {
  created: ['s.created_ms'],
  t_0: ['s.t_0'],
  t_start: ['s.t_start'],
  t_end: ['s.t_end'],
  category: ['s.category'],
  is_gw: ['(s.gw_id IS NOT NULL)'],
  superevent_id: ['s.date', 's.number'],
  id: ['s.date', 's.number'],
  preferred_event: ['s.preferred_event'],
  submitter: ['s.submitter'],
};

function orderBy(
  sort: string,
  columns: Record<string, string[]>,
  fallback: string,
  tieBreak: string,
): string {
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  const picked = columns[key] ?? columns[fallback.replace(/^-/, '')]!;
  const direction = (columns[key] ? desc : fallback.startsWith('-')) ? 'DESC' : 'ASC';
  return [...picked, tieBreak].map((c) => `${c} ${direction}`).join(', ');
}

function pageUrl(base: string, params: SearchParams, start: number): string {
  const q = new URLSearchParams({
    start: String(start),
    count: String(params.count),
    sort: params.sort,
    query: params.query,
  });
  return `${base}?${q.toString().replaceAll('%2C', ',')}`;
}

function compile<T>(fn: () => T, body: unknown): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof QuerySyntaxError) throw new ApiError(400, body);
    throw err;
  }
}

/** `GET events/?query=...` (§2.4): only what the viewer may see, Test/MDC excluded by default. */
export function searchEvents(
  store: GraceDbStore,
  viewer: Viewer,
  params: SearchParams,
  selfUrl: string,
) {
  const where = compile(
    () =>
      compileEventQuery(params.query, {
        db: store.db,
        labels: [...store.options.labels],
        now: store.clock(),
      }),
    { error: 'Invalid query' },
  );
  // The public sees no events at all (only exposed superevents).
  const visible = viewer.internal ? '1' : '0';
  const numRows = (
    store.db
      .prepare(`SELECT count(*) AS n FROM events e WHERE ${visible} AND ${where.sql}`)
      .get(...where.params) as {
      n: number;
    }
  ).n;
  const order = orderBy(
    params.sort,
    Object.fromEntries(Object.entries(EVENT_SORT).map(([k, v]) => [k, [v]])),
    '-created',
    'e.id',
  );
  const rows = store.db
    .prepare(
      `SELECT e.* FROM events e WHERE ${visible} AND ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...where.params, params.count, params.start) as EventRow[];
  const base = `${store.links.api}events/`;
  const last = Math.floor(numRows / params.count) * params.count;
  const links: Record<string, string> = {
    self: selfUrl,
    first: pageUrl(base, params, 0),
    last: pageUrl(base, params, last),
  };
  if (params.start !== last) links.next = pageUrl(base, params, params.start + params.count);
  return { links, events: rows.map((row) => eventJson(store, row)), numRows };
}

/** `GET superevents/?query=...` (§2.10.4): Production only unless the query names a category. */
export function searchSuperevents(
  store: GraceDbStore,
  viewer: Viewer,
  params: SearchParams,
  selfUrl: string,
) {
  const where = compile(
    () =>
      compileSupereventQuery(params.query, {
        db: store.db,
        labels: [...store.options.labels],
        now: store.clock(),
      }),
    { detail: 'Invalid query' },
  );
  const visible = viewer.internal ? '1' : 's.exposed = 1';
  const numRows = (
    store.db
      .prepare(`SELECT count(*) AS n FROM superevents s WHERE ${visible} AND ${where.sql}`)
      .get(...where.params) as { n: number }
  ).n;
  const order = orderBy(params.sort, SUPEREVENT_SORT, '-created', 's.id');
  const rows = store.db
    .prepare(
      `SELECT s.* FROM superevents s WHERE ${visible} AND ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...where.params, params.count, params.start) as SupereventRow[];
  const base = `${store.links.api}superevents/`;
  const last = Math.max(0, Math.ceil(numRows / params.count) - 1) * params.count;
  return {
    numRows,
    superevents: rows.map((row) => supereventJson(store, row, viewer)),
    links: {
      self: selfUrl,
      next:
        params.start + params.count < numRows
          ? pageUrl(base, params, params.start + params.count)
          : null,
      previous:
        params.start > 0 ? pageUrl(base, params, Math.max(0, params.start - params.count)) : null,
      first: pageUrl(base, params, 0),
      last: pageUrl(base, params, last),
    },
  };
}
