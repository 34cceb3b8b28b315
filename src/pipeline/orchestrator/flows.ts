/**
 * The superevent flows the labels start (gwcelery-spec §4.2), one task each: the DQ check and
 * the first alert of each kind, the second alerts after the clean-up timeout, the initial alert
 * and the retraction, and the DQ re-check when an event joins a vetoed superevent.
 */
import { defineTask, type TaskContext } from '../../engine/index.js';
import type { EventJson } from '../../gracedb/client.js';
import { checkVectors } from '../detchar.js';
import { gracedbFor } from '../gracedb.js';
import { type CandidateEvent, shouldPublish } from '../superevents/rules.js';
import { findAlertMarker } from './alert-marker.js';
import { alertStep } from './alert-step.js';
import { LABELS } from './labels.js';
import { alertId, FLOW_LOG, secondLessSignificantDecision } from './policy.js';
import { sendAlert } from './send-alert.js';
import { reselectPreferredEvent, setPipelinePreferredEvents } from './superevent-cleanup.js';

/** Priority of a flow: 0 when the preferred event is significant-publishable, else 1 (§4.1). */
export function flowPriority(event: unknown, config: TaskContext['app']['config']): 0 | 1 {
  try {
    return shouldPublish(event as CandidateEvent, { significant: true, config }) ? 0 : 1;
  } catch {
    return 1;
  }
}

async function preferredEvent(ctx: TaskContext, sid: string) {
  const gracedb = gracedbFor(ctx.app.config);
  const superevent = await gracedb.getSuperevent(sid);
  return { gracedb, superevent, event: await gracedb.getEvent(superevent.preferred_event) };
}

/** A new superevent: the DQ check of its preferred event (§4.2 "new"). */
export const newSupereventFlow = defineTask(
  { name: 'orchestrator.new_superevent' },
  async (ctx, sid: string) => {
    const { gracedb, superevent, event } = await preferredEvent(ctx, sid);
    // The reference starts RapidPE and Bilby on HTCondor here; this deployment has no PE.
    ctx.log.info({ superevent: sid }, 'parameter estimation is not configured: no RapidPE/Bilby');
    await gracedb.upload(
      null,
      null,
      sid,
      'Parameter estimation is not configured in this deployment: no RapidPE or Bilby run was started.',
      ['pe'],
    );
    const result = await checkVectors(
      gracedb,
      ctx.app.config,
      event,
      sid,
      superevent.t_start,
      superevent.t_end,
    );
    return result.overall;
  },
);

/** LOW_SIGNIF_LOCKED: DQ check, then the first less-significant alert. */
export const lessSignificantFlow = defineTask(
  { name: 'orchestrator.less_significant_flow' },
  async (ctx, sid: string) => {
    const { gracedb, superevent, event } = await preferredEvent(ctx, sid);
    await gracedb.upload(null, null, sid, FLOW_LOG.dqCheckLessSignificant, ['data_quality']);
    const checked = await checkVectors(
      gracedb,
      ctx.app.config,
      event,
      sid,
      superevent.t_start,
      superevent.t_end,
    );
    return alertStep(ctx, {
      superevent: sid,
      event: checked.event,
      alertType: 'less-significant',
      alertId: alertId('less-significant', 1),
    });
  },
);

/** SIGNIF_LOCKED: lock, re-select the preferred event, DQ check, first preliminary alert. */
export const significantFlow = defineTask(
  { name: 'orchestrator.significant_flow' },
  async (ctx, sid: string, applyLowSignifLocked: boolean) => {
    const config = ctx.app.config;
    const gracedb = gracedbFor(config);
    if (applyLowSignifLocked) await gracedb.createLabel(LABELS.LOW_SIGNIF_LOCKED, sid);
    const superevent = await gracedb.getSuperevent(sid);
    const event = await reselectPreferredEvent(gracedb, config, superevent);
    await gracedb.upload(null, null, sid, FLOW_LOG.cleanedUpSignificant);
    await gracedb.upload(null, null, sid, FLOW_LOG.dqCheckSignificant, ['data_quality']);
    const fresh = await gracedb.getSuperevent(sid);
    const checked = await checkVectors(gracedb, config, event, sid, fresh.t_start, fresh.t_end);
    return alertStep(ctx, {
      superevent: sid,
      event: checked.event,
      alertType: 'preliminary',
      alertId: alertId('preliminary', 1),
    });
  },
);

/** EARLY_WARNING: lock, re-select, early-warning alert (no DQ check: the data is in the future). */
export const earlyWarningFlow = defineTask(
  { name: 'orchestrator.early_warning_flow' },
  async (ctx, sid: string, applyLowSignifLocked: boolean) => {
    const config = ctx.app.config;
    const gracedb = gracedbFor(config);
    if (applyLowSignifLocked) await gracedb.createLabel(LABELS.LOW_SIGNIF_LOCKED, sid);
    const event = await reselectPreferredEvent(gracedb, config, await gracedb.getSuperevent(sid));
    await gracedb.upload(null, null, sid, FLOW_LOG.cleanedUpEarlyWarning);
    return alertStep(ctx, {
      superevent: sid,
      event,
      alertType: 'earlywarning',
      alertId: alertId('earlywarning', 1),
    });
  },
);

