import type { FastifyInstance, FastifyReply } from 'fastify';
import { isEventId } from '../../ids.js';
import { listFiles } from '../files.js';
import { listLogs } from '../logs.js';
import { eventParent, findEvent, findSuperevent, supereventParent } from '../model.js';
import { eventJson, supereventJson, type Viewer } from '../serialize.js';
import { visibleTo } from '../superevents.js';
import { listVoevents } from '../voevents.js';
import type { RouteContext } from './context.js';

/**
 * Server-rendered pages at the paths alerts link to (`/events/<id>/view/`,
 * `/superevents/<id>/view/`): what a human needs to follow a candidate — labels, log, files
 * with links, the preferred event — without any script.
 */

function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.label{display:inline-block;background:#e8eefc;border:1px solid #9ab;border-radius:3px;padding:0 .4rem;margin:0 .2rem .2rem 0;font-family:monospace}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.5rem}code{font-family:monospace}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}

function table(rows: [string, unknown][]): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function labels(names: unknown): string {
  const list = (names as string[]) ?? [];
  return list.length
    ? list.map((n) => `<span class="label">${esc(n)}</span>`).join('')
    : '<em>none</em>';
}

/**
 * Log comments carry HTML links as clients write them (`<a href='…'>…</a>`). Everything is
 * escaped, then only such links to http(s) URLs are let through, so a comment cannot script.
 */
function commentHtml(comment: unknown): string {
  return esc(comment).replace(
    /&lt;a href=(?:&quot;|')(https?:\/\/[^"'<>\s]+?)(?:&quot;|')&gt;(.*?)&lt;\/a&gt;/g,
    (_m, url: string, text: string) => `<a href="${url}">${text}</a>`,
  );
}

function logTable(entries: Record<string, unknown>[]): string {
  if (!entries.length) return '<p><em>No log messages.</em></p>';
  const rows = entries.map((e) => {
    const file = e.file
      ? `<a href="${esc(e.file)}">${esc(e.filename)},${esc(e.file_version)}</a>`
      : '';
    return `<tr><td>${esc(e.N)}</td><td>${esc(e.created)}</td><td>${esc(e.issuer)}</td><td>${commentHtml(e.comment)}</td><td>${file}</td><td>${esc((e.tag_names as string[]).join(', '))}</td></tr>`;
  });
  return `<table><tr><th>N</th><th>Created</th><th>Issuer</th><th>Comment</th><th>File</th><th>Tags</th></tr>${rows.join('')}</table>`;
}

function fileList(files: Record<string, string>): string {
  const names = Object.keys(files);
  if (!names.length) return '<p><em>No files.</em></p>';
  return `<ul>${names.map((n) => `<li><a href="${esc(files[n])}">${esc(n)}</a></li>`).join('')}</ul>`;
}

function notFoundPage(reply: FastifyReply, what: string): FastifyReply {
  return reply
    .code(404)
    .type('text/html; charset=utf-8')
    .send(page('Not found', `<h1>${esc(what)} not found</h1>`));
}

export function registerPageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const eventLink = (gid: string) => `<a href="${esc(store.links.eventView(gid))}">${esc(gid)}</a>`;

  app.get('/events/:gid/view/', async (request, reply) => {
    const { gid } = request.params as { gid: string };
    const viewer: Viewer = request.viewer;
    const row = isEventId(gid) && viewer.internal ? findEvent(store.db, gid) : undefined;
    if (!row) return notFoundPage(reply, `Event ${gid}`);
    const event = eventJson(store, row);
    const parent = eventParent(row);
    const body = [
      `<h1>Event ${esc(gid)}</h1>`,
      table([
        ['Group', esc(event.group)],
        ['Pipeline', esc(event.pipeline)],
        ['Search', esc(event.search)],
        ['GPS time', esc(event.gpstime)],
        ['FAR (Hz)', esc(event.far)],
        ['Instruments', esc(event.instruments)],
        ['Submitter', esc(event.submitter)],
        ['Created', esc(event.created)],
        [
          'Superevent',
          event.superevent
            ? `<a href="${esc(store.links.supereventView(event.superevent as string))}">${esc(event.superevent)}</a>`
            : '<em>none</em>',
        ],
        ['Labels', labels(event.labels)],
        ['API', `<a href="${esc(store.links.event(gid))}">${esc(store.links.event(gid))}</a>`],
      ]),
      '<h2>Files</h2>',
      fileList(listFiles(store, parent, viewer)),
      '<h2>Log</h2>',
      logTable(listLogs(store, parent, viewer)),
    ].join('\n');
    return reply.type('text/html; charset=utf-8').send(page(`Event ${gid}`, body));
  });

  app.get('/superevents/:sid/view/', async (request, reply) => {
    const { sid } = request.params as { sid: string };
    const viewer: Viewer = request.viewer;
    const row = findSuperevent(store.db, sid);
    if (!row || !visibleTo(row, viewer)) return notFoundPage(reply, `Superevent ${sid}`);
    const s = supereventJson(store, row, viewer);
    const parent = supereventParent(row);
    const voevents = listVoevents(store, parent);
    const body = [
      `<h1>Superevent ${esc(s.superevent_id)}${s.gw_id ? ` (${esc(s.gw_id)})` : ''}</h1>`,
      table([
        ['Category', esc(s.category)],
        ['t_start', esc(s.t_start)],
        ['t_0', esc(s.t_0)],
        ['t_end', esc(s.t_end)],
        ['FAR (Hz)', esc(s.far)],
        ...(viewer.internal
          ? ([
              ['Preferred event', eventLink(s.preferred_event as string)],
              ['Events', (s.gw_events as string[]).map(eventLink).join(', ') || '<em>none</em>'],
              [
                'External events',
                (s.em_events as string[]).map(eventLink).join(', ') || '<em>none</em>',
              ],
            ] as [string, unknown][])
          : []),
        ['Labels', labels(s.labels)],
        ['Created', esc(s.created)],
        ['Public', row.exposed ? 'yes' : 'no'],
        [
          'API',
          `<a href="${esc(store.links.superevent(row.superevent_id))}">${esc(store.links.superevent(row.superevent_id))}</a>`,
        ],
      ]),
      '<h2>VOEvents</h2>',
      voevents.length
        ? `<ul>${voevents.map((v) => `<li><a href="${esc((v.links as Record<string, string>).file)}">${esc(v.filename)}</a> (${esc(v.voevent_type)}, ${esc(v.created)})</li>`).join('')}</ul>`
        : '<p><em>No VOEvents.</em></p>',
      '<h2>Files</h2>',
      fileList(listFiles(store, parent, viewer)),
      '<h2>Log</h2>',
      logTable(listLogs(store, parent, viewer)),
    ].join('\n');
    return reply
      .type('text/html; charset=utf-8')
      .send(page(`Superevent ${row.superevent_id}`, body));
  });
}
