/**
 * The time window a candidate occupies (gwcelery-spec §3.3, the reference's `get_ts`): Burst
 * pipelines report their own duration, CBC pipelines get configured half-widths.
 */
import {
  attributeNumber,
  type CandidateEvent,
  CandidateEventError,
  gpstimeOf,
  graceidOf,
  pipelineOf,
} from './candidate-event.js';
import { DEFAULT_SUPEREVENT_SETTINGS, type SupereventSettings } from './settings.js';

/** GPS seconds: the candidate's time and the window around it. */
export interface EventWindow {
  t0: number;
  tStart: number;
  tEnd: number;
}

/** Half-widths before and after gpstime, by pipeline. */
export function windowHalfWidths(
  event: CandidateEvent,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): { before: number; after: number } {
  const pipeline = pipelineOf(event);
  switch (pipeline) {
    case 'cwb': {
      const d = attributeNumber(event, 'MultiBurst', 'duration', 0);
      return { before: d, after: d };
    }
    case 'olib': {
      // oLIB reports a sine-Gaussian: quality factor over frequency is its duration scale.
      const quality = attributeNumber(event, 'LalInferenceBurst', 'quality_mean', 0);
      const frequency = attributeNumber(event, 'LalInferenceBurst', 'frequency_mean', 0);
      if (frequency === 0) {
        throw new CandidateEventError(
          graceidOf(event),
          'extra_attributes.LalInferenceBurst.frequency_mean',
          'must be positive, got 0',
        );
      }
      return { before: quality / frequency, after: quality / frequency };
    }
    case 'mly': {
      const d = attributeNumber(event, 'MLyBurst', 'duration', 0);
      return { before: d, after: d };
    }
    default: {
      const starts = settings.superevent_d_t_start;
      const ends = settings.superevent_d_t_end;
      return {
        before: Object.hasOwn(starts, pipeline)
          ? starts[pipeline]!
          : settings.superevent_default_d_t_start,
        after: Object.hasOwn(ends, pipeline)
          ? ends[pipeline]!
          : settings.superevent_default_d_t_end,
      };
    }
  }
}

export function eventWindow(
  event: CandidateEvent,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): EventWindow {
  const t0 = gpstimeOf(event);
  const { before, after } = windowHalfWidths(event, settings);
  return { t0, tStart: t0 - before, tEnd: t0 + after };
}
