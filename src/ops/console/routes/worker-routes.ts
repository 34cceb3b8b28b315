import type { FastifyInstance } from 'fastify';
import type { ListenerHealth } from '../../../bus/igwn-alert/health.js';
import { type InspectReport, inspect } from '../../../engine/inspect.js';
import { STATS_KEYS } from '../../../engine/stats-keys.js';
import { heartbeatAgeS } from '../../nagios/nagios-checks.js';
import type { ConsoleContext } from '../console-context.js';
import { ago, duration, isoTime } from '../format.js';
import { html, type SafeHtml } from '../html.js';

function statsSummary(stats: Record<string, unknown> | undefined): SafeHtml {
  if (!stats || Object.keys(stats).length === 0) return html``;
  const health = stats[STATS_KEYS.igwnAlertHealth] as ListenerHealth | undefined;
  const parts: SafeHtml[] = [];
  const topics = stats[STATS_KEYS.igwnAlertTopics];
  if (Array.isArray(topics)) parts.push(html`<span>IGWN Alert: ${topics.length} topics</span>`);
  if (health?.heartbeat) {
    parts.push(
      html`<span class="${heartbeatAgeS(health.heartbeat, Date.now()) <= health.heartbeat.staleAfterS ? '' : 'bad'}">heartbeat ${heartbeatAgeS(health.heartbeat, Date.now()).toFixed(1)} s</span>`,
    );
  }
  if (health?.lag?.total !== undefined && health.lag.total !== null) {
    parts.push(html`<span>lag ${health.lag.total}</span>`);
  }
  for (const key of [STATS_KEYS.kafkaTopicUp, STATS_KEYS.kafkaDeliveryFailures]) {
    const flags = stats[key] as Record<string, boolean> | undefined;
    if (flags && typeof flags === 'object') {
      parts.push(
        html`<span>${key}: ${Object.entries(flags).map(([k, v]) => html`${k}=${String(v)} `)}</span>`,
      );
    }
  }
  for (const key of [
    STATS_KEYS.voeventBrokerPeers,
    STATS_KEYS.voeventReceiverPeers,
    STATS_KEYS.activeKafkaConsumers,
  ]) {
    const value = stats[key];
    if (Array.isArray(value))
      parts.push(html`<span>${key}: ${value.join(', ') || '(none)'}</span>`);
  }
  return html`<details><summary>${parts}</summary><pre class="small">${JSON.stringify(stats, null, 2)}</pre></details>`;
}

function panel(ctx: ConsoleContext, report: InspectReport): SafeHtml {
  const { base, history } = ctx;
  const now = Date.now();
  const lastHour = history.queueActivity(now - 3600_000);
  const last5 = history.queueActivity(now - 300_000);
  return html`<h2>Workers</h2>
<table class="workers"><thead><tr><th>worker</th><th>status</th><th>queues</th><th>concurrency</th><th>host / pid</th><th>last heartbeat</th><th>running</th><th>subsystems</th></tr></thead><tbody>
${report.workers.length === 0 ? html`<tr><td colspan="8" class="muted">No worker has reported.</td></tr>` : ''}
${report.workers.map(
  (w) => html`<tr class="${w.online ? '' : 'offline'}">
<td>${w.name}</td>
<td>${w.online ? html`<span class="state success">online</span>` : html`<span class="state failure">${w.stoppedAt ? 'stopped' : 'offline'}</span>`}</td>
<td>${w.queues.join(', ')}</td>
<td>${w.concurrency}</td>
<td class="small">${w.hostname} / ${w.pid}</td>
<td class="nowrap">${ago(w.lastHeartbeat, now)}</td>
<td>${w.active.map((t) => html`<div><a href="${base}/tasks/${t.id}">${t.name}</a> <span class="muted">${duration(now - t.startedAt)}</span></div>`)}</td>
<td class="small">${statsSummary(w.stats)}</td>
</tr>`,
)}
</tbody></table>
<h2>Queues</h2>
<table class="queues"><thead><tr><th>queue</th><th>waiting</th><th>running</th><th>scheduled</th><th>sent / min (5 min)</th><th>sent / min (1 h)</th><th>succeeded (1 h)</th><th>failed (1 h)</th></tr></thead><tbody>
${Object.entries(report.queues).map(
  ([name, q]) => html`<tr>
<td><a href="${base}/tasks?queue=${name}">${name}</a>${q.limit ? html` <span class="muted small">(serial)</span>` : ''}</td>
<td class="num ${q.waiting > ctx.config.nagios_celery_queue_max ? 'bad' : ''}">${q.waiting}</td>
<td class="num">${q.active}</td>
<td class="num">${q.delayed}</td>
<td class="num">${((last5[name]?.sent ?? 0) / 5).toFixed(1)}</td>
<td class="num">${((lastHour[name]?.sent ?? 0) / 60).toFixed(2)}</td>
<td class="num">${lastHour[name]?.succeeded ?? 0}</td>
<td class="num ${(lastHour[name]?.failed ?? 0) > 0 ? 'bad' : ''}">${lastHour[name]?.failed ?? 0}</td>
</tr>`,
)}
</tbody></table>
<h2>Scheduled (countdown / ETA)</h2>
<table><thead><tr><th>due (UTC)</th><th>in</th><th>task</th><th>queue</th></tr></thead><tbody>
${report.scheduled.length === 0 ? html`<tr><td colspan="4" class="muted">Nothing scheduled.</td></tr>` : ''}
${report.scheduled.map(
  (s) =>
    html`<tr><td class="nowrap">${isoTime(s.eta)}</td><td>${duration(s.eta - now)}</td><td><a href="${base}/tasks/${s.id}">${s.task}</a></td><td>${s.queue}</td></tr>`,
)}
</tbody></table>
<p class="muted small">Updated ${isoTime(now)} UTC.</p>`;
}

export function registerWorkerRoutes(server: FastifyInstance, ctx: ConsoleContext): void {
  const render = async (): Promise<SafeHtml> => {
    try {
      return panel(ctx, await inspect(ctx.app));
    } catch (err) {
      return html`<div class="flash danger">Cannot inspect the deployment: ${(err as Error).message}</div>`;
    }
  };
  server.get('/workers', async (request, reply) =>
    ctx.page(
      request,
      reply,
      { title: 'Workers and queues', active: 'workers' },
      html`<h1>Workers and queues</h1>
<div id="workers-panel" hx-get="${ctx.base}/workers/panel" hx-trigger="every 3s" hx-swap="innerHTML">${await render()}</div>`,
    ),
  );
  server.get('/workers/panel', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send((await render()).value),
  );
}
