/**
 * Why the superevent manager treats candidates as it does, in one structure: what an operator
 * asks ("why is G2 not preferred?", "why no SIGNIF_LOCKED?") answered from the same rules the
 * tasks use. `gwcelery superevents explain` prints it.
 */
import {
  type CandidateEvent,
  farOf,
  graceidOf,
  groupOf,
  labelsOf,
  searchOf,
} from './candidate-event.js';
import { requiredLabels } from './completeness.js';
import { type EntryDecision, entryDecision } from './entry-filter.js';
import { type EventWindow, eventWindow } from './event-window.js';
import { categoryOf, type SupereventCategory } from './grouping.js';
import { compareKeys, type PreferredEventKey, preferredEventKey } from './preferred-event.js';
import { type PublishabilityTest, publishabilityTest, searchThresholds } from './publishability.js';
import { DEFAULT_SUPEREVENT_SETTINGS, type SupereventSettings } from './settings.js';
import { supereventLabels } from './superevent-labels.js';

export interface AlertTestExplanation extends PublishabilityTest {
  /** The FAR test passes because of RAVEN_ALERT. */
  ravenOverride: boolean;
  /** FAR × trials factor, or null when the search is not listed or the FAR is missing. */
  factoredFar: number | null;
  threshold: number | null;
}

export interface CandidateExplanation {
  graceid: string;
  entry?: EntryDecision;
  category?: SupereventCategory;
  window?: EventWindow;
  requiredLabels?: readonly string[] | null;
  missingLabels?: string[];
  significant?: AlertTestExplanation;
  lessSignificant?: AlertTestExplanation;
  key?: PreferredEventKey;
  /** The labels processing this candidate would apply to its superevent. */
  labels?: string[];
  /** Set when a rule refused the candidate (bad or missing field); the rest may be absent. */
  error?: string;
}

export interface Explanation {
  candidates: CandidateExplanation[];
  /** The candidate the ranking prefers among those without error. */
  preferred?: string;
}

function alertTest(
  event: CandidateEvent,
  significant: boolean,
  settings: SupereventSettings,
): AlertTestExplanation {
  const t = searchThresholds(groupOf(event), searchOf(event), settings);
  const far = farOf(event);
  const trials = significant ? t?.significantTrials : t?.lessSignificantTrials;
  const test = publishabilityTest(event, significant, settings);
  return {
    ...test,
    ravenOverride: labelsOf(event).has('RAVEN_ALERT'),
    factoredFar: far !== undefined && trials !== undefined ? far * trials : null,
    threshold: (significant ? t?.significantThreshold : t?.lessSignificantThreshold) ?? null,
  };
}

function explainOne(event: CandidateEvent, settings: SupereventSettings): CandidateExplanation {
  const out: CandidateExplanation = { graceid: graceidOf(event) };
  try {
    if (groupOf(event) === 'external') {
      out.entry = { process: false, reason: 'External events are not grouped (RAVEN adds them)' };
      return out;
    }
    out.entry = entryDecision({ alert_type: 'new', object: event }, settings);
    out.category = categoryOf(event);
    out.window = eventWindow(event, settings);
    const required = requiredLabels(event);
    const labels = labelsOf(event);
    out.requiredLabels = required ?? null;
    out.missingLabels = (required ?? []).filter((l) => !labels.has(l));
    out.significant = alertTest(event, true, settings);
    out.lessSignificant = alertTest(event, false, settings);
    out.key = preferredEventKey(event, settings);
    out.labels = supereventLabels(event, settings);
  } catch (err) {
    out.error = (err as Error).message;
  }
  return out;
}

export function explainCandidates(
  events: readonly CandidateEvent[],
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): Explanation {
  const candidates = events.map((e) => explainOne(e, settings));
  let best: CandidateExplanation | undefined;
  for (const c of candidates) {
    if (!c.key || c.error) continue;
    if (!best || compareKeys(c.key, best.key!) > 0) best = c;
  }
  return { candidates, ...(best ? { preferred: best.graceid } : {}) };
}
