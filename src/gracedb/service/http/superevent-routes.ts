import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findLabel } from '../annotations.js';
import { notFound } from '../api-error.js';
import { addLogTag, listLogTags, type ParentResolver, removeLogTag } from '../logs.js';
import {
  findSuperevent,
  requireSuperevent,
  type SupereventRow,
  supereventParent,
} from '../model.js';
import { readSearchParams, searchSuperevents } from '../search.js';
import { labelJson, pipelinePreferredOf, supereventJson } from '../serialize.js';
import {
  createSignoff,
  deleteSignoff,
  findSignoff,
  listSignoffs,
  signoffJson,
  updateSignoff,
} from '../signoffs.js';
import {
  addEventToSuperevent,
  addPipelinePreferredEvent,
  confirmAsGw,
  createSuperevent,
  labelSuperevent,
  modifyPermissions,
  permissionsOf,
  removeEventFromSuperevent,
  removePipelinePreferredEvent,
  supereventMembers,
  unlabelSuperevent,
  updateSuperevent,
  visibleTo,
} from '../superevents.js';
import { createVoevent, listVoevents, publicVoeventJson } from '../voevents.js';
import { fieldsOf, type RouteContext, sendJson, userOf } from './context.js';
import { registerLogAndFileRoutes } from './log-and-file-routes.js';

type Params = {
  sid: string;
  gid: string;
  n: string;
  tag: string;
  name: string;
  filename: string;
  key: string;
};

