import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, release, type } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { getLogger } from '../../../log/index.js';
import type { ConsoleContext } from '../console-context.js';
import { FormRefused, runFormAction } from '../forms/form-actions.js';
import {
  type FormField,
  type FormValues,
  OPERATOR_FORMS,
  type OperatorForm,
  validateForm,
} from '../forms/operator-forms.js';
import {
  suggestEvents,
  suggestFiles,
  suggestSupereventIds,
  TypeaheadCache,
} from '../forms/typeahead.js';
import { html, type SafeHtml } from '../html.js';
import { canSubmit } from '../viewer.js';

const log = getLogger('console.forms');
const require = createRequire(import.meta.url);

/** OS, Node.js and every installed dependency with its version (the reference listed them). */
function platformInfo(): { os: string; node: string; packages: [string, string][] } {
  const packages: [string, string][] = [];
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'),
    );
    for (const name of Object.keys({ ...pkg.dependencies }).sort()) {
      let version = 'not installed';
      try {
        version = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
      } catch {
        // a package without an exported package.json: report it as declared
        version = String(pkg.dependencies[name]);
      }
      packages.push([name, version]);
    }
  } catch {
    // no package.json next to the sources (a bundled build)
  }
  return { os: `${type()} ${release()} ${platform()}/${arch()}`, node: process.version, packages };
}

function fieldInput(
  ctx: ConsoleContext,
  form: OperatorForm,
  field: FormField,
  disabled: boolean,
): SafeHtml {
  const id = `${form.id}-${field.name}`;
  const dis = disabled ? 'disabled' : '';
  if (field.kind === 'checkboxes') {
    return html`<fieldset><legend>${field.label}</legend>${field.options!.map(
      (o) =>
        html`<label class="check"><input type="checkbox" name="${field.name}" value="${o}" ${dis}> ${o}</label>`,
    )}</fieldset>`;
  }
  if (field.kind === 'select') {
    return html`<label>${field.label} <select name="${field.name}" ${field.required ? 'required' : ''} ${dis}><option value="">choose</option>${field.options!.map(
      (o) => html`<option>${o}</option>`,
    )}</select></label>`;
  }
  const typeahead = field.typeahead
    ? html`data-typeahead="${ctx.base}/${field.typeahead}" data-typeahead-term="${field.typeaheadTerm ?? ''}" data-typeahead-params="${JSON.stringify(field.typeaheadParams ?? {})}" list="${id}-list" autocomplete="off"`
    : '';
  return html`<label>${field.label} <input id="${id}" name="${field.name}" type="${field.kind === 'url' ? 'url' : 'text'}" ${field.pattern ? html`pattern="${field.pattern}"` : ''} placeholder="${field.placeholder ?? ''}" ${field.required ? 'required' : ''} ${typeahead} ${dis}></label>${
    field.typeahead ? html`<datalist id="${id}-list"></datalist>` : ''
  }`;
}

function formCard(
  ctx: ConsoleContext,
  form: OperatorForm,
  csrf: string,
  disabled: boolean,
): SafeHtml {
  return html`<form method="post" action="${ctx.base}${form.path}" class="operator-form" id="form-${form.id}" ${form.returnsText ? 'target="_blank"' : ''}>
<h3>${form.title}${form.confirm ? html` <span class="badge">confirm</span>` : ''}</h3>
<p class="small muted">${form.effect}</p>
<input type="hidden" name="_csrf" value="${csrf}">
${form.fields.map((f) => fieldInput(ctx, form, f, disabled))}
<button type="submit" class="${form.confirm ? 'danger' : ''}" ${disabled ? 'disabled' : ''}>${form.title}</button>
</form>`;
}

function asValues(body: unknown): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

