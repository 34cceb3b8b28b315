import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isEventId } from '../../ids.js';
import { findLabel, removeLabel } from '../annotations.js';
import { ApiError, textError } from '../api-error.js';
import { createEvent, labelEvent, replaceEvent, updateGrbEvent } from '../events.js';
import {
  addLogTag,
  listLogTags,
  type ParentResolver,
  removeLogTag,
  tagsOfParent,
} from '../logs.js';
import { type EventRow, eventParent, requireEvent } from '../model.js';
import { readSearchParams, searchEvents } from '../search.js';
import { eventJson, labelJson } from '../serialize.js';
import { PROTECTED_LABELS } from '../vocabulary.js';
import { createVoevent, listVoevents } from '../voevents.js';
import { fieldsOf, type RouteContext, sendJson, userOf } from './context.js';
import { registerLogAndFileRoutes } from './log-and-file-routes.js';

type Params = { gid: string; n: string; tag: string; name: string; filename: string };

/** The event routes of §2.1–§2.13 (`events/…`, detail without trailing slash). */
export function registerEventRoutes(api: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;

  /** The event a request names, hidden from viewers who may not see events. */
  const eventOf = (request: FastifyRequest): EventRow => {
    const { gid } = request.params as Params;
    if (!isEventId(gid) || !request.viewer.internal) throw textError(404, 'Event not found.');
    return requireEvent(store.db, gid);
  };
  const resolverOf =
    (request: FastifyRequest): ParentResolver =>
    (w) =>
      eventParent(requireEvent(w.db, (request.params as Params).gid));
  const listEnvelope = (request: FastifyRequest, key: string, items: unknown[]) => {
    const self = `${store.links.api}${request.url.replace(/^\/api\/(v1\/)?/, '')}`;
    return {
      start: 0,
      numRows: items.length,
      links: { self, first: self, last: self },
      [key]: items,
    };
  };

  registerLogAndFileRoutes(api, ctx, {
    paths: {
      logs: '/events/:gid/log/',
      logEntry: '/events/:gid/log/:n',
      files: '/events/:gid/files/',
      file: '/events/:gid/files/:filename',
    },
    parentOf: (request) => eventParent(eventOf(request)),
    resolverOf,
    envelope: listEnvelope,
  });

  api.get('/events/', async (request, reply) => {
    const params = readSearchParams(request.query as Record<string, unknown>, '-created');
    const self = `${store.links.api}${request.url.replace(/^\/api\/(v1\/)?/, '')}`;
    return sendJson(reply, 200, searchEvents(store, request.viewer, params, self));
  });

  api.post('/events/', async (request, reply) => {
    const result = await createEvent(store, userOf(request), await fieldsOf(request));
    await ctx.settle();
    reply.header('Location', store.links.event(result.graceid as string));
    return sendJson(reply, 201, result);
  });

  api.get('/events/:gid', async (request, reply) => {
    reply.header('Cache-Control', 'no-cache');
    return sendJson(reply, 200, eventJson(store, eventOf(request)));
  });

  api.put('/events/:gid', async (request, reply) => {
    const { gid } = request.params as Params;
    if (!isEventId(gid)) throw textError(404, 'Event not found.');
    await replaceEvent(store, userOf(request), gid, await fieldsOf(request));
    await ctx.settle();
    return reply.code(202).send();
  });

  api.get('/events/:gid/log/:n/tag/', async (request, reply) => {
    const parent = eventParent(eventOf(request));
    return sendJson(reply, 200, {
      tags: listLogTags(store, parent, Number((request.params as Params).n)),
    });
  });

  api.put('/events/:gid/log/:n/tag/:tag', async (request, reply) => {
    eventOf(request);
    const { n, tag } = request.params as Params;
    const fields = await fieldsOf(request);
    const body = addLogTag(
      store,
      userOf(request),
      resolverOf(request),
      Number(n),
      tag,
      fields.string('displayName') ?? null,
    );
    await ctx.settle();
    return sendJson(reply, 201, body);
  });

  api.delete('/events/:gid/log/:n/tag/:tag', async (request, reply) => {
    eventOf(request);
    const { n, tag } = request.params as Params;
    removeLogTag(store, userOf(request), resolverOf(request), Number(n), tag);
    await ctx.settle();
    return reply.code(204).send();
  });

  api.get('/events/:gid/tag/', async (request, reply) => {
    return sendJson(reply, 200, { tags: tagsOfParent(store, eventParent(eventOf(request))) });
  });

  api.get('/events/:gid/labels/', async (request, reply) => {
    const event = eventOf(request);
    const parent = eventParent(event);
    const labels = (
      store.db
        .prepare(
          'SELECT name, creator, created_ms FROM labels WHERE parent_kind = ? AND parent_id = ? ORDER BY seq',
        )
        .all('event', event.id) as { name: string; creator: string; created_ms: number }[]
    ).map((row) => labelJson(store, parent, row));
    const self = store.links.event(event.graceid);
    return sendJson(reply, 200, { links: [{ self: `${self}/labels/`, event: self }], labels });
  });

  api.get('/events/:gid/labels/:name', async (request, reply) => {
    const parent = eventParent(eventOf(request));
    const { name } = request.params as Params;
    const label = findLabel(store, parent, name);
    if (!label) throw new ApiError(404, `Label ${name} Not Found`);
    return sendJson(reply, 200, labelJson(store, parent, label));
  });

  api.put('/events/:gid/labels/:name', async (request, reply) => {
    const event = eventOf(request);
    const result = labelEvent(
      store,
      userOf(request),
      event.graceid,
      (request.params as Params).name,
    );
    await ctx.settle();
    return sendJson(reply, result.status, result.body);
  });

  api.delete('/events/:gid/labels/:name', async (request, reply) => {
    const event = eventOf(request);
    const { name } = request.params as Params;
    if (!store.options.labels.has(name)) throw new ApiError(400, `No such Label '${name}'`);
    if (PROTECTED_LABELS.has(name)) {
      throw new ApiError(
        400,
        `The '${name}' label is managed as part of an automated process and cannot be removed manually`,
      );
    }
    store.write(userOf(request), (w) => {
      if (
        !removeLabel(w, eventParent(requireEvent(w.db, event.graceid)), name, {
          log: true,
          alert: true,
        })
      ) {
        throw new ApiError(404, `No label '${name}' associated with event ${event.graceid}`);
      }
    });
    await ctx.settle();
    return reply.code(204).send();
  });

  api.get('/events/:gid/voevent/', async (request, reply) => {
    const parent = eventParent(eventOf(request));
    return sendJson(reply, 200, listEnvelope(request, 'voevents', listVoevents(store, parent)));
  });

  api.post('/events/:gid/voevent/', async (request, reply) => {
    eventOf(request);
    const voevent = createVoevent(
      store,
      userOf(request),
      resolverOf(request),
      await fieldsOf(request),
    );
    await ctx.settle();
    return sendJson(reply, 201, voevent);
  });

  api.get('/events/:gid/voevent/:n', async (request, reply) => {
    const parent = eventParent(eventOf(request));
    const n = Number((request.params as Params).n);
    const voevent = listVoevents(store, parent).find((v) => v.N === n);
    if (!voevent) throw new ApiError(404, 'VOEvent does not exist.');
    return sendJson(reply, 200, voevent);
  });

  api.get('/events/:gid/signoff/', async (request, reply) => {
    eventOf(request);
    return sendJson(reply, 200, listEnvelope(request, 'signoffs', []));
  });

  api.get('/events/:gid/emobservation/', async (request, reply) => {
    eventOf(request);
    return sendJson(reply, 200, listEnvelope(request, 'observations', []));
  });

  api.get('/events/:gid/neighbors/', async (request, reply) => {
    const event = eventOf(request);
    const raw = String((request.query as Record<string, unknown>).neighborhood ?? '5');
    const parts = raw.split(',').map(Number);
    if (parts.some((p) => !Number.isFinite(p)) || parts.length > 2) {
      throw new ApiError(400, { error: 'neighborhood must be N or N,M' });
    }
    const [before, after] =
      parts.length === 1 ? [-Math.abs(parts[0]!), Math.abs(parts[0]!)] : [parts[0]!, parts[1]!];
    const neighbours =
      event.gpstime === null
        ? []
        : (store.db
            .prepare(
              `SELECT * FROM events WHERE gpstime BETWEEN ? AND ? AND id != ? AND (grp = 'Test') = ? ORDER BY gpstime`,
            )
            .all(
              event.gpstime + before,
              event.gpstime + after,
              event.id,
              event.grp === 'Test' ? 1 : 0,
            ) as EventRow[]);
    const self = store.links.event(event.graceid);
    return sendJson(reply, 200, {
      neighbors: neighbours.map((row) => eventJson(store, row)),
      neighborhood: [before, after],
      numRows: neighbours.length,
      links: { self: `${self}/neighbors/`, event: self },
    });
  });

  api.patch('/events/:gid/update-grbevent/', async (request, reply) => {
    const event = eventOf(request);
    const result = updateGrbEvent(store, userOf(request), event.graceid, await fieldsOf(request));
    await ctx.settle();
    return sendJson(reply, 200, result);
  });
}
