import type { Config } from '../../../config/index.js';
import type { App } from '../../../engine/index.js';
import { TaskFailedError, TaskTimeoutError } from '../../../engine/index.js';
import type { AsyncResult } from '../../../engine/result.js';
import type { EventJson, GraceDbClient, SupereventJson } from '../../../gracedb/client.js';
import { GraceDbError } from '../../../gracedb/errors.js';
import { parseVersionedFilename } from '../../../gracedb/versioned-filename.js';
import type { Logger } from '../../../log/index.js';
import type { FlashMessage } from '../flash.js';
import type { FormValues, OperatorForm } from './operator-forms.js';

/**
 * The pipeline tasks the forms send, by name (the console never imports the pipeline): the
 * orchestrator, circular, external-sky-map, mock-event and BAYESTAR modules implement these
 * names with these arguments (docs/console.md lists them).
 */
export const FORM_TASKS = {
  preliminaryAlert: 'orchestrator.earlywarning_preliminary_alert',
  updateAlert: 'orchestrator.update_alert',
  updateCircular: 'circulars.create_update_circular',
  mediumLatencyCircular: 'circulars.create_medium_latency_circular',
  externalSkymapFromUrl: 'external_skymaps.get_upload_external_skymap',
  mockEvent: 'first2years.upload_event',
  mockJointGrb: 'first2years_external.upload_joint_grb',
  localize: 'bayestar.localize',
  annotateSkymap: 'skymaps.annotate_fits',
} as const;

/** Seconds between the mock event and its mock GRB (the reference's countdown). */
const MOCK_GRB_DELAY_S = 5;

/** A form that cannot do what was asked: shown as a "danger" message, nothing was changed. */
export class FormRefused extends Error {
  override name = 'FormRefused';
}

export interface FormActionContext {
  app: App;
  config: Config;
  gracedb: GraceDbClient;
  /** Who submitted it (written to the GraceDB log). */
  user: string;
  log: Logger;
  /** Link to a task's page in the console. */
  taskHref(id: string): string;
}

export type FormOutcome = { kind: 'flash'; flash: FlashMessage } | { kind: 'text'; text: string };

function one(values: FormValues, name: string): string {
  const value = values[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

function many(values: FormValues, name: string): string[] {
  const value = values[name];
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.map((v) => v.trim()).filter(Boolean);
}

/** A read that validates what the operator typed: GraceDB's answer becomes the message. */
async function lookUp<T>(id: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof GraceDbError && err.status !== undefined) {
      throw new FormRefused(
        `No action performed. GraceDB query for ${id} returned error code ${err.status}.`,
      );
    }
    throw new FormRefused(
      `No action performed. GraceDB query for ${id} failed: ${(err as Error).message}`,
    );
  }
}

/** A write the action needs; a failure says which and what has been done before it. */
/** The request written to the object's log (tag em_follow), before anything else changes. */
function logRequest(ctx: FormActionContext, objectId: string, done: string[], message: string) {
  return write('log the request', done, () =>
    ctx.gracedb.upload(null, null, objectId, message, ['em_follow']),
  );
}

async function write<T>(what: string, done: string[], act: () => Promise<T>): Promise<T> {
  try {
    const value = await act();
    done.push(what);
    return value;
  } catch (err) {
    const before = done.length
      ? ` Done before the failure: ${done.join('; ')}.`
      : ' Nothing was changed.';
    throw new FormRefused(`GraceDB refused to ${what}: ${(err as Error).message}.${before}`);
  }
}

async function send(
  ctx: FormActionContext,
  name: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
): Promise<AsyncResult> {
  try {
    return await ctx.app.sendTask(name, args, { kwargs });
  } catch (err) {
    throw new FormRefused(`Could not queue task ${name}: ${(err as Error).message}`);
  }
}

function queued(ctx: FormActionContext, message: string, task: AsyncResult): FormOutcome {
  return { kind: 'flash', flash: { category: 'success', message, href: ctx.taskHref(task.id) } };
}

function checkMembership(event: EventJson, sid: string): void {
  if (event.superevent !== sid) {
    throw new FormRefused(
      `No action performed. Event ${event.graceid} belongs to ${event.superevent ?? 'no superevent'}, not ${sid}.`,
    );
  }
}

/** The superevent as the orchestrator's alert handler receives it (`{uid, object}`). */
function alertOf(superevent: SupereventJson): Record<string, unknown> {
  return { uid: superevent.superevent_id, object: superevent };
}

