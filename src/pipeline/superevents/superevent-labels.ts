/**
 * Labels the superevent manager applies to a superevent after grouping a candidate
 * (gwcelery-spec §3.4 step 3, §3.6, §3.7), in the order the orchestrator must see them.
 */
import { type CandidateEvent, labelsOf, searchOf } from './candidate-event.js';
import { isComplete } from './completeness.js';
import { shouldPublish } from './publishability.js';
import { DEFAULT_SUPEREVENT_SETTINGS, type SupereventSettings } from './settings.js';

/**
 * EM_READY when the candidate is complete (even if it is not preferred); ADVREQ when it is
 * significant-publishable, then EARLY_WARNING (early-warning candidates) or SIGNIF_LOCKED when
 * it is also complete; LOW_SIGNIF_LOCKED when it is less-significant-publishable and complete.
 * SIGNIF_LOCKED and EARLY_WARNING come before LOW_SIGNIF_LOCKED so that the orchestrator's
 * less-significant flow, which stands down for them, already sees them.
 *
 * An early-warning candidate is one from the EarlyWarning search or one a pipeline labelled
 * EARLY_WARNING; the reference looks at the label only (§13).
 */
export function supereventLabels(
  event: CandidateEvent,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): string[] {
  const complete = isComplete(event);
  const labels: string[] = [];
  if (complete) labels.push('EM_READY');
  if (shouldPublish(event, { significant: true, config: settings })) {
    labels.push('ADVREQ');
    if (complete) {
      const earlyWarning =
        searchOf(event) === 'earlywarning' || labelsOf(event).has('EARLY_WARNING');
      labels.push(earlyWarning ? 'EARLY_WARNING' : 'SIGNIF_LOCKED');
    }
  }
  if (complete && shouldPublish(event, { significant: false, config: settings })) {
    labels.push('LOW_SIGNIF_LOCKED');
  }
  return labels;
}
