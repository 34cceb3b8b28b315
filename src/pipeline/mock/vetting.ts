/**
 * The mock advocate: some minutes after an MDC superevent appears, an ADV signoff, OK or NO at
 * random, which the orchestrator turns into an initial notice or a retraction (gwcelery-spec
 * §12 item 97). The reference schedules this from the upload task; here the superevent's own
 * `new` notification schedules it, so that every MDC superevent is vetted whoever uploaded the
 * event (beat, the console, `gwcelery mock upload` from another process) and the countdown lives
 * in the broker that runs the pipeline.
 */
import type { IgwnAlert } from '../../bus/igwn-alert/envelope.js';
import { onIgwnAlert } from '../../bus/igwn-alert/registry.js';
import { defineTask } from '../../engine/index.js';
import { gracedbFor } from '../gracedb.js';
import { freshSeed, type RandomSource, seededRandom } from './random.js';

/** What the on-duty scientist would have written (the reference's text, which operators know). */
export const MOCK_SIGNOFF_COMMENT =
  'If this had been a real gravitational-wave event candidate, then an on-duty scientist would have left a comment here on data quality and the status of the detectors.';

/** A verdict already given (by a person or an earlier run) is never overruled. */
const VERDICT_LABELS = ['ADVOK', 'ADVNO'];

export type VettingDecision =
  | { action: 'signoff'; status: 'OK' | 'NO' }
  | { action: 'skip'; reason: string };

export function vettingDecision(
  labels: ReadonlySet<string>,
  okProbability: number,
  random: RandomSource,
): VettingDecision {
  const given = VERDICT_LABELS.find((label) => labels.has(label));
  if (given) return { action: 'skip', reason: `already signed off (${given})` };
  return { action: 'signoff', status: random.uniform() < okProbability ? 'OK' : 'NO' };
}

export const vetEventTask = defineTask<[string], VettingDecision>(
  { name: 'first2years.vet_event' },
  async (ctx, supereventId) => {
    const gracedb = gracedbFor(ctx.app.config);
    const decision = vettingDecision(
      await gracedb.getLabels(supereventId),
      ctx.app.config.mock_events_vetting_ok_probability,
      seededRandom(freshSeed()),
    );
    if (decision.action === 'signoff') {
      await gracedb.createSignoff(decision.status, MOCK_SIGNOFF_COMMENT, 'ADV', supereventId);
      ctx.log.info({ superevent: supereventId, status: decision.status }, 'mock event vetted');
    } else {
      ctx.log.info({ superevent: supereventId, reason: decision.reason }, 'mock vetting skipped');
    }
    return decision;
  },
);

export const scheduleVettingTask = defineTask<[IgwnAlert], void>(
  { name: 'first2years.handle_mdc_superevent', ignoreResult: true },
  async (ctx, alert) => {
    if (alert.alert_type !== 'new') return;
    const supereventId = alert.uid;
    const countdown = ctx.app.config.mock_events_vetting_delay_s;
    // One vetting per superevent however often its creation is delivered.
    await vetEventTask.applyAsync([supereventId], {
      countdown,
      taskId: `first2years.vet_event.${supereventId}`,
    });
    ctx.log.info({ superevent: supereventId, countdown }, 'mock vetting scheduled');
  },
);

onIgwnAlert('mdc_superevent', scheduleVettingTask.name);