export function registerFormRoutes(server: FastifyInstance, ctx: ConsoleContext): void {
  const { base, gracedb } = ctx;
  const info = platformInfo();
  const cache = new TypeaheadCache(ctx.config.console_typeahead_cache_s * 1000);

  server.get('/operations', async (request, reply) => {
    const allowed = canSubmit(request.consoleViewer);
    const csrf = ctx.csrfToken(request);
    return ctx.page(
      request,
      reply,
      { title: 'Operations', active: 'operations' },
      html`<h1>Operations</h1>
<div class="danger-zone"><strong>DANGER ZONE.</strong> These forms act on the live pipeline (GraceDB <code>${ctx.identity.gracedbUrl}</code>): alerts go out to the world. Each action is logged with your name.</div>
${
  allowed
    ? ''
    : html`<p class="flash warning">${
        request.consoleViewer.user
          ? html`${request.consoleViewer.user} is a read-only user: the forms are shown but cannot be submitted.`
          : html`Log in as an operator to submit these forms.`
      }</p>`
}
<div class="forms">${OPERATOR_FORMS.map((f) => formCard(ctx, f, csrf, !allowed))}</div>
<h2>Platform</h2>
<table class="fields"><tr><th>OS</th><td>${info.os}</td></tr><tr><th>Node.js</th><td>${info.node}</td></tr>
<tr><th>gwcelery</th><td>${ctx.identity.version}</td></tr>
<tr><th>packages</th><td class="small">${info.packages.map(([n, v]) => html`${n} ${v}; `)}</td></tr></table>`,
    );
  });

  for (const form of OPERATOR_FORMS) {
    server.post(form.path, async (request, reply) => {
      const viewer = request.consoleViewer;
      if (!canSubmit(viewer)) {
        log.warn({ form: form.id, user: viewer.user }, 'form refused: not an operator');
        return ctx.page(
          request,
          reply,
          { title: 'Refused', active: 'operations', status: 403 },
          html`<h1>Refused</h1><p class="flash danger">${
            viewer.user
              ? `${viewer.user} is a read-only user: ${form.title} was not submitted.`
              : `Log in as an operator to submit ${form.title}.`
          }</p><p><a href="${base}/operations">Back to operations</a></p>`,
        );
      }
      const values = asValues(request.body);
      delete values._csrf;
      const { missing, invalid } = validateForm(form, values);
      if (missing.length || invalid.length) {
        ctx.flash(reply, {
          category: 'danger',
          message: missing.length
            ? `No action performed. Please fill in all fields (missing: ${missing.join(', ')}).`
            : `No action performed. Invalid value for: ${invalid.join(', ')}.`,
        });
        return ctx.redirect(reply, '/operations');
      }
      if (form.confirm && values.confirmed !== 'yes') {
        return ctx.page(
          request,
          reply,
          { title: `Confirm: ${form.title}`, active: 'operations' },
          html`<section class="confirm">
<h1>Confirm: ${form.title}</h1>
<p>${form.effect}</p>
<table class="fields">${form.fields.map((f) => {
            const v = values[f.name];
            return html`<tr><th>${f.label}</th><td><code>${Array.isArray(v) ? v.join(', ') : (v ?? '')}</code></td></tr>`;
          })}</table>
<form method="post" action="${base}${form.path}" id="confirm-${form.id}">
<input type="hidden" name="_csrf" value="${ctx.csrfToken(request)}">
<input type="hidden" name="confirmed" value="yes">
${Object.entries(values).flatMap(([k, v]) =>
  (Array.isArray(v) ? v : [v ?? '']).map(
    (one) => html`<input type="hidden" name="${k}" value="${one}">`,
  ),
)}
<button type="submit" class="danger">Confirm</button> <a href="${base}/operations" class="button">Cancel</a>
</form></section>`,
        );
      }
      delete values.confirmed;
      try {
        const outcome = await runFormAction(form, values, {
          app: ctx.app,
          config: ctx.config,
          gracedb,
          user: viewer.user!,
          log,
          taskHref: (id) => `${base}/tasks/${encodeURIComponent(id)}`,
        });
        if (outcome.kind === 'text') {
          return reply.type('text/plain; charset=utf-8').send(outcome.text);
        }
        ctx.flash(reply, outcome.flash);
      } catch (err) {
        if (!(err instanceof FormRefused)) {
          log.error({ err, form: form.id, user: viewer.user }, 'operator form failed');
        }
        ctx.flash(reply, {
          category: 'danger',
          message:
            err instanceof FormRefused
              ? err.message
              : `${form.title} failed: ${(err as Error).message}`,
        });
      }
      return ctx.redirect(reply, '/operations');
    });
  }

  // Typeahead endpoints (JSON), cached per query string.
  const json = (reply: import('fastify').FastifyReply, value: unknown) =>
    reply.header('cache-control', 'private, max-age=30').send(value);
  server.get<{ Querystring: Record<string, string | undefined> }>(
    '/typeahead_superevent_id',
    async (request, reply) => {
      const term = request.query.superevent_id ?? '';
      return json(
        reply,
        await cache
          .get(`superevent:${term}`, () => suggestSupereventIds(gracedb, term))
          .catch(() => []),
      );
    },
  );
  server.get<{ Querystring: Record<string, string | undefined> }>(
    '/typeahead_event_id',
    async (request, reply) => {
      const sid = request.query.superevent_id ?? '';
      return json(
        reply,
        await cache.get(`event:${sid}`, () => suggestEvents(gracedb, ctx.eventRanking, sid)),
      );
    },
  );
  const fileTypeahead = (path: string, extension: string, tag: string) =>
    server.get<{ Querystring: Record<string, string | undefined> }>(
      path,
      async (request, reply) => {
        const id = request.query.superevent_id ?? '';
        const filename = request.query.filename ?? '';
        if (!id) return json(reply, []);
        return json(
          reply,
          await cache.get(`${path}:${id}:${filename}`, () =>
            suggestFiles(gracedb, id, filename, extension, tag),
          ),
        );
      },
    );
  fileTypeahead('/typeahead_skymap_filename', '.multiorder.fits', 'sky_loc');
  fileTypeahead('/typeahead_em_bright_filename', '.json', 'em_bright');
  fileTypeahead('/typeahead_p_astro_filename', '.json', 'p_astro');
}
