import type { FastifyInstance } from 'fastify';
import { gpsToUnix, unixToGps } from '../../../gracedb/gps-time.js';
import type { ConsoleContext } from '../console-context.js';
import { isoTime } from '../format.js';
import type { HealthMonitor } from '../health/health-report.js';
import { html, type SafeHtml } from '../html.js';
import { taskRow } from './task-routes.js';

/** The landing page: is it healthy, what is queued, which superevents, what runs now. */
export function registerOverviewRoutes(
  server: FastifyInstance,
  ctx: ConsoleContext,
  monitor: HealthMonitor,
): void {
  const { base } = ctx;
  server.get('/', async (request, reply) => {
    const [health, report, superevents] = await Promise.all([
      monitor.report(),
      ctx.metrics.report().catch(() => undefined),
      (async (): Promise<SafeHtml> => {
        const now = unixToGps(Date.now() / 1000);
        try {
          const list = await ctx.gracedb.getSuperevents(
            `t_0: ${(now - 86400).toFixed(0)} .. ${now.toFixed(0)}`,
            {
              count: 20,
              sort: '-t_0',
            },
          );
          if (list.length === 0) return html`<p class="muted">No superevent in the last 24 h.</p>`;
          return html`<table><tbody>${list
            .slice(0, 10)
            .map(
              (s) =>
                html`<tr><td><a href="${base}/superevents/${s.superevent_id}">${s.superevent_id}</a></td><td class="small nowrap">${isoTime(gpsToUnix(s.t_0) * 1000)}</td><td>${s.labels.map((l) => html`<span class="label">${l}</span> `)}</td></tr>`,
            )}</tbody></table>`;
        } catch (err) {
          return html`<p class="flash danger">GraceDB: ${(err as Error).message}</p>`;
        }
      })(),
    ]);
    const level = { OK: 'ok', WARNING: 'warning', CRITICAL: 'critical', UNKNOWN: 'unknown' }[
      health.nagios.status
    ];
    const recent = ctx.history.search({ limit: 15 });
    const online = report?.workers.filter((w) => w.online).length ?? 0;
    return ctx.page(
      request,
      reply,
      { title: 'Overview', active: 'overview' },
      html`<h1>Overview</h1>
<div class="cards">
<a class="card" href="${base}/health"><h3>Health</h3><p><span class="level ${level}">${health.nagios.status}</span> ${health.nagios.message}</p></a>
<a class="card" href="${base}/workers"><h3>Workers</h3><p>${online} online of ${report?.workers.length ?? '?'}</p></a>
<a class="card" href="${base}/workers"><h3>Queues</h3><p>${
        Object.entries(report?.queues ?? {})
          .filter(([, q]) => q.waiting + q.active + q.delayed > 0)
          .map(([name, q]) => html`${name}: ${q.waiting} waiting, ${q.active} running; `) ||
        'all empty'
      }</p></a>
</div>
<div class="columns">
<section><h2>Superevents (24 h)</h2>${superevents}</section>
<section><h2>Latest tasks <span id="live-status" class="live">live</span></h2>
<table class="tasks" data-stream="${base}/tasks/stream?after=${Date.now()}" data-max-rows="15"><tbody id="task-rows">${recent.map((t) => taskRow(base, t))}</tbody></table>
<p><a href="${base}/tasks">all tasks</a></p></section>
</div>`,
    );
  });
}
