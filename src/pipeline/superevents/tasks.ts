/**
 * The superevent manager's tasks: `superevents.handle` filters the pipeline topics' IGWN alerts
 * on the general queue, `superevents.process` groups on the single-writer `superevent` queue
 * (gwcelery-spec §2.3, §3).
 */
import type { IgwnAlert } from '../../bus/igwn-alert/envelope.js';
import { onIgwnAlert } from '../../bus/igwn-alert/registry.js';
import { defineTask } from '../../engine/index.js';
import { gracedbFor } from '../gracedb.js';
import type { CandidateEvent } from './candidate-event.js';
import { entryDecision } from './entry-filter.js';
import { eventWindow } from './event-window.js';
import { type CandidateAlert, type ProcessOutcome, processCandidate } from './process-candidate.js';

/** The seven CBC and Burst pipeline topics (gwcelery-spec §1.3). */
export const PIPELINE_TOPICS = [
  'cbc_gstlal',
  'cbc_spiir',
  'cbc_pycbc',
  'cbc_mbta',
  'burst_olib',
  'burst_cwb',
  'burst_mly',
] as const;

export const processTask = defineTask<[CandidateAlert], ProcessOutcome>(
  { name: 'superevents.process', queue: 'superevent', timeLimitS: 600 },
  (ctx, alert) => processCandidate(gracedbFor(ctx.app.config), ctx.app.config, alert, ctx.log),
);

/**
 * The alert as `process` needs it: without `superevent_neighbours`, which grows with every
 * nearby superevent and is not read (the superevent is fetched afresh), so that the task
 * argument stays far below the broker's claim-check limit.
 */
function forProcess(alert: IgwnAlert): CandidateAlert {
  const { superevent_neighbours: _neighbours, ...object } = alert.object;
  return { uid: alert.uid, alert_type: alert.alert_type, data: alert.data, object };
}

export const handleTask = defineTask<[IgwnAlert], void>(
  { name: 'superevents.handle', ignoreResult: true },
  async (ctx, alert) => {
    const event = alert.object as CandidateEvent;
    const decision = entryDecision({ ...alert, object: event }, ctx.app.config);
    if (!decision.process) {
      ctx.log.debug({ graceid: event.graceid, alert_type: alert.alert_type }, decision.reason);
      return;
    }
    // A candidate whose window cannot be computed fails here, naming the field, rather than
    // on the superevent queue.
    eventWindow(event, ctx.app.config);
    ctx.log.info({ graceid: event.graceid, priority: decision.priority }, decision.reason);
    await processTask.applyAsync([forProcess(alert)], {
      priority: decision.priority,
      // A redelivered handle sends the same process message, which the broker drops.
      taskId: `${ctx.id}.process`,
    });
  },
);

onIgwnAlert(PIPELINE_TOPICS, handleTask.name);