/** The superevent routes of §2.5–§2.11 (`superevents/…`, detail with trailing slash). */
export function registerSupereventRoutes(api: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;

  /** The superevent a request names; one the viewer may not see does not exist for them. */
  const supereventOf = (request: FastifyRequest): SupereventRow => {
    const row = findSuperevent(store.db, (request.params as Params).sid);
    if (!row || !visibleTo(row, request.viewer)) throw notFound();
    return row;
  };
  const internalOnly = (request: FastifyRequest): SupereventRow => {
    const row = supereventOf(request);
    if (!request.viewer.internal) throw notFound();
    return row;
  };
  const resolverOf =
    (request: FastifyRequest): ParentResolver =>
    (w) =>
      supereventParent(requireSuperevent(w.db, (request.params as Params).sid));
  const selfOf = (request: FastifyRequest) =>
    `${store.links.api}${request.url.replace(/^\/api\/(v1\/)?/, '')}`;
  const listEnvelope = (request: FastifyRequest, key: string, items: unknown[]) => {
    const self = selfOf(request);
    return {
      start: 0,
      numRows: items.length,
      [key]: items,
      links: { self, first: self, last: self },
    };
  };
  const write = async <T>(fn: () => T): Promise<T> => {
    const result = fn();
    await ctx.settle();
    return result;
  };

  registerLogAndFileRoutes(api, ctx, {
    paths: {
      logs: '/superevents/:sid/logs/',
      logEntry: '/superevents/:sid/logs/:n/',
      files: '/superevents/:sid/files/',
      file: '/superevents/:sid/files/:filename',
    },
    parentOf: (request) => supereventParent(supereventOf(request)),
    resolverOf,
    envelope: listEnvelope,
  });

  api.get('/superevents/', async (request, reply) => {
    const params = readSearchParams(request.query as Record<string, unknown>, '-created');
    return sendJson(reply, 200, searchSuperevents(store, request.viewer, params, selfOf(request)));
  });

  api.post('/superevents/', async (request, reply) => {
    const fields = await fieldsOf(request);
    const result = await write(() => createSuperevent(store, userOf(request), fields));
    return sendJson(reply, 201, result);
  });

  api.get('/superevents/:sid/', async (request, reply) => {
    return sendJson(reply, 200, supereventJson(store, supereventOf(request), request.viewer));
  });

  api.patch('/superevents/:sid/', async (request, reply) => {
    const fields = await fieldsOf(request);
    const result = await write(() =>
      updateSuperevent(store, userOf(request), (request.params as Params).sid, fields),
    );
    return sendJson(reply, 200, result);
  });

  api.get('/superevents/:sid/events/', async (request, reply) => {
    return sendJson(
      reply,
      200,
      listEnvelope(request, 'events', supereventMembers(store, internalOnly(request))),
    );
  });

  api.post('/superevents/:sid/events/', async (request, reply) => {
    const fields = await fieldsOf(request);
    const result = await write(() =>
      addEventToSuperevent(store, userOf(request), (request.params as Params).sid, fields),
    );
    return sendJson(reply, 201, result);
  });

  api.delete('/superevents/:sid/events/:gid/', async (request, reply) => {
    const { sid, gid } = request.params as Params;
    await write(() => removeEventFromSuperevent(store, userOf(request), sid, gid));
    return reply.code(204).send();
  });

  api.get('/superevents/:sid/pipeline_preferred_events/', async (request, reply) => {
    const superevent = internalOnly(request);
    const items = pipelinePreferredOf(store.db, superevent.id).map(([, e]) => ({
      self: store.links.event(e.graceid),
      graceid: e.graceid,
    }));
    return sendJson(reply, 200, listEnvelope(request, 'pipeline_preferred_events', items));
  });

  api.post('/superevents/:sid/pipeline_preferred_events/', async (request, reply) => {
    const fields = await fieldsOf(request);
    const result = await write(() =>
      addPipelinePreferredEvent(store, userOf(request), (request.params as Params).sid, fields),
    );
    return sendJson(reply, 201, result);
  });

  api.delete('/superevents/:sid/pipeline_preferred_events/:gid/', async (request, reply) => {
    const { sid, gid } = request.params as Params;
    await write(() => removePipelinePreferredEvent(store, userOf(request), sid, gid));
    return reply.code(204).send();
  });

  api.get('/superevents/:sid/labels/', async (request, reply) => {
    const superevent = supereventOf(request);
    const parent = supereventParent(superevent);
    const labels = (
      store.db
        .prepare(
          'SELECT name, creator, created_ms FROM labels WHERE parent_kind = ? AND parent_id = ? ORDER BY seq',
        )
        .all('superevent', superevent.id) as { name: string; creator: string; created_ms: number }[]
    ).map((row) => labelJson(store, parent, row));
    const self = store.links.superevent(superevent.superevent_id);
    return sendJson(reply, 200, { labels, links: { self: `${self}labels/`, superevent: self } });
  });

  api.post('/superevents/:sid/labels/', async (request, reply) => {
    const fields = await fieldsOf(request);
    const result = await write(() =>
      labelSuperevent(store, userOf(request), (request.params as Params).sid, fields),
    );
    return sendJson(reply, 201, result);
  });

  api.get('/superevents/:sid/labels/:name/', async (request, reply) => {
    const parent = supereventParent(supereventOf(request));
    const label = findLabel(store, parent, (request.params as Params).name);
    if (!label) throw notFound();
    return sendJson(reply, 200, labelJson(store, parent, label));
  });

  api.delete('/superevents/:sid/labels/:name/', async (request, reply) => {
    const { sid, name } = request.params as Params;
    await write(() => unlabelSuperevent(store, userOf(request), sid, name));
    return reply.code(204).send();
  });

  api.get('/superevents/:sid/logs/:n/tags/', async (request, reply) => {
    const parent = supereventParent(internalOnly(request));
    return sendJson(reply, 200, {
      tags: listLogTags(store, parent, Number((request.params as Params).n)),
    });
  });

  api.post('/superevents/:sid/logs/:n/tags/', async (request, reply) => {
    supereventOf(request);
    const fields = await fieldsOf(request);
    const name = fields.string('name') ?? '';
    const result = await write(() =>
      addLogTag(
        store,
        userOf(request),
        resolverOf(request),
        Number((request.params as Params).n),
        name,
        fields.string('displayName') ?? null,
      ),
    );
    return sendJson(reply, 201, result);
  });

  api.delete('/superevents/:sid/logs/:n/tags/:tag/', async (request, reply) => {
    supereventOf(request);
    const { n, tag } = request.params as Params;
    await write(() => removeLogTag(store, userOf(request), resolverOf(request), Number(n), tag));
    return reply.code(204).send();
  });

  api.get('/superevents/:sid/voevents/', async (request, reply) => {
    const parent = supereventParent(supereventOf(request));
    const items = listVoevents(store, parent).map((v) =>
      request.viewer.internal ? v : publicVoeventJson(v),
    );
    return sendJson(reply, 200, listEnvelope(request, 'voevents', items));
  });

  api.post('/superevents/:sid/voevents/', async (request, reply) => {
    supereventOf(request);
    const fields = await fieldsOf(request);
    const result = await write(() =>
      createVoevent(store, userOf(request), resolverOf(request), fields),
    );
    return sendJson(reply, 201, result);
  });

  api.get('/superevents/:sid/voevents/:n/', async (request, reply) => {
    const parent = supereventParent(supereventOf(request));
    const n = Number((request.params as Params).n);
    const voevent = listVoevents(store, parent).find((v) => v.N === n);
    if (!voevent) throw notFound();
    return sendJson(reply, 200, request.viewer.internal ? voevent : publicVoeventJson(voevent));
  });

  api.get('/superevents/:sid/signoffs/', async (request, reply) => {
    return sendJson(
      reply,
      200,
      listEnvelope(request, 'signoffs', listSignoffs(store, internalOnly(request))),
    );
  });

  api.post('/superevents/:sid/signoffs/', async (request, reply) => {
    const fields = await fieldsOf(request);
    const result = await write(() =>
      createSignoff(store, userOf(request), (request.params as Params).sid, fields),
    );
    return sendJson(reply, 201, result);
  });

  api.get('/superevents/:sid/signoffs/:key/', async (request, reply) => {
    const superevent = internalOnly(request);
    return sendJson(
      reply,
      200,
      signoffJson(
        store,
        superevent,
        findSignoff(store, superevent, (request.params as Params).key),
      ),
    );
  });

  api.patch('/superevents/:sid/signoffs/:key/', async (request, reply) => {
    const { sid, key } = request.params as Params;
    const fields = await fieldsOf(request);
    return sendJson(
      reply,
      200,
      await write(() => updateSignoff(store, userOf(request), sid, key, fields)),
    );
  });

  api.delete('/superevents/:sid/signoffs/:key/', async (request, reply) => {
    const { sid, key } = request.params as Params;
    await write(() => deleteSignoff(store, userOf(request), sid, key));
    return reply.code(204).send();
  });

  api.get('/superevents/:sid/permissions/', async (request, reply) => {
    return sendJson(
      reply,
      200,
      listEnvelope(request, 'permissions', permissionsOf(internalOnly(request))),
    );
  });

  api.post('/superevents/:sid/permissions/modify/', async (request, reply) => {
    const fields = await fieldsOf(request);
    const result = await write(() =>
      modifyPermissions(store, userOf(request), (request.params as Params).sid, fields),
    );
    return sendJson(reply, 200, result);
  });

  api.post('/superevents/:sid/confirm-as-gw/', async (request, reply) => {
    const result = await write(() =>
      confirmAsGw(store, userOf(request), (request.params as Params).sid),
    );
    return sendJson(reply, 200, result);
  });

  api.get('/superevents/:sid/emobservations/', async (request, reply) => {
    supereventOf(request);
    return sendJson(reply, 200, listEnvelope(request, 'observations', []));
  });
}
