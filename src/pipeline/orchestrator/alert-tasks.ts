/**
 * The alert tasks other parts of the system send by name (the operations console's forms,
 * `gwcelery call`), with the reference's names and argument shapes (gwcelery-spec §4.4, §4.5,
 * §8.3). Each accepts GraceDB ids where the reference passes whole dicts, and a dict too.
 * A manual alert's identity comes from its request (`requestId`, else the task id), so a
 * redelivered request resumes its own notice and a new request makes a new one.
 */

import { defineTask, type TaskContext } from '../../engine/index.js';
import type { PipelineAlertType } from '../../formats/alert/types.js';
import type { EventJson } from '../../gracedb/client.js';
import { gracedbFor } from '../gracedb.js';
import { alertStep } from './alert-step.js';
import { type AutomaticAlertType, alertId, isAutomaticAlertType } from './policy.js';
import { sendAlert } from './send-alert.js';

/** A superevent as the reference passes it (`{object: {...}}`), as JSON, or its id. */
type SupereventRef =
  | string
  | { superevent_id?: string; uid?: string; object?: { superevent_id?: string } };
/** An event as JSON or its id. */
type EventRef = string | { graceid?: string };

export interface ManualOptions {
  /** Identity of the operator's request (e.g. the console's form submission id). */
  requestId?: string;
}

export function supereventId(ref: SupereventRef): string {
  const id =
    typeof ref === 'string'
      ? ref
      : (ref.object?.superevent_id ?? ref.superevent_id ?? ref.uid ?? undefined);
  if (!id) throw new TypeError(`not a superevent or superevent id: ${JSON.stringify(ref)}`);
  return id;
}

function eventId(ref: EventRef): string {
  const id = typeof ref === 'string' ? ref : ref.graceid;
  if (!id) throw new TypeError(`not an event or event id: ${JSON.stringify(ref)}`);
  return id;
}

/** A request identity made of the characters alert ids allow. */
export function requestIdentity(ctx: TaskContext, options: ManualOptions = {}): string {
  const fromKwargs = ctx.kwargs.request_id;
  const raw = options.requestId ?? (typeof fromKwargs === 'string' ? fromKwargs : ctx.id);
  return raw.replace(/[^A-Za-z0-9_.-]/g, '-').slice(-64);
}

/** `[skymap, em_bright, p_astro]` (any may be null) or `{skymap, emBright, pAstro}`. */
type Filenames =
  | (string | null | undefined)[]
  | { skymap?: string | null; emBright?: string | null; pAstro?: string | null }
  | null
  | undefined;

function files(names: Filenames): { skymap?: string; emBright?: string; pAstro?: string } {
  const [skymap, emBright, pAstro] = Array.isArray(names)
    ? names
    : [names?.skymap, names?.emBright, names?.pAstro];
  return {
    ...(skymap ? { skymap } : {}),
    ...(emBright ? { emBright } : {}),
    ...(pAstro ? { pAstro } : {}),
  };
}

/**
 * `earlywarning_preliminary_alert(event, superevent, alert_type, initiate_voevent)`: copy the
 * event's files to the superevent and, unless `initiateVoevent` is false (the console's
 * "change preferred event"), send the alert if the policy allows it.
 */
export const earlywarningPreliminaryAlert = defineTask(
  { name: 'orchestrator.earlywarning_preliminary_alert' },
  async (
    ctx,
    event: EventRef,
    superevent: SupereventRef,
    alertType: AutomaticAlertType = 'preliminary',
    initiateVoevent?: boolean,
    options: ManualOptions = {},
  ) => {
    // The console passes it as a keyword argument, as the reference's dashboard does.
    const initiate = initiateVoevent ?? ctx.kwargs.initiate_voevent ?? true;
    if (typeof initiate !== 'boolean') {
      throw new TypeError(
        `initiate_voevent must be true or false, got ${JSON.stringify(initiate)}`,
      );
    }
    if (!isAutomaticAlertType(alertType)) {
      throw new TypeError(
        `alert type '${alertType}' is not earlywarning, less-significant or preliminary`,
      );
    }
    const sid = supereventId(superevent);
    const gid = eventId(event);
    const fresh: EventJson = await gracedbFor(ctx.app.config).getEvent(gid);
    return alertStep(ctx, {
      superevent: sid,
      event: fresh,
      alertType,
      alertId: alertId(alertType, { request: requestIdentity(ctx, options) }),
      initiateVoevent: initiate,
    });
  },
);

/** `earlywarning_preliminary_initial_update_alert(filenames, superevent, alert_type)`. */
export const earlywarningPreliminaryInitialUpdateAlert = defineTask(
  { name: 'orchestrator.earlywarning_preliminary_initial_update_alert' },
  (
    ctx,
    filenames: Filenames,
    superevent: SupereventRef,
    alertType: PipelineAlertType,
    options: ManualOptions = {},
  ) =>
    sendAlert(ctx, {
      superevent: supereventId(superevent),
      alertType,
      alertId: alertId(alertType, { request: requestIdentity(ctx, options) }),
      files: files(filenames),
    }),
);

/** `initial_alert(filenames, superevent)`. */
export const initialAlert = defineTask(
  { name: 'orchestrator.initial_alert' },
  (ctx, filenames: Filenames, superevent: SupereventRef, options: ManualOptions = {}) =>
    sendAlert(ctx, {
      superevent: supereventId(superevent),
      alertType: 'initial',
      alertId: alertId('initial', { request: requestIdentity(ctx, options) }),
      files: files(filenames),
    }),
);

/** `update_alert(filenames, superevent_id)`: the console's "Issue Update GCN Notice". */
export const updateAlert = defineTask(
  { name: 'orchestrator.update_alert' },
  (ctx, filenames: Filenames, superevent: SupereventRef, options: ManualOptions = {}) =>
    sendAlert(ctx, {
      superevent: supereventId(superevent),
      alertType: 'update',
      alertId: alertId('update', { request: requestIdentity(ctx, options) }),
      files: files(filenames),
    }),
);

/** `retraction_alert(superevent)`. */
export const retractionAlert = defineTask(
  { name: 'orchestrator.retraction_alert' },
  (ctx, superevent: SupereventRef, options: ManualOptions = {}) =>
    sendAlert(ctx, {
      superevent: supereventId(superevent),
      alertType: 'retraction',
      alertId: alertId('retraction', { request: requestIdentity(ctx, options) }),
    }),
);