/** True (and logged) when the alert of this identity already has its notice. */
async function alreadySent(ctx: TaskContext, sid: string, id: string): Promise<boolean> {
  const gracedb = gracedbFor(ctx.app.config);
  const marker = findAlertMarker(await gracedb.getLog(sid), id);
  if (!marker) return false;
  ctx.log.info({ superevent: sid, alert: id, voevent: marker.voevent }, 'alert already sent');
  await gracedb.upload(
    null,
    null,
    sid,
    `Alert ${id} was already sent as ${marker.voevent}; not sending it again.`,
  );
  return true;
}

/**
 * The timer GCN_PRELIM_SENT starts: after the clean-up timeout, re-select the preferred event,
 * ask for the DQ report and send the second preliminary (no new DQ check); then set the
 * pipeline-preferred events. Runs once per superevent (§13: the reference relies on GraceDB
 * refusing a duplicate label to stop a third).
 */
export const secondPreliminaryAlert = defineTask(
  { name: 'orchestrator.second_preliminary_alert' },
  async (ctx, sid: string) => {
    const id = alertId('preliminary', 2);
    if (await alreadySent(ctx, sid, id)) return { sent: false, reason: 'already-sent' };
    const config = ctx.app.config;
    const gracedb = gracedbFor(config);
    const superevent = await gracedb.getSuperevent(sid);
    const event = await reselectPreferredEvent(gracedb, config, superevent);
    await Promise.all([
      gracedb.upload(null, null, sid, FLOW_LOG.cleanedUpFirstPreliminary),
      gracedb.createLabel(LABELS.DQR_REQUEST, sid),
    ]);
    const outcome = await alertStep(ctx, {
      superevent: sid,
      event,
      alertType: 'preliminary',
      alertId: id,
    });
    await setPipelinePreferredEvents(gracedb, config, await gracedb.getSuperevent(sid));
    return outcome;
  },
);

/**
 * The timer LOW_SIGNIF_PRELIM_SENT starts: unless vetting began or a significant or
 * early-warning candidate appeared, re-select and send the second less-significant alert.
 */
export const secondLessSignificantAlert = defineTask(
  { name: 'orchestrator.second_less_significant_alert' },
  async (ctx, sid: string) => {
    const id = alertId('less-significant', 2);
    if (await alreadySent(ctx, sid, id)) return { sent: false, reason: 'already-sent' };
    const config = ctx.app.config;
    const gracedb = gracedbFor(config);
    const superevent = await gracedb.getSuperevent(sid);
    const decision = secondLessSignificantDecision(new Set(superevent.labels));
    if (!decision.send) {
      await gracedb.upload(null, null, sid, decision.log);
      return { sent: false, reason: 'blocked-by-labels' };
    }
    const event = await reselectPreferredEvent(gracedb, config, superevent);
    await gracedb.upload(null, null, sid, FLOW_LOG.cleanedUpSecondLessSignificant);
    const outcome = await alertStep(ctx, {
      superevent: sid,
      event,
      alertType: 'less-significant',
      alertId: id,
    });
    await setPipelinePreferredEvents(gracedb, config, await gracedb.getSuperevent(sid));
    return outcome;
  },
);

/** ADVOK: the initial alert from the superevent's current files. */
export const initialAlertFlow = defineTask(
  { name: 'orchestrator.initial_alert_flow' },
  (ctx, sid: string) =>
    sendAlert(ctx, { superevent: sid, alertType: 'initial', alertId: alertId('initial', 1) }),
);

/** ADVNO: the retraction. */
export const retractionAlertFlow = defineTask(
  { name: 'orchestrator.retraction_alert_flow' },
  (ctx, sid: string) =>
    sendAlert(ctx, {
      superevent: sid,
      alertType: 'retraction',
      alertId: alertId('retraction', 1),
    }),
);

/**
 * An event joined a superevent labelled DQV: check that event over the window the notification
 * gives and, if the data is now good, make it preferred (§4.2 event_added; the reference checks
 * the current preferred event instead of the new one, §13).
 */
export const dqRecheckFlow = defineTask(
  { name: 'orchestrator.dq_recheck' },
  async (ctx, sid: string, graceid: string, start: number, end: number) => {
    const config = ctx.app.config;
    const gracedb = gracedbFor(config);
    const event: EventJson = await gracedb.getEvent(graceid);
    const result = await checkVectors(gracedb, config, event, sid, start, end);
    if (!(await gracedb.getLabels(sid)).has(LABELS.DQOK)) return result.overall;
    await gracedb.updateSuperevent(sid, { preferred_event: graceid, t_0: event.gpstime });
    await gracedb.upload(null, null, sid, `DQOK applied based on new event ${graceid}`);
    return result.overall;
  },
);
