import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  HISTORY_STATES,
  type HistoryState,
  type TaskQuery,
  type TaskRecord,
} from '../../history/task-history.js';
import type { ConsoleContext } from '../console-context.js';
import { duration, isoTime } from '../format.js';
import { html, type SafeHtml } from '../html.js';

/** Rows shown in the task table, and kept by the browser while the live stream adds more. */
const PAGE_ROWS = 200;
const SSE_KEEPALIVE_MS = 15_000;
/**
 * A stream opened after a page rendered first replays what changed since a little before the
 * render: events carry the worker's timestamp and reach the history after a delay, so a task that
 * changed while the browser was loading the page would otherwise never show. Rows sent twice
 * just replace themselves.
 */
const REPLAY_MARGIN_MS = 30_000;

interface TaskFilterQuery {
  id?: string;
  name?: string;
  state?: string;
  subject?: string;
  queue?: string;
  hours?: string;
  /** The stream: the render time of the page that opened it (ms since the epoch). */
  after?: string;
}

function toQuery(q: TaskFilterQuery, now = Date.now()): TaskQuery {
  const hours = Number(q.hours);
  return {
    id: q.id?.trim() || undefined,
    name: q.name?.trim() || undefined,
    state: HISTORY_STATES.includes(q.state as HistoryState) ? (q.state as HistoryState) : undefined,
    subject: q.subject?.trim() || undefined,
    queue: q.queue?.trim() || undefined,
    since: Number.isFinite(hours) && hours > 0 ? now - hours * 3600_000 : undefined,
    limit: PAGE_ROWS,
  };
}

/** The same filter as TaskHistory.search, for records arriving on the live stream. */
export function matches(record: TaskRecord, q: TaskQuery): boolean {
  if (q.id && !record.id.startsWith(q.id)) return false;
  if (q.name && !record.name.includes(q.name)) return false;
  if (q.state && record.state !== q.state) return false;
  if (q.subject && !record.subjects.includes(q.subject)) return false;
  if (q.queue && record.queue !== q.queue) return false;
  if (q.since !== undefined && record.firstAt < q.since) return false;
  return true;
}

export function stateBadge(state: string): SafeHtml {
  return html`<span class="state ${state.toLowerCase()}">${state}</span>`;
}

export function subjectLinks(base: string, subjects: string[]): SafeHtml {
  return html`${subjects.map((s) =>
    /^[MT]?S\d{6}[a-z]+$/.test(s)
      ? html`<a class="subject" href="${base}/superevents/${s}">${s}</a> `
      : html`<a class="subject" href="${base}/tasks?subject=${s}">${s}</a> `,
  )}`;
}

export function taskRow(base: string, t: TaskRecord): SafeHtml {
  return html`<tr id="task-${t.id}" data-first-at="${t.firstAt}">
<td class="nowrap">${isoTime(t.firstAt)}</td>
<td>${stateBadge(t.state)}</td>
<td><a href="${base}/tasks/${encodeURIComponent(t.id)}">${t.name}</a></td>
<td class="mono small">${t.id.slice(0, 8)}</td>
<td class="args">${t.args ?? ''}</td>
<td>${subjectLinks(base, t.subjects)}</td>
<td class="small">${t.queue ?? ''}</td>
<td class="small">${t.worker ?? ''}</td>
<td class="nowrap">${duration(t.runtimeMs)}</td>
</tr>`;
}

function taskTable(base: string, rows: TaskRecord[], streamUrl?: string): SafeHtml {
  return html`<table class="tasks" id="task-table" ${streamUrl ? html`data-stream="${streamUrl}" data-max-rows="${PAGE_ROWS}"` : ''}>
<thead><tr><th>first seen (UTC)</th><th>state</th><th>task</th><th>id</th><th>arguments</th><th>subjects</th><th>queue</th><th>worker</th><th>runtime</th></tr></thead>
<tbody id="task-rows">${rows.map((t) => taskRow(base, t))}</tbody>
</table>`;
}

