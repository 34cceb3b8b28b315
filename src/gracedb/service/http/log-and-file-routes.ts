import type { FastifyInstance, FastifyRequest } from 'fastify';
import { downloadFile, listFiles } from '../files.js';
import { createLogEntry, getLogEntry, listLogs, type ParentResolver } from '../logs.js';
import type { Parent } from '../model.js';
import { fieldsOf, type RouteContext, sendJson, userOf } from './context.js';

/**
 * Where an object's log and file routes live. Events and superevents share the
 * behaviour but not the spelling: `events/G1/log/3` against `superevents/S1/logs/3/`.
 */
export interface LogAndFilePaths {
  logs: string;
  logEntry: string;
  files: string;
  file: string;
}

export interface LogAndFileOwner {
  paths: LogAndFilePaths;
  /** The parent a request names, after the visibility check (throws 404). */
  parentOf(request: FastifyRequest): Parent;
  /** The same parent, re-read inside the write transaction. */
  resolverOf(request: FastifyRequest): ParentResolver;
  /** The list envelope of this object kind (the key order differs between kinds). */
  envelope(request: FastifyRequest, key: string, items: unknown[]): unknown;
}

/** The log list, log creation, one log entry, the file list and one file download. */
export function registerLogAndFileRoutes(
  api: FastifyInstance,
  ctx: RouteContext,
  owner: LogAndFileOwner,
): void {
  const { store } = ctx;
  const { paths } = owner;

  api.get(paths.logs, async (request, reply) => {
    const items = listLogs(store, owner.parentOf(request), request.viewer);
    return sendJson(reply, 200, owner.envelope(request, 'log', items));
  });

  api.post(paths.logs, async (request, reply) => {
    owner.parentOf(request);
    const log = await createLogEntry(
      store,
      userOf(request),
      owner.resolverOf(request),
      await fieldsOf(request),
    );
    await ctx.settle();
    reply.header('Location', log.self as string);
    return sendJson(reply, 201, log);
  });

  api.get(paths.logEntry, async (request, reply) => {
    const n = Number((request.params as { n: string }).n);
    return sendJson(reply, 200, getLogEntry(store, owner.parentOf(request), n, request.viewer));
  });

  api.get(paths.files, async (request, reply) => {
    return sendJson(reply, 200, listFiles(store, owner.parentOf(request), request.viewer));
  });

  api.get(paths.file, async (request, reply) => {
    const { filename } = request.params as { filename: string };
    const file = await downloadFile(store, owner.parentOf(request), filename, request.viewer);
    if (file.disposition) reply.header('Content-Disposition', file.disposition);
    return reply.code(200).type(file.contentType).send(file.data);
  });
}
