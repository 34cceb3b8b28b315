/**
 * Which candidate of a superevent is the preferred event (gwcelery-spec §3.6): the one with the
 * greatest ranking key, keys compared element by element.
 */
import {
  attributeNumber,
  type CandidateEvent,
  CandidateEventError,
  farOf,
  graceidOf,
  groupOf,
  instrumentsOf,
  searchOf,
} from './candidate-event.js';
import { isComplete } from './completeness.js';
import { perSearchEntry } from './per-search.js';
import { publishabilityTest } from './publishability.js';
import { DEFAULT_SUPEREVENT_SETTINGS, type SupereventSettings } from './settings.js';

/**
 * The ranking key, most important first: complete; significant test (eligible, FAR passes);
 * less-significant test (eligible, FAR passes); search rank; number of detectors (CBC; −1
 * otherwise); network SNR (CBC) or −FAR (others, so that FAR 0 ranks best).
 */
export type PreferredEventKey = readonly [
  complete: boolean,
  significantEligible: boolean,
  significantFarPasses: boolean,
  lessSignificantEligible: boolean,
  lessSignificantFarPasses: boolean,
  searchRank: number,
  detectors: number,
  snrOrMinusFar: number,
];

/** Search rank from `superevent_candidate_preference`; −1 for an unlisted group/search. */
export function searchRank(
  event: CandidateEvent,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): number {
  return (
    perSearchEntry(settings.superevent_candidate_preference, groupOf(event), searchOf(event)) ?? -1
  );
}

export function preferredEventKey(
  event: CandidateEvent,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): PreferredEventKey {
  const significant = publishabilityTest(event, true, settings);
  const lessSignificant = publishabilityTest(event, false, settings);
  const cbc = groupOf(event) === 'cbc';
  let last: number;
  if (cbc) {
    last = attributeNumber(event, 'CoincInspiral', 'snr', 0);
  } else {
    // A Burst candidate without a FAR cannot have passed the entry filter; rank it last.
    const far = farOf(event);
    last = far === undefined ? Number.NEGATIVE_INFINITY : -far;
  }
  return [
    isComplete(event),
    significant.eligible,
    significant.farPasses,
    lessSignificant.eligible,
    lessSignificant.farPasses,
    searchRank(event, settings),
    cbc ? instrumentsOf(event).size : -1,
    last,
  ];
}

/** Negative, zero or positive as key `a` ranks below, with or above key `b`. */
export function compareKeys(a: PreferredEventKey, b: PreferredEventKey): number {
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function isExternal(event: CandidateEvent): boolean {
  return typeof event.group === 'string' && event.group.toLowerCase() === 'external';
}

/**
 * The candidate with the greatest key among the non-External ones (the first of equals, as
 * Python's max does); undefined when there is none.
 */
export function selectPreferredEvent<E extends CandidateEvent>(
  events: readonly E[],
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): E | undefined {
  let best: { event: E; key: PreferredEventKey } | undefined;
  for (const event of events) {
    if (isExternal(event)) continue;
    const key = preferredEventKey(event, settings);
    if (!best || compareKeys(key, best.key) > 0) best = { event, key };
  }
  return best?.event;
}

/**
 * The best candidate of each pipeline (non-External), keyed by the pipeline name as GraceDB
 * spells it: what GraceDB's pipeline-preferred events of a superevent should be.
 */
export function selectPipelinePreferredEvents<E extends CandidateEvent>(
  events: readonly E[],
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): Map<string, E> {
  const byPipeline = new Map<string, E[]>();
  for (const event of events) {
    if (isExternal(event)) continue;
    if (typeof event.pipeline !== 'string' || event.pipeline === '') {
      throw new CandidateEventError(graceidOf(event), 'pipeline', 'must be a non-empty string');
    }
    const list = byPipeline.get(event.pipeline) ?? [];
    list.push(event);
    byPipeline.set(event.pipeline, list);
  }
  const out = new Map<string, E>();
  for (const [pipeline, list] of byPipeline)
    out.set(pipeline, selectPreferredEvent(list, settings)!);
  return out;
}
