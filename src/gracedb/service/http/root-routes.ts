import type { FastifyInstance } from 'fastify';
import { BLESSED_TAGS, GROUPS, INSTRUMENTS, PIPELINES, SEARCHES } from '../vocabulary.js';
import { type RouteContext, sendJson } from './context.js';

/** Version reported in the root document; the API follows GraceDB server 2.17. */
export const SERVER_VERSION = '2.17.1-gwcelery-ts';

const TEMPLATES: Record<string, string> = {
  'event-detail-template': 'events/{graceid}',
  'event-log-template': 'events/{graceid}/log/',
  'event-log-detail-template': 'events/{graceid}/log/{N}',
  'voevent-list-template': 'events/{graceid}/voevent/',
  'voevent-detail-template': 'events/{graceid}/voevent/{N}',
  'emobservation-list-template': 'events/{graceid}/emobservation/',
  'emobservation-detail-template': 'events/{graceid}/emobservation/{N}',
  'embb-event-log-template': 'events/{graceid}/embb/',
  'event-label-template': 'events/{graceid}/labels/{label}',
  'files-template': 'events/{graceid}/files/{filename}',
  'taglist-template': 'events/{graceid}/log/{N}/tag/',
  'tag-template': 'events/{graceid}/log/{N}/tag/{tag_name}',
  'signoff-list-template': 'events/{graceid}/signoff/',
  'superevent-detail-template': 'superevents/{superevent_id}/',
  'superevent-event-list-template': 'superevents/{superevent_id}/events/',
  'superevent-event-detail-template': 'superevents/{superevent_id}/events/{graceid}/',
  'superevent-label-list-template': 'superevents/{superevent_id}/labels/',
  'superevent-label-detail-template': 'superevents/{superevent_id}/labels/{label_name}/',
  'superevent-log-list-template': 'superevents/{superevent_id}/logs/',
  'superevent-log-detail-template': 'superevents/{superevent_id}/logs/{N}/',
  'superevent-log-tag-list-template': 'superevents/{superevent_id}/logs/{N}/tags/',
  'superevent-log-tag-detail-template': 'superevents/{superevent_id}/logs/{N}/tags/{tag_name}/',
  'superevent-file-list-template': 'superevents/{superevent_id}/files/',
  'superevent-file-detail-template': 'superevents/{superevent_id}/files/{file_name}',
  'superevent-voevent-list-template': 'superevents/{superevent_id}/voevents/',
  'superevent-voevent-detail-template': 'superevents/{superevent_id}/voevents/{N}/',
  'superevent-emobservation-list-template': 'superevents/{superevent_id}/emobservations/',
  'superevent-emobservation-detail-template': 'superevents/{superevent_id}/emobservations/{N}/',
  'superevent-confirm-as-gw-template': 'superevents/{superevent_id}/confirm-as-gw/',
  'superevent-signoff-list-template': 'superevents/{superevent_id}/signoffs/',
  'superevent-signoff-detail-template': 'superevents/{superevent_id}/signoffs/{typeinst}/',
  'superevent-permission-list-template': 'superevents/{superevent_id}/permissions/',
  'superevent-permission-modify-template': 'superevents/{superevent_id}/permissions/modify/',
};

/** The API root document (§1.2), `tag/` and `user-info/`. */
export function registerRootRoutes(api: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;

  api.get('/', async (_request, reply) => {
    // Read per request: the API URL is only known once the service listens.
    const root = store.links.api;
    return sendJson(reply, 200, {
      links: {
        superevents: `${root}superevents/`,
        events: `${root}events/`,
        self: root,
        performance: `${root}performance/`,
        'user-info': `${root}user-info/`,
      },
      templates: Object.fromEntries(Object.entries(TEMPLATES).map(([k, v]) => [k, root + v])),
      groups: GROUPS,
      pipelines: PIPELINES,
      searches: SEARCHES,
      labels: [...store.options.labels].sort(),
      'em-groups': [],
      wavebands: {},
      'eel-statuses': { FO: 'FOOTPRINT', SO: 'SOURCE', CO: 'COMMENT', CI: 'CIRCULAR' },
      'obs-statuses': { NA: 'NOT APPLICABLE', OB: 'OBSERVATION', TE: 'TEST', PR: 'PREDICTION' },
      'superevent-categories': { P: 'Production', T: 'Test', M: 'MDC' },
      'signoff-types': { OP: 'operator', ADV: 'advocate' },
      'signoff-statuses': { OK: 'OKAY', NO: 'NOT OKAY' },
      instruments: INSTRUMENTS,
      'voevent-types': {
        PR: 'preliminary',
        IN: 'initial',
        UP: 'update',
        RE: 'retraction',
        EW: 'earlywarning',
      },
      'api-versions': ['default', 'v1'],
      'server-version': SERVER_VERSION,
      API_VERSIONS: ['default', 'v1'],
    });
  });

  api.get('/tag/', async (_request, reply) => {
    const rows = store.db.prepare('SELECT name, display_name FROM tags ORDER BY name').all() as {
      name: string;
      display_name: string | null;
    }[];
    const tags: Record<string, { displayName: string | null; blessed: boolean }> = {};
    for (const [name, displayName] of Object.entries(BLESSED_TAGS))
      tags[name] = { displayName, blessed: true };
    for (const row of rows) tags[row.name] ??= { displayName: row.display_name, blessed: false };
    return sendJson(reply, 200, { tags });
  });

  api.get('/user-info/', async (request, reply) =>
    sendJson(reply, 200, { username: request.viewer.user ?? 'AnonymousUser' }),
  );
}
