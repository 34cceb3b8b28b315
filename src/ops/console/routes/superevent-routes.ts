import type { FastifyInstance } from 'fastify';
import type { EventJson, LogEntry, SupereventJson } from '../../../gracedb/client.js';
import { GraceDbError } from '../../../gracedb/errors.js';
import { gpsToUnix, unixToGps } from '../../../gracedb/gps-time.js';
import { getLogger } from '../../../log/index.js';
import type { ConsoleContext } from '../console-context.js';
import { duration, isoTime } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import type { LedgerEntry } from '../superevents/alert-ledger-reader.js';
import {
  type LatencyWaterfall,
  latencyWaterfall,
  parseGraceDbTime,
} from '../superevents/latency-waterfall.js';
import { currentSkyMap } from '../superevents/sky-map-images.js';
import { stateBadge, taskRow } from './task-routes.js';

const log = getLogger('console.superevents');
const SUPEREVENT_ID = /^[MT]?S\d{6}[a-z]+$/;
const FILE_NAME = /^[\w.+-]+(,\d+)?$/;
const MAX_EVENTS = 32;

function labels(names: string[]): SafeHtml {
  return html`${names.map((l) => html`<span class="label">${l}</span> `)}`;
}

function far(value: unknown): string {
  return typeof value === 'number' ? value.toExponential(3) : '';
}

/** Label changes over time, from the log lines GraceDB writes for them. */
function labelHistory(
  log: LogEntry[],
): { at: number | undefined; label: string; added: boolean }[] {
  const out: { at: number | undefined; label: string; added: boolean }[] = [];
  for (const entry of log) {
    const m = /^(Added|Removed) label: ([A-Za-z0-9_]+)$/.exec(entry.comment ?? '');
    if (m) out.push({ at: parseGraceDbTime(entry.created), label: m[2], added: m[1] === 'Added' });
  }
  return out;
}

function waterfallChart(w: LatencyWaterfall): SafeHtml {
  const last = Math.max(1, ...w.steps.map((s) => s.sinceT0S));
  return html`<table class="waterfall"><thead><tr><th>after t₀</th><th>step</th><th class="bar-cell"></th><th>time (UTC)</th><th>source</th></tr></thead><tbody>
${w.steps.map(
  (
    s,
  ) => html`<tr class="${s.source}"><td class="num nowrap">${s.sinceT0S.toFixed(s.source === 'ledger' ? 3 : 0)} s</td><td>${s.label}</td>
<td class="bar-cell"><div class="bar" style="width:${Math.max(0.5, (100 * Math.max(0, s.sinceT0S)) / last).toFixed(1)}%"></div></td>
<td class="nowrap small">${isoTime(s.at)}</td><td class="small">${s.source}</td></tr>`,
)}
</tbody></table>
${w.firstAlertS !== undefined ? html`<p><strong>First alert delivered ${w.firstAlertS.toFixed(1)} s after t₀.</strong></p>` : html`<p class="muted">No alert delivered (per the alert ledger).</p>`}`;
}

