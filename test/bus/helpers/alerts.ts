/**
 * Writers of IGWN Alert messages shaped like GraceDB's (gracedb-api §3, §8), so that the
 * listener tests run on a fresh clone without the shared fixtures.
 */
export const GRACEDB = 'https://gracedb.example.org/api/';
export const OTHER_GRACEDB = 'https://gracedb-playground.example.org/api/';

export function gracedbTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function superevent(
  id: string,
  options: { category?: string; labels?: string[]; server?: string; created?: number } = {},
): Record<string, unknown> {
  const server = options.server ?? GRACEDB;
  return {
    superevent_id: id,
    gw_id: null,
    category: options.category ?? 'Production',
    created: gracedbTime(options.created ?? Date.now()),
    submitter: 'emfollow',
    preferred_event: 'G1',
    t_start: 1365450831.88,
    t_0: 1365450831.89,
    t_end: 1365450831.91,
    gw_events: ['G1'],
    em_events: [],
    far: 6.9e-10,
    labels: options.labels ?? [],
    links: {
      self: `${server}superevents/${id}/`,
      labels: `${server}superevents/${id}/labels/`,
      logs: `${server}superevents/${id}/logs/`,
    },
  };
}

export function event(
  graceid: string,
  options: {
    group?: string;
    pipeline?: string;
    search?: string;
    server?: string;
    created?: number;
  } = {},
): Record<string, unknown> {
  const server = options.server ?? GRACEDB;
  return {
    graceid,
    group: options.group ?? 'CBC',
    pipeline: options.pipeline ?? 'gstlal',
    search: options.search ?? 'AllSky',
    created: gracedbTime(options.created ?? Date.now()),
    gpstime: 1365450831.89,
    far: 1e-9,
    instruments: 'H1,L1',
    labels: [],
    superevent: null,
    superevent_neighbours: {},
    extra_attributes: {},
    links: { self: `${server}events/${graceid}` },
  };
}

export function label(
  name: string,
  created = Date.now(),
  server = GRACEDB,
  uid = 'S1',
): Record<string, unknown> {
  return {
    name,
    created: gracedbTime(created),
    creator: 'emfollow',
    self: `${server}superevents/${uid}/labels/${name}/`,
  };
}

export function logEntry(n: number, filename = '', created = Date.now()): Record<string, unknown> {
  return {
    N: n,
    comment: filename ? `uploaded ${filename}` : 'a comment',
    created: gracedbTime(created),
    issuer: 'emfollow',
    filename,
    file_version: filename ? 0 : null,
    tag_names: [],
  };
}

export function message(
  uid: string,
  alertType: string,
  data: unknown,
  object: Record<string, unknown>,
): string {
  return JSON.stringify({ uid, alert_type: alertType, data, object });
}
