import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { defineKeys } from '../define.js';

const nonNegative = z.number().nonnegative();

/**
 * Where a checkout finds the "First Two Years" coincidences: the project's shared data beside
 * it. A fresh clone has no ../shared; the key is then empty and the mock events use the
 * generated source (mock_events_source 'auto').
 */
const SHARED_FIRST2YEARS = fileURLToPath(
  new URL('../../../../shared/data/gwcelery/first2years/gstlal.xml.gz', import.meta.url),
);

/**
 * Keys of the mock events (gwcelery-spec §1.1, §2.5, §9.1, §12 items 97-98): the hourly MDC
 * CBC events from the "First Two Years" coincidences, their automatic vetting, and the
 * two-hourly SNEWS MDC events. Operators rely on them as a canary (the Nagios check looks for
 * MDC superevents), so they run in every preset, production included.
 */
export const mockKeys = defineKeys({
  mock_events_interval_s: {
    schema: nonNegative,
    default: 3600,
    description:
      'Seconds between mock MDC CBC events (first2years.upload_event) sent by beat; 0 turns them off',
    // The test preset is the test suite's: a `gwcelery start` under test must not upload
    // events of its own. Tests that want the periodic ones set the interval.
    presets: { development: 300, test: 0 },
  },
  mock_snews_interval_s: {
    schema: nonNegative,
    default: 7200,
    description:
      'Seconds between mock SNEWS MDC events (first2years_external.upload_snews_event) sent by beat; 0 turns them off',
    presets: { test: 0 },
  },
  mock_events_simulate_multiple_uploads: {
    schema: z.number().int().positive(),
    default: 1,
    description:
      'Uploads per mock event: the coincidence, then copies with jittered SNR, as several pipeline instances would upload',
    presets: { development: 16, test: 16, playground: 16 },
  },
  mock_events_upload_spread_s: {
    schema: nonNegative,
    default: 4,
    description: 'Seconds over which the jittered copies of a mock event are spread',
  },
  mock_events_vetting_delay_s: {
    schema: nonNegative,
    default: 600,
    description:
      'Seconds after an MDC superevent appears before the mock advocate signs it off (ADVOK or ADVNO at random)',
    presets: { development: 120 },
  },
  mock_events_vetting_ok_probability: {
    schema: z.number().min(0).max(1),
    default: 0.5,
    description:
      'Probability that the mock advocate signs off OK (initial notice) rather than NO (retraction)',
  },
  joint_mdc_freq: {
    schema: z.number().int().positive(),
    default: 2,
    description:
      'One MDC superevent in this many gets one to three mock GRB notices in coincidence (by its id letters)',
  },
  mock_events_source: {
    schema: z.enum(['auto', 'first2years', 'generated']),
    default: 'auto',
    description:
      "Where mock events come from: 'first2years' (the file first2years_path), 'generated' (the project's own coincidences), 'auto' (the file when it exists, else generated)",
  },
  first2years_path: {
    schema: z.string(),
    default: existsSync(SHARED_FIRST2YEARS) ? SHARED_FIRST2YEARS : '',
    description:
      'LIGO_LW file of "First Two Years" coincidences (gstlal.xml.gz) the mock events are drawn from',
  },
});