function pipelinePreferredId(superevent: SupereventJson, pipeline: string): string | undefined {
  const map = (superevent.pipeline_preferred_events ?? {}) as Record<string, { graceid?: string }>;
  const key = Object.keys(map).find((k) => k.toLowerCase() === pipeline.toLowerCase());
  return key ? map[key]?.graceid : undefined;
}

async function waitForText(
  ctx: FormActionContext,
  task: AsyncResult,
  what: string,
): Promise<string> {
  const timeoutMs = ctx.config.console_circular_timeout_s * 1000;
  try {
    const value = await task.get(timeoutMs);
    if (typeof value !== 'string') {
      throw new FormRefused(`The ${what} task answered with ${typeof value}, not text.`);
    }
    return value;
  } catch (err) {
    if (err instanceof FormRefused) throw err;
    if (err instanceof TaskTimeoutError) {
      throw new FormRefused(
        `The ${what} task (${task.id}) did not answer within ${timeoutMs / 1000} s: is a worker serving its queue?`,
      );
    }
    if (err instanceof TaskFailedError) {
      throw new FormRefused(`The ${what} task failed: ${err.remote.type}: ${err.remote.message}`);
    }
    throw err;
  }
}

type Action = (values: FormValues, ctx: FormActionContext) => Promise<FormOutcome>;

