/**
 * Which IGWN alerts on the pipeline topics reach the superevent manager, and at which priority
 * (gwcelery-spec §3.1, §2.4, the reference's `handle`).
 */
import {
  type CandidateEvent,
  CandidateEventError,
  farOf,
  graceidOf,
  instrumentsOf,
  labelsOf,
  searchOf,
} from './candidate-event.js';
import { isComplete, requiredLabels } from './completeness.js';
import { DEFAULT_SUPEREVENT_SETTINGS, type SupereventSettings } from './settings.js';

/** Priority of `superevents.process` for new uploads; label completions (0) jump ahead. */
export const NEW_EVENT_PRIORITY = 1;
export const LABEL_PRIORITY = 0;

export type EntryDecision =
  | { process: true; priority: number; reason: string }
  | { process: false; reason: string };

/** The alert fields the filter reads (an IGWN alert envelope, gracedb-api.md §8.2). */
export interface PipelineAlert {
  alert_type: string;
  object: CandidateEvent;
  data?: unknown;
}

function skip(reason: string): EntryDecision {
  return { process: false, reason };
}

/** The name of the label a `label_added` alert announces. */
function addedLabel(alert: PipelineAlert): string {
  const name = (alert.data as { name?: unknown } | null | undefined)?.name;
  if (typeof name !== 'string' || name === '') {
    throw new CandidateEventError(
      graceidOf(alert.object),
      'data.name',
      `of a label_added alert must be a label name, got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

export function entryDecision(
  alert: PipelineAlert,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): EntryDecision {
  const event = alert.object;
  const gid = graceidOf(event);
  if (alert.alert_type !== 'new' && alert.alert_type !== 'label_added') {
    return skip(`${alert.alert_type} alerts do not concern the superevent manager`);
  }
  if (instrumentsOf(event).has('K1')) return skip(`${gid} has KAGRA (K1) data`);
  if (searchOf(event) === 'vtinjection') return skip(`${gid} is a VTInjection candidate`);
  const far = farOf(event);
  if (far === undefined) return skip(`${gid} has no FAR`);
  if (far > settings.superevent_far_threshold) {
    return skip(`${gid} FAR ${far} Hz is above superevent_far_threshold`);
  }
  if (alert.alert_type === 'new') {
    return { process: true, priority: NEW_EVENT_PRIORITY, reason: `new candidate ${gid}` };
  }
  const label = addedLabel(alert);
  if (label === 'RAVEN_ALERT') {
    return { process: true, priority: LABEL_PRIORITY, reason: `RAVEN_ALERT on ${gid}` };
  }
  if (!requiredLabels(event)?.includes(label)) {
    return skip(`${label} is not a completeness label of ${gid}`);
  }
  if (!isComplete(event)) {
    return skip(`${gid} is not complete yet (labels: ${[...labelsOf(event)].join(', ')})`);
  }
  return { process: true, priority: LABEL_PRIORITY, reason: `${gid} complete with ${label}` };
}
