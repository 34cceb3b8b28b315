import { z } from 'zod';
import { defineKeys } from '../define.js';

const DAY_S = 86400;
const ONE_PER_30_DAYS = 1 / (30 * DAY_S);
const ONE_PER_YEAR = 1 / (365 * DAY_S);
/** Less-significant alerts: 2 per day after a trials factor of 7 (gwcelery-spec §3.5). */
const TWO_PER_DAY_TIMES_7 = (2 / DAY_S) * 7;

const nonNegative = z.number().nonnegative();
/** Group, search and pipeline names are compared lower-cased; keys must be written so. */
const lowerName = z
  .string()
  .regex(/^[a-z0-9_-]+$/, 'group, search and pipeline names are written in lower case');
const perSearch = <S extends z.ZodType>(value: S) =>
  z.record(lowerName, z.record(lowerName, value));
/** A FAR threshold in Hz; null disables the alert kind (the reference's −∞). */
const farThreshold = z.number().positive().nullable();
const trialsFactor = z.number().positive();

/**
 * Keys of the superevent manager (gwcelery-spec §3, §9.1), with the reference's names and
 * values. The tables are keyed by lower-cased group then search. Group `test` carries trials
 * factors, which the reference lacks (§13): Test events mirror their CBC counterparts.
 */
export const supereventKeys = defineKeys({
  superevent_d_t_start: {
    schema: z.record(lowerName, nonNegative),
    default: { gstlal: 1.0, spiir: 1.0, pycbc: 1.0, mbta: 1.0 },
    description:
      'Seconds before gpstime that a CBC candidate’s window starts, per lower-cased pipeline',
  },
  superevent_d_t_end: {
    schema: z.record(lowerName, nonNegative),
    default: { gstlal: 1.0, spiir: 1.0, pycbc: 1.0, mbta: 1.0 },
    description:
      'Seconds after gpstime that a CBC candidate’s window ends, per lower-cased pipeline',
  },
  superevent_default_d_t_start: {
    schema: nonNegative,
    default: 1.0,
    description: 'Window start (s before gpstime) of a pipeline not in superevent_d_t_start',
  },
  superevent_default_d_t_end: {
    schema: nonNegative,
    default: 1.0,
    description: 'Window end (s after gpstime) of a pipeline not in superevent_d_t_end',
  },
  superevent_query_d_t_start: {
    schema: nonNegative,
    default: 100.0,
    description: 'Seconds before gpstime searched for superevents (by t_0) a candidate may join',
  },
  superevent_query_d_t_end: {
    schema: nonNegative,
    default: 100.0,
    description: 'Seconds after gpstime searched for superevents (by t_0) a candidate may join',
  },
  superevent_far_threshold: {
    schema: z.number().positive(),
    default: 1 / 3600,
    description: 'Candidates with a FAR (Hz) above this never form or join a superevent',
  },
  superevent_candidate_preference: {
    schema: perSearch(z.number().int()),
    default: {
      cbc: { allsky: 2, earlywarning: 1, ssm: 1, mdc: 1 },
      burst: { allsky: 0, bbh: 0, mdc: 0 },
    },
    description:
      'Search rank in the preferred-event key, per group and search (higher wins; unlisted: -1)',
  },
  significant_alert_far_threshold: {
    schema: perSearch(farThreshold),
    default: {
      cbc: {
        allsky: ONE_PER_30_DAYS,
        earlywarning: ONE_PER_30_DAYS,
        mdc: ONE_PER_30_DAYS,
        ssm: ONE_PER_YEAR,
      },
      burst: { allsky: ONE_PER_YEAR, bbh: ONE_PER_30_DAYS },
      test: {
        allsky: ONE_PER_30_DAYS,
        bbh: ONE_PER_30_DAYS,
        earlywarning: ONE_PER_30_DAYS,
        ssm: ONE_PER_YEAR,
      },
    },
    description:
      'Significant alerts: trials-factored FAR (Hz) at or below which a candidate is publishable; a search not listed never is',
  },
  significant_alert_trials_factor: {
    schema: perSearch(trialsFactor),
    default: {
      cbc: { allsky: 6, earlywarning: 4, mdc: 6, ssm: 2 },
      burst: { allsky: 3, bbh: 6 },
      test: { allsky: 6, bbh: 6, earlywarning: 4, ssm: 2 },
    },
    description:
      'Significant alerts: factor multiplying the FAR (CBC AllSky and Burst BBH share one trials group)',
  },
  preliminary_alert_far_threshold: {
    schema: perSearch(farThreshold),
    default: {
      cbc: { allsky: TWO_PER_DAY_TIMES_7, earlywarning: null, mdc: null, ssm: null },
      burst: { allsky: TWO_PER_DAY_TIMES_7, bbh: TWO_PER_DAY_TIMES_7 },
      test: {
        allsky: TWO_PER_DAY_TIMES_7,
        bbh: TWO_PER_DAY_TIMES_7,
        earlywarning: null,
        ssm: null,
      },
    },
    description:
      'Less-significant alerts: trials-factored FAR (Hz) at or below which a candidate is publishable; null: never',
  },
  preliminary_alert_trials_factor: {
    schema: perSearch(trialsFactor),
    default: {
      cbc: { allsky: 7, earlywarning: 4, mdc: 4, ssm: 2 },
      burst: { allsky: 7, bbh: 7 },
      test: { allsky: 7, bbh: 7, earlywarning: 4, ssm: 2 },
    },
    description:
      'Less-significant alerts: factor multiplying the FAR (CBC AllSky, Burst AllSky and Burst BBH share 7)',
  },
});
