/**
 * Whether a candidate may be published as a significant or a less-significant alert
 * (gwcelery-spec §3.5, the reference's `should_publish`). Completeness is not part of it.
 */
import { ConfigError } from '../../config/index.js';
import {
  type CandidateEvent,
  farOf,
  groupOf,
  isOffline,
  labelsOf,
  searchOf,
} from './candidate-event.js';
import { perSearchEntry } from './per-search.js';
import { DEFAULT_SUPEREVENT_SETTINGS, type SupereventSettings } from './settings.js';

/** The two halves of one publishability test; the preferred-event key ranks them apart. */
export interface PublishabilityTest {
  /** Neither an offline analysis nor labelled INJ. */
  eligible: boolean;
  /** The trials-factored FAR is within the threshold, or a RAVEN_ALERT label overrides it. */
  farPasses: boolean;
}

/** Thresholds and trials factors of one group/search; null thresholds mean "never". */
export interface SearchThresholds {
  significantThreshold: number | null;
  significantTrials: number;
  lessSignificantThreshold: number | null;
  lessSignificantTrials: number;
}

type PerSearch<T> = Record<string, Record<string, T>>;

function lookup<T>(
  settings: SupereventSettings,
  key: keyof SupereventSettings,
  g: string,
  s: string,
): T {
  const value = perSearchEntry(settings[key] as PerSearch<T>, g, s);
  if (value === undefined) {
    throw new ConfigError(
      `configuration key '${key}' has no entry for ${g}/${s}, which significant_alert_far_threshold lists (every listed search needs all four alert tables)`,
    );
  }
  return value;
}

/**
 * The thresholds of a lower-cased group and search, or undefined when the search is not listed
 * under `significant_alert_far_threshold` (such candidates are never published).
 */
export function searchThresholds(
  group: string,
  search: string,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): SearchThresholds | undefined {
  if (perSearchEntry(settings.significant_alert_far_threshold, group, search) === undefined) {
    return undefined;
  }
  return {
    significantThreshold: lookup(settings, 'significant_alert_far_threshold', group, search),
    significantTrials: lookup(settings, 'significant_alert_trials_factor', group, search),
    lessSignificantThreshold: lookup(settings, 'preliminary_alert_far_threshold', group, search),
    lessSignificantTrials: lookup(settings, 'preliminary_alert_trials_factor', group, search),
  };
}

function within(far: number, threshold: number | null): boolean {
  return threshold !== null && far <= threshold;
}

/**
 * The significant (`significant: true`) or less-significant test of one candidate. A candidate
 * that passes the significant FAR test always passes the less-significant one too.
 */
export function publishabilityTest(
  event: CandidateEvent,
  significant: boolean,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): PublishabilityTest {
  const labels = labelsOf(event);
  const eligible = !isOffline(event) && !labels.has('INJ');
  const thresholds = searchThresholds(groupOf(event), searchOf(event), settings);
  const far = farOf(event);
  let farPasses = false;
  if (thresholds && far !== undefined) {
    const significantPass = within(
      far * thresholds.significantTrials,
      thresholds.significantThreshold,
    );
    farPasses =
      significantPass ||
      (!significant &&
        within(far * thresholds.lessSignificantTrials, thresholds.lessSignificantThreshold));
  }
  return { eligible, farPasses: farPasses || labels.has('RAVEN_ALERT') };
}

/**
 * gwcelery's `should_publish`: the candidate is online, not an injection, and its FAR passes
 * the significant (default) or less-significant threshold after the trials factor, or it
 * carries RAVEN_ALERT. `config` defaults to the reference's tables; tasks pass their
 * configuration (`ctx.app.config`) so that operators' overrides apply.
 */
export function shouldPublish(
  event: CandidateEvent,
  options: { significant?: boolean; config?: SupereventSettings } = {},
): boolean {
  const test = publishabilityTest(event, options.significant ?? true, options.config);
  return test.eligible && test.farPasses;
}