const ACTIONS: Record<string, Action> = {
  async send_preliminary_gcn(values, ctx) {
    const sid = one(values, 'superevent_id');
    const eventId = one(values, 'event_id');
    const event = await lookUp(eventId, () => ctx.gracedb.getEvent(eventId));
    await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    checkMembership(event, sid);
    const done: string[] = [];
    await logRequest(
      ctx,
      sid,
      done,
      `User ${ctx.user} queued a Preliminary alert through the dashboard.`,
    );
    await write(`make ${eventId} the preferred event`, done, () =>
      ctx.gracedb.updateSuperevent(sid, { preferred_event: eventId, t_0: event.gpstime }),
    );
    const superevent = await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    const task = await send(
      ctx,
      FORM_TASKS.preliminaryAlert,
      [event, alertOf(superevent), 'preliminary'],
      {
        initiate_voevent: true,
      },
    );
    return queued(ctx, `Queued preliminary alert for ${sid}.`, task);
  },

  async send_update_gcn(values, ctx) {
    const sid = one(values, 'superevent_id');
    await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    const files = ['skymap_filename', 'em_bright_filename', 'p_astro_filename'].map(
      (name) => one(values, name) || null,
    );
    const done: string[] = [];
    await logRequest(
      ctx,
      sid,
      done,
      `User ${ctx.user} queued an Update alert through the dashboard.`,
    );
    const task = await send(ctx, FORM_TASKS.updateAlert, [files, sid]);
    return queued(ctx, `Queued update alert for ${sid}.`, task);
  },

  async create_update_gcn_circular(values, ctx) {
    const sid = one(values, 'superevent_id');
    await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    const task = await send(ctx, FORM_TASKS.updateCircular, [sid], {
      update_types: many(values, 'update_types'),
    });
    return { kind: 'text', text: await waitForText(ctx, task, 'update circular') };
  },

  async create_medium_latency_gcn_circular(values, ctx) {
    const extId = one(values, 'ext_event_id');
    await lookUp(extId, () => ctx.gracedb.getEvent(extId));
    const task = await send(ctx, FORM_TASKS.mediumLatencyCircular, [extId]);
    return { kind: 'text', text: await waitForText(ctx, task, 'medium-latency circular') };
  },

  async change_preferred_event(values, ctx) {
    const sid = one(values, 'superevent_id');
    const eventId = one(values, 'event_id');
    const event = await lookUp(eventId, () => ctx.gracedb.getEvent(eventId));
    const before = await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    checkMembership(event, sid);
    const done: string[] = [];
    const message = ctx.config.views_manual_preferred_event_log_message
      .replace('{}', ctx.user)
      .replace('{}', eventId);
    await logRequest(ctx, sid, done, message);
    await write(`make ${eventId} the preferred event`, done, () =>
      ctx.gracedb.updateSuperevent(sid, { preferred_event: eventId, t_0: event.gpstime }),
    );
    if (pipelinePreferredId(before, event.pipeline) !== eventId) {
      await write(
        `make ${eventId} the ${event.pipeline} pipeline-preferred event`,
        done,
        async () => {
          await ctx.gracedb.upload(
            null,
            null,
            sid,
            `User ${ctx.user} queued a pipeline preferred event change to ${eventId}.`,
            ['em_follow'],
          );
          await ctx.gracedb.addPipelinePreferredEvent(sid, eventId);
        },
      );
    }
    const superevent = await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    const task = await send(
      ctx,
      FORM_TASKS.preliminaryAlert,
      [event, alertOf(superevent), 'preliminary'],
      {
        initiate_voevent: false,
      },
    );
    return queued(ctx, `Changed the preferred event of ${sid} to ${eventId}.`, task);
  },

  async change_pipeline_preferred_event(values, ctx) {
    const sid = one(values, 'superevent_id');
    const pipeline = one(values, 'pipeline');
    const eventId = one(values, 'event_id');
    const event = await lookUp(eventId, () => ctx.gracedb.getEvent(eventId));
    const superevent = await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    checkMembership(event, sid);
    if (event.pipeline.toLowerCase() !== pipeline.toLowerCase()) {
      throw new FormRefused(
        `No change performed. Event ${eventId} is from pipeline ${event.pipeline}, not ${pipeline}.`,
      );
    }
    const preferred = superevent.preferred_event_data as EventJson | undefined;
    if (preferred && preferred.pipeline.toLowerCase() === pipeline.toLowerCase()) {
      throw new FormRefused(
        `No change performed. ${pipeline} is the pipeline of the preferred event ${preferred.graceid}: change the preferred event instead.`,
      );
    }
    const done: string[] = [];
    await logRequest(
      ctx,
      sid,
      done,
      `User ${ctx.user} queued a pipeline preferred event change to ${eventId}.`,
    );
    await write(`make ${eventId} the ${pipeline} pipeline-preferred event`, done, () =>
      ctx.gracedb.addPipelinePreferredEvent(sid, eventId),
    );
    const fresh = await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    const task = await send(
      ctx,
      FORM_TASKS.preliminaryAlert,
      [event, alertOf(fresh), 'preliminary'],
      {
        initiate_voevent: false,
      },
    );
    return queued(
      ctx,
      `Changed the ${pipeline} pipeline-preferred event of ${sid} to ${eventId}.`,
      task,
    );
  },

  async apply_raven_labels(values, ctx) {
    const sid = one(values, 'superevent_id');
    const extId = one(values, 'ext_id');
    const eventId = one(values, 'event_id');
    const external = await lookUp(extId, () => ctx.gracedb.getEvent(extId));
    await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    await lookUp(eventId, () => ctx.gracedb.getEvent(eventId));
    let fars: { time_coinc_far?: number; space_coinc_far?: number } = {};
    if (['GRB', 'SubGRB', 'SubGRBTargeted'].includes(external.search ?? '')) {
      const text = await lookUp(`coincidence_far.json of ${extId}`, () =>
        ctx.gracedb.download('coincidence_far.json', extId),
      );
      try {
        const parsed = JSON.parse(text.toString()) as Record<string, unknown>;
        fars = {
          time_coinc_far: parsed.temporal_coinc_far as number,
          space_coinc_far: (parsed.spatiotemporal_coinc_far as number | null) ?? undefined,
        };
      } catch (err) {
        throw new FormRefused(
          `No action performed. coincidence_far.json of ${extId} is not JSON: ${(err as Error).message}`,
        );
      }
    }
    const done: string[] = [];
    await logRequest(
      ctx,
      sid,
      done,
      `User ${ctx.user} designated ${extId} as the external coincidence through the dashboard.`,
    );
    await write(`set em_type ${extId} and the coincidence FARs`, done, () =>
      ctx.gracedb.updateSuperevent(sid, { em_type: extId, ...fars }),
    );
    for (const id of [sid, extId, eventId]) {
      await write(`apply RAVEN_ALERT to ${id}`, done, () =>
        ctx.gracedb.createLabel('RAVEN_ALERT', id),
      );
    }
    return {
      kind: 'flash',
      flash: {
        category: 'success',
        message: `Labeled ${sid}, ${extId} and ${eventId} with RAVEN_ALERT.`,
      },
    };
  },

  async download_upload_external_skymap(values, ctx) {
    const extId = one(values, 'ext_id');
    const url = one(values, 'skymap_url');
    await lookUp(extId, () => ctx.gracedb.getEvent(extId));
    const done: string[] = [];
    await logRequest(
      ctx,
      extId,
      done,
      `User ${ctx.user} queued a download of the sky map at ${url} through the dashboard.`,
    );
    // The reference downloaded inside the web request (gwcelery-spec §13); a task does it here.
    const task = await send(ctx, FORM_TASKS.externalSkymapFromUrl, [
      { graceid: extId, search: 'FromURL' },
      url,
    ]);
    return queued(ctx, `Queued the download of the sky map for ${extId}.`, task);
  },

  async send_mock_event(_values, ctx) {
    const task = await send(ctx, FORM_TASKS.mockEvent, []);
    return queued(ctx, 'Queued a mock event.', task);
  },

  async send_mock_joint_event(_values, ctx) {
    let result: Awaited<ReturnType<App['apply']>>;
    try {
      result = await ctx.app.apply({
        kind: 'chain',
        id: '',
        tasks: [
          {
            kind: 'task',
            id: '',
            task: FORM_TASKS.mockEvent,
            args: [],
            kwargs: {},
            options: {},
            immutable: true,
          },
          {
            kind: 'task',
            id: '',
            task: FORM_TASKS.mockJointGrb,
            args: [],
            kwargs: { pipeline: 'Fermi', ext_search: 'MDC' },
            options: { countdown: MOCK_GRB_DELAY_S },
            immutable: false,
          },
        ],
      });
    } catch (err) {
      throw new FormRefused(`Could not queue the mock joint event: ${(err as Error).message}`);
    }
    return queued(ctx, 'Queued a mock joint event.', result as AsyncResult);
  },

  async create_skymap_with_disabled_detectors(values, ctx) {
    const eventId = one(values, 'event_id');
    const detectors = [...new Set(many(values, 'detectors'))].sort();
    const event = await lookUp(eventId, () => ctx.gracedb.getEvent(eventId));
    if (event.group !== 'CBC') {
      throw new FormRefused(
        `No sky map created. BAYESTAR localizes CBC events; ${eventId} is a ${event.group} event.`,
      );
    }
    const filename = `bayestar.no-${detectors.join('')}.multiorder.fits`;
    const done: string[] = [];
    await logRequest(
      ctx,
      eventId,
      done,
      `User ${ctx.user} queued a sky map with disabled detectors ${detectors.join(', ')} through the dashboard.`,
    );
    const task = await send(ctx, FORM_TASKS.localize, [eventId], {
      disabled_detectors: detectors,
      filename,
      tags: ['sky_loc', 'public'],
      annotate: true,
    });
    return queued(
      ctx,
      `Creating sky map for event ID ${eventId} with these disabled detectors: ${detectors.join(', ')}.`,
      task,
    );
  },

  async copy_sky_map_between_events(values, ctx) {
    const sid = one(values, 'superevent_id');
    const eventId = one(values, 'event_id');
    const versioned = one(values, 'skymap_filename');
    await lookUp(sid, () => ctx.gracedb.getSuperevent(sid));
    const { name } = parseVersionedFilename(versioned);
    const bytes = await lookUp(`${versioned} of ${eventId}`, () =>
      ctx.gracedb.download(versioned, eventId),
    );
    const done: string[] = [];
    const copied = await write(`upload ${name} to ${sid}`, done, () =>
      ctx.gracedb.upload(
        bytes,
        name,
        sid,
        `sky map copied from ${eventId} (by ${ctx.user} through the dashboard)`,
        ['sky_loc', 'public'],
      ),
    );
    const task = await send(ctx, FORM_TASKS.annotateSkymap, [copied, sid, ['sky_loc', 'public']]);
    return queued(ctx, `Copied ${versioned} from ${eventId} to ${sid} as ${copied}.`, task);
  },
};

/** Runs a validated form: checks and GraceDB writes here, the pipeline's work as tasks. */
export async function runFormAction(
  form: OperatorForm,
  values: FormValues,
  ctx: FormActionContext,
): Promise<FormOutcome> {
  const action = ACTIONS[form.id];
  if (!action) throw new Error(`no action for form ${form.id}`);
  ctx.log.info({ form: form.id, user: ctx.user, fields: values }, `operator form ${form.id}`);
  return action(values, ctx);
}