export function registerTaskRoutes(server: FastifyInstance, ctx: ConsoleContext): void {
  const { base, history } = ctx;
  const streams = new Set<FastifyReply>();
  server.addHook('onClose', async () => {
    for (const reply of streams) reply.raw.end();
  });

  server.get<{ Querystring: TaskFilterQuery }>('/tasks', async (request, reply) => {
    const q = request.query;
    const query = toQuery(q);
    const rows = history.search(query);
    const params = new URLSearchParams(
      Object.entries(q).filter(([k, v]) => k !== 'after' && typeof v === 'string' && v !== ''),
    );
    params.set('after', String(Date.now()));
    const ingest = ctx.ingester.status();
    return ctx.page(
      request,
      reply,
      { title: 'Tasks', active: 'tasks' },
      html`<h1>Tasks</h1>
<form class="filters" method="get" action="${base}/tasks" hx-get="${base}/tasks/rows" hx-target="#task-rows" hx-trigger="input changed delay:400ms from:input, change from:select, submit" hx-swap="innerHTML">
  <input name="subject" placeholder="superevent / event id" value="${q.subject ?? ''}">
  <input name="name" placeholder="task name contains" value="${q.name ?? ''}">
  <input name="id" placeholder="task id" value="${q.id ?? ''}">
  <select name="state"><option value="">any state</option>${HISTORY_STATES.map(
    (s) => html`<option value="${s}" ${q.state === s ? 'selected' : ''}>${s}</option>`,
  )}</select>
  <input name="queue" placeholder="queue" value="${q.queue ?? ''}" size="10">
  <input name="hours" placeholder="last N hours" value="${q.hours ?? ''}" size="8">
  <button type="submit">Search</button>
</form>
<p class="muted small">History kept ${duration(ctx.config.task_events_history_s * 1000)}; ${history.size()} tasks stored.
<span id="live-status" class="live">live</span>
${ingest.lastError ? html`<span class="flash danger">cannot read task events: ${ingest.lastError.message}</span>` : ''}</p>
${taskTable(base, rows, `${base}/tasks/stream?${params}`)}`,
    );
  });

  server.get<{ Querystring: TaskFilterQuery }>('/tasks/rows', async (request, reply) => {
    const rows = history.search(toQuery(request.query));
    return reply
      .type('text/html; charset=utf-8')
      .send(html`${rows.map((t) => taskRow(base, t))}`.value);
  });

  // The live stream: each batch the history stores, rendered as rows matching the filter.
  server.get<{ Querystring: TaskFilterQuery }>('/tasks/stream', (request, reply) => {
    const query = toQuery(request.query);
    delete query.since;
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    reply.raw.write('retry: 2000\n\n');
    streams.add(reply);
    const send = (record: TaskRecord) => {
      const row = taskRow(base, record).value.replace(/\n/g, '');
      reply.raw.write(`event: task\ndata: ${row}\n\n`);
    };
    const unsubscribe = ctx.ingester.onIngest((result) => {
      for (const id of result.changedIds) {
        const record = history.get(id);
        if (record && matches(record, query)) send(record);
      }
    });
    const after = Number(request.query.after);
    if (Number.isFinite(after) && after > 0) {
      const missed = history.search({ ...query, updatedSince: after - REPLAY_MARGIN_MS });
      for (const record of missed.reverse()) send(record);
    }
    const keepalive = setInterval(() => reply.raw.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
    request.raw.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
      streams.delete(reply);
    });
  });

  server.get<{ Params: { id: string } }>('/tasks/:id', async (request, reply) => {
    const task = history.get(request.params.id);
    if (!task) {
      return ctx.page(
        request,
        reply,
        { title: 'Task not found', active: 'tasks', status: 404 },
        html`<h1>Task ${request.params.id}</h1><p>No such task in the history (kept ${duration(ctx.config.task_events_history_s * 1000)}).</p>`,
      );
    }
    const result = await ctx.app.broker.getResult(task.id).catch(() => undefined);
    const parent = task.parentId ? history.get(task.parentId) : undefined;
    const children = history.children(task.id);
    const tree = task.rootId && task.rootId !== task.id ? history.tree(task.rootId) : [];
    const field = (label: string, value: unknown) =>
      value === null || value === undefined || value === ''
        ? ''
        : html`<tr><th>${label}</th><td>${value}</td></tr>`;
    return ctx.page(
      request,
      reply,
      { title: task.name, active: 'tasks' },
      html`<h1>${task.name} ${stateBadge(task.state)}</h1>
<table class="fields">
${field('id', html`<span class="mono">${task.id}</span>`)}
${field('queue', task.queue)}
${field('priority', task.priority)}
${field('worker', task.worker)}
${field('sent', isoTime(task.sentAt))}
${field('started', isoTime(task.startedAt))}
${field('finished', isoTime(task.finishedAt))}
${field('runtime', duration(task.runtimeMs))}
${field('retries', task.retries || '')}
${field('due (countdown / ETA)', isoTime(task.eta))}
${field('arguments', html`<code class="wrap">${task.args ?? ''}</code>`)}
${field('subjects', subjectLinks(base, task.subjects))}
${field('result', task.result === null ? '' : html`<code class="wrap">${task.result}</code>`)}
${field(
  'stored result',
  result?.state === 'SUCCESS'
    ? html`<code class="wrap">${JSON.stringify(result.result ?? null).slice(0, 4000)}</code>`
    : result?.state,
)}
${field('error', task.error)}
${field('parent', parent ? html`<a href="${base}/tasks/${parent.id}">${parent.name}</a> ${stateBadge(parent.state)}` : task.parentId)}
</table>
${task.traceback ? html`<h2>Traceback</h2><pre class="traceback">${task.traceback}</pre>` : ''}
<h2>Timeline</h2>
<table class="timeline"><thead><tr><th>time (UTC)</th><th>event</th><th>worker</th><th>detail</th></tr></thead><tbody>
${history
  .timeline(task.id)
  .map(
    (e) =>
      html`<tr><td class="nowrap">${isoTime(e.at)}</td><td>${e.type}</td><td>${e.worker ?? ''}</td><td>${e.detail ?? ''}</td></tr>`,
  )}
</tbody></table>
${children.length ? html`<h2>Children</h2>${taskTable(base, children)}` : ''}
${tree.length > 1 ? html`<h2>Whole canvas (root <a href="${base}/tasks/${task.rootId}">${task.rootId!.slice(0, 8)}</a>)</h2>${taskTable(base, tree)}` : ''}`,
    );
  });
}
