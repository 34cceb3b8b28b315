import type { FastifyInstance } from 'fastify';
import type { ListenerHealth } from '../../../bus/igwn-alert/health.js';
import { STATS_KEYS } from '../../../engine/stats-keys.js';
import { heartbeatAgeS } from '../../nagios/nagios-checks.js';
import type { ConsoleContext } from '../console-context.js';
import { bytes, isoTime } from '../format.js';
import type { HealthMonitor, HealthReport, Level } from '../health/health-report.js';
import { html, type SafeHtml } from '../html.js';

const NAGIOS_LEVEL: Record<string, Level> = {
  OK: 'ok',
  WARNING: 'warning',
  CRITICAL: 'critical',
  UNKNOWN: 'unknown',
};

function levelBadge(level: Level, text: string = level): SafeHtml {
  return html`<span class="level ${level}">${text}</span>`;
}

function listenerSection(healths: { worker: string; health: ListenerHealth }[]): SafeHtml {
  if (healths.length === 0) {
    return html`<p class="muted">No worker reports an IGWN Alert listener (stats key <code>${STATS_KEYS.igwnAlertHealth}</code>).</p>`;
  }
  return html`${healths.map(
    ({
      worker,
      health: h,
    }) => html`<h3>${worker} ${levelBadge(h.healthy ? 'ok' : 'critical', h.healthy ? 'healthy' : 'unhealthy')}</h3>
${h.problems.length ? html`<ul>${h.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
<table class="fields">
<tr><th>server / group</th><td>${h.server} / ${h.group}</td></tr>
<tr><th>connected</th><td>${String(h.connection.connected)} since ${isoTime(h.connection.since)} (${h.connection.reconnects} reconnects)</td></tr>
${h.heartbeat ? html`<tr><th>heartbeat</th><td>${heartbeatAgeS(h.heartbeat, Date.now()).toFixed(1)} s old (stale after ${h.heartbeat.staleAfterS} s)${h.heartbeat.roundTripMs !== undefined ? html`, round trip ${h.heartbeat.roundTripMs} ms` : ''}</td></tr>` : ''}
<tr><th>lag</th><td>${h.lag.total ?? 'unknown'}${h.lag.error ? html` <span class="bad">(${h.lag.error})</span>` : ''}</td></tr>
<tr><th>messages</th><td>${Object.entries(h.counts).map(([k, v]) => html`${k} ${v}; `)}</td></tr>
</table>
${h.connection.outages.length ? html`<details><summary>${h.connection.outages.length} recent outages</summary><pre class="small">${JSON.stringify(h.connection.outages, null, 2)}</pre></details>` : ''}`,
  )}`;
}

async function render(ctx: ConsoleContext, report: HealthReport): Promise<SafeHtml> {
  const n = report.nagios;
  const workers = await ctx.metrics.report().catch(() => undefined);
  const listeners =
    workers?.workers
      .filter((w) => w.online && w.stats?.[STATS_KEYS.igwnAlertHealth])
      .map((w) => ({
        worker: w.name,
        health: w.stats![STATS_KEYS.igwnAlertHealth] as ListenerHealth,
      })) ?? [];
  const ingest = ctx.ingester.status();
  return html`<section class="nagios">
<h2>Nagios check</h2>
<p class="big">${levelBadge(NAGIOS_LEVEL[n.status], n.status)} ${n.message}${n.check ? html` <span class="muted">(check ${n.check})</span>` : ''}</p>
${n.detail ? html`<pre class="detail">${n.detail}</pre>` : ''}
<p class="muted small">Same checks as <code>gwcelery nagios</code>, run ${isoTime(report.checkedAt)} UTC.</p>
</section>
<section>
<h2>Redis memory</h2>
${
  report.redis
    ? report.redis.error
      ? html`${levelBadge('unknown')} ${report.redis.error}`
      : html`<p>${levelBadge(report.redis.level)} used ${bytes(report.redis.usedBytes ?? 0)} (peak ${bytes(report.redis.peakBytes ?? 0)}${report.redis.maxBytes ? html`, maxmemory ${bytes(report.redis.maxBytes)}` : ''}), fragmentation ${report.redis.fragmentation?.toFixed(2)}, append-only file ${report.redis.aofEnabled ? 'on' : html`<span class="bad">off</span>`}.
Thresholds: warning ${ctx.config.health_redis_memory_warn_mb} MiB, critical ${ctx.config.health_redis_memory_critical_mb} MiB.</p>`
    : html`<p class="muted">The broker is not Redis.</p>`
}
</section>
<section>
<h2>Disk</h2>
${
  report.disk
    ? report.disk.error
      ? html`${levelBadge('unknown')} ${report.disk.path}: ${report.disk.error}`
      : html`<p>${levelBadge(report.disk.level)} <code>${report.disk.path}</code>: ${report.disk.usedPercent?.toFixed(1)}% used, ${bytes(report.disk.freeBytes ?? 0)} free of ${bytes(report.disk.totalBytes ?? 0)}.
Thresholds: warning ${ctx.config.health_disk_warn_percent}%, critical ${ctx.config.health_disk_critical_percent}%.</p>`
    : html`<p class="muted">No data directory.</p>`
}
</section>
<section>
<h2>IGWN Alert listener</h2>
${listenerSection(listeners)}
</section>
<section>
<h2>Task history</h2>
<p>${ctx.history.size()} tasks stored in <code>${ctx.history.path}</code>; broker cursor <code>${ingest.cursor ?? '(start)'}</code>${ingest.lastError ? html`; <span class="bad">last error: ${ingest.lastError.message}</span>` : ''}.</p>
</section>`;
}

export function registerHealthRoutes(
  server: FastifyInstance,
  ctx: ConsoleContext,
  monitor: HealthMonitor,
): void {
  const panel = async (): Promise<SafeHtml> => render(ctx, await monitor.report());
  server.get('/health', async (request, reply) =>
    ctx.page(
      request,
      reply,
      { title: 'Health', active: 'health' },
      html`<h1>Health</h1><div id="health-panel" hx-get="${ctx.base}/health/panel" hx-trigger="every 10s" hx-swap="innerHTML">${await panel()}</div>`,
    ),
  );
  server.get('/health/panel', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send((await panel()).value),
  );
  server.get('/healthz', async (_request, reply) => reply.type('text/plain').send('ok\n'));
  server.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await ctx.metrics.text();
    return reply.type(contentType).send(body);
  });
}