export function registerSupereventRoutes(server: FastifyInstance, ctx: ConsoleContext): void {
  const { base, gracedb } = ctx;

  server.get<{ Querystring: { category?: string; days?: string; q?: string } }>(
    '/superevents',
    async (request, reply) => {
      const category = ['Production', 'MDC', 'Test'].includes(request.query.category ?? '')
        ? request.query.category!
        : '';
      const days = Math.min(60, Math.max(0.1, Number(request.query.days) || 3));
      const nowGps = unixToGps(Date.now() / 1000);
      const query =
        request.query.q?.trim() ||
        `${category ? `category: ${category} ` : ''}t_0: ${(nowGps - days * 86400).toFixed(0)} .. ${nowGps.toFixed(0)}`;
      let body: SafeHtml;
      try {
        const found = (await gracedb.getSuperevents(query, { count: 100, sort: '-t_0' })).slice(
          0,
          500,
        );
        body = html`<table class="superevents"><thead><tr><th>superevent</th><th>category</th><th>t₀ (UTC)</th><th>preferred event</th><th>FAR (Hz)</th><th>labels</th><th>created</th></tr></thead><tbody>
${found.length === 0 ? html`<tr><td colspan="7" class="muted">No superevent matches <code>${query}</code>.</td></tr>` : ''}
${found.map(
  (
    s,
  ) => html`<tr><td><a href="${base}/superevents/${s.superevent_id}">${s.superevent_id}</a></td><td>${s.category}</td>
<td class="nowrap">${isoTime(gpsToUnix(s.t_0) * 1000)}</td><td>${s.preferred_event}</td><td class="num">${far(s.far)}</td>
<td>${labels(s.labels)}</td><td class="nowrap small">${String(s.created ?? '')}</td></tr>`,
)}</tbody></table>`;
      } catch (err) {
        body = html`<div class="flash danger">GraceDB query <code>${query}</code> failed: ${(err as Error).message}</div>`;
      }
      return ctx.page(
        request,
        reply,
        { title: 'Superevents', active: 'superevents' },
        html`<h1>Superevents</h1>
<form class="filters" method="get" action="${base}/superevents">
  <select name="category"><option value="">all categories</option>${[
    'Production',
    'MDC',
    'Test',
  ].map((c) => html`<option ${c === category ? 'selected' : ''}>${c}</option>`)}</select>
  <input name="days" value="${String(days)}" size="4"> days
  <input name="q" placeholder="or a GraceDB query" value="${request.query.q ?? ''}" size="40">
  <button type="submit">Show</button>
</form>
${body}`,
      );
    },
  );

  server.get<{ Params: { id: string } }>('/superevents/:id', async (request, reply) => {
    const sid = request.params.id;
    if (!SUPEREVENT_ID.test(sid)) {
      return ctx.page(
        request,
        reply,
        { title: 'Not a superevent', active: 'superevents', status: 404 },
        html`<h1>${sid}</h1><p>Not a superevent id.</p>`,
      );
    }
    let superevent: SupereventJson;
    let logEntries: LogEntry[];
    try {
      [superevent, logEntries] = await Promise.all([
        gracedb.getSuperevent(sid),
        gracedb.getLog(sid),
      ]);
    } catch (err) {
      const status = err instanceof GraceDbError && err.status === 404 ? 404 : 502;
      return ctx.page(
        request,
        reply,
        { title: sid, active: 'superevents', status },
        html`<h1>${sid}</h1><div class="flash danger">${(err as Error).message}</div>`,
      );
    }
    const [events, alerts] = await Promise.all([
      Promise.all(
        superevent.gw_events
          .slice(0, MAX_EVENTS)
          .map((id) => gracedb.getEvent(id).catch(() => undefined)),
      ).then((list) => list.filter((e): e is EventJson => Boolean(e))),
      ctx.ledger
        ? ctx.ledger.list({ superevent: sid, limit: 200 }).catch((err: Error) => {
            log.warn({ err: err.message, superevent: sid }, 'cannot read the alert ledger');
            return undefined;
          })
        : Promise.resolve(undefined),
    ]);
    const waterfall = latencyWaterfall({
      superevent,
      log: logEntries,
      events,
      alerts: alerts ?? [],
    });
    const ranked = ctx.eventRanking.sort(events);
    const pipelinePreferred = new Set(
      Object.values(
        (superevent.pipeline_preferred_events ?? {}) as Record<string, { graceid?: string }>,
      ).map((e) => e?.graceid),
    );
    const skymap = currentSkyMap(logEntries);
    const tasks = ctx.history.search({ subject: sid, limit: 50 });
    const fileLink = (name: string) =>
      html`<a href="${base}/superevents/${sid}/files/${encodeURIComponent(name)}">${name}</a>`;
    return ctx.page(
      request,
      reply,
      { title: sid, active: 'superevents' },
      html`<h1>${sid} <span class="muted">${superevent.category}</span></h1>
<div class="columns">
<section>
<table class="fields">
<tr><th>t₀</th><td>${superevent.t_0} (${isoTime(gpsToUnix(superevent.t_0) * 1000)} UTC)</td></tr>
<tr><th>window</th><td>${superevent.t_start} – ${superevent.t_end}</td></tr>
<tr><th>preferred event</th><td>${superevent.preferred_event}</td></tr>
<tr><th>FAR</th><td>${far(superevent.far)} Hz</td></tr>
<tr><th>em_type</th><td>${String(superevent.em_type ?? '')}</td></tr>
<tr><th>created</th><td>${String(superevent.created ?? '')}</td></tr>
<tr><th>labels</th><td>${labels(superevent.labels)}</td></tr>
</table>
<h2>Events</h2>
<table class="events"><thead><tr><th>event</th><th>pipeline</th><th>search</th><th>FAR (Hz)</th><th>SNR</th><th>instruments</th><th>uploaded</th><th>labels</th></tr></thead><tbody>
${ranked.map(
  (
    e,
  ) => html`<tr class="${e.graceid === superevent.preferred_event ? 'preferred' : ''}"><td>${e.graceid}${
    e.graceid === superevent.preferred_event
      ? html` <span class="badge">preferred</span>`
      : pipelinePreferred.has(e.graceid)
        ? html` <span class="badge">pipeline-preferred</span>`
        : ''
  }</td><td>${e.pipeline}</td><td>${e.search ?? ''}</td><td class="num">${far(e.far)}</td>
<td class="num">${ctx.eventRanking.snr(e)?.toFixed(2) ?? ''}</td><td>${String(e.instruments ?? '')}</td>
<td class="nowrap small">${String(e.created ?? '')}</td><td>${labels(e.labels ?? [])}</td></tr>`,
)}
</tbody></table>
${superevent.gw_events.length > MAX_EVENTS ? html`<p class="muted">${superevent.gw_events.length - MAX_EVENTS} more events not shown.</p>` : ''}
</section>
<section class="skymap">
<h2>Sky map</h2>
${
  skymap
    ? html`<figure><img id="skymap" src="${base}/superevents/${sid}/skymap.png?file=${encodeURIComponent(skymap)}" alt="Sky map ${skymap} of ${sid}" width="600" loading="lazy"><figcaption>${fileLink(skymap)}</figcaption></figure>`
    : html`<p class="muted">No sky map (a multi-order FITS file tagged sky_loc) yet.</p>`
}
</section>
</div>
<h2>Latency waterfall</h2>
${waterfallChart(waterfall)}
<h2>Alerts</h2>
${
  !ctx.ledger
    ? html`<p class="muted">No alert ledger is connected to this console.</p>`
    : alerts === undefined
      ? html`<p class="flash danger">The alert ledger could not be read.</p>`
      : alerts.length === 0
        ? html`<p class="muted">No alert recorded for ${sid}.</p>`
        : html`<table class="alerts"><thead><tr><th>alert</th><th>destination</th><th>state</th><th>recorded</th><th>delivered</th><th>attempts</th><th>error</th></tr></thead><tbody>
${alerts.map(
  (
    a: LedgerEntry,
  ) => html`<tr><td>${a.alertType} #${a.serial}</td><td>${a.destination}</td><td>${stateBadge(a.state === 'delivered' ? 'SUCCESS' : a.state === 'failed' ? 'FAILURE' : 'PENDING')} ${a.state}${a.inDoubt ? ' (in doubt)' : ''}</td>
<td class="nowrap small">${a.recordedAt}</td><td class="nowrap small">${a.deliveredAt ?? ''}</td><td class="num">${a.attempts}</td><td class="small">${a.error ?? ''}</td></tr>`,
)}</tbody></table>`
}
<h2>Labels over time</h2>
<table class="labels"><tbody>${labelHistory(logEntries).map(
        (l) =>
          html`<tr><td class="nowrap small">${l.at ? isoTime(l.at) : ''}</td><td>${l.added ? '+' : '−'} <span class="label">${l.label}</span></td></tr>`,
      )}</tbody></table>
<h2>Log</h2>
<table class="log"><thead><tr><th>N</th><th>time</th><th>comment</th><th>file</th><th>tags</th></tr></thead><tbody>
${logEntries.map(
  (
    e,
  ) => html`<tr><td class="num">${e.N}</td><td class="nowrap small">${String(e.created ?? '')}</td><td>${e.comment}</td>
<td>${e.filename ? fileLink(e.file_version === null ? e.filename : `${e.filename},${e.file_version}`) : ''}</td><td class="small">${e.tag_names.join(', ')}</td></tr>`,
)}
</tbody></table>
<h2>Tasks about ${sid}</h2>
<p class="small"><a href="${base}/tasks?subject=${sid}">all tasks about ${sid}</a></p>
<table class="tasks"><tbody>${tasks.map((t) => taskRow(base, t))}</tbody></table>
<p class="muted small">t₀ to now: ${duration(Date.now() - gpsToUnix(superevent.t_0) * 1000)}.</p>`,
    );
  });

  server.get<{ Params: { id: string }; Querystring: { file?: string } }>(
    '/superevents/:id/skymap.png',
    async (request, reply) => {
      const { id } = request.params;
      const file = request.query.file ?? '';
      if (!SUPEREVENT_ID.test(id) || !FILE_NAME.test(file)) {
        return reply.code(400).type('text/plain').send('expected a superevent id and ?file=name,N');
      }
      try {
        const png = await ctx.skyMaps.png(id, file);
        return reply.header('cache-control', 'private, max-age=86400').type('image/png').send(png);
      } catch (err) {
        const status = err instanceof GraceDbError && err.status === 404 ? 404 : 502;
        log.warn({ err: (err as Error).message, superevent: id, file }, 'cannot render a sky map');
        return reply
          .code(status)
          .type('text/plain')
          .send(`cannot show ${file} of ${id}: ${(err as Error).message}`);
      }
    },
  );

  server.get<{ Params: { id: string; name: string } }>(
    '/superevents/:id/files/:name',
    async (request, reply) => {
      const { id, name } = request.params;
      if (!SUPEREVENT_ID.test(id) || !FILE_NAME.test(name)) {
        return reply.code(400).type('text/plain').send('bad superevent id or file name');
      }
      try {
        const bytes = await gracedb.download(name, id);
        const type = /\.(json)(,\d+)?$/.test(name)
          ? 'application/json'
          : /\.(png)(,\d+)?$/.test(name)
            ? 'image/png'
            : /\.(xml|txt|html|log)(,\d+)?$/.test(name)
              ? 'text/plain; charset=utf-8'
              : 'application/octet-stream';
        return reply
          .type(type)
          .header('content-disposition', `inline; filename="${name.replace(/,\d+$/, '')}"`)
          .send(bytes);
      } catch (err) {
        const status = err instanceof GraceDbError && err.status === 404 ? 404 : 502;
        return reply
          .code(status)
          .type('text/plain')
          .send((err as Error).message);
      }
    },
  );
}
