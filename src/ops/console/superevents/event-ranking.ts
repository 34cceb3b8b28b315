import type { Config } from '../../../config/index.js';
import type { EventJson } from '../../../gracedb/client.js';
import type { CandidateEvent } from '../../../pipeline/superevents/candidate-event.js';
import { isComplete } from '../../../pipeline/superevents/completeness.js';
import {
  compareKeys,
  type PreferredEventKey,
  preferredEventKey,
} from '../../../pipeline/superevents/preferred-event.js';

/**
 * How the console orders a superevent's events (the "event id" typeahead, the superevent page):
 * the superevent manager's own completeness and preferred-event key (gwcelery-spec §3.2, §3.6),
 * so that the operator sees the events in the order the pipeline would prefer them.
 */
export interface EventRanking {
  isComplete(event: EventJson): boolean;
  /** Best first. */
  sort(events: EventJson[]): EventJson[];
  snr(event: EventJson): number | null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The SNR the reference's typeahead shows, per pipeline (its `get_snr`). */
function snrOf(event: EventJson): number | null {
  const a = (event.extra_attributes ?? {}) as Record<string, Record<string, unknown> | undefined>;
  switch (event.pipeline.toLowerCase()) {
    case 'cwb':
      return numberOrNull(a.MultiBurst?.snr);
    case 'olib':
      return numberOrNull(a.LalInferenceBurst?.omicron_snr_network);
    case 'mly':
      return numberOrNull(a.MLyBurst?.SNR);
    default:
      return numberOrNull(a.CoincInspiral?.snr);
  }
}

export function pipelineRanking(config: Config): EventRanking {
  const key = (event: EventJson): PreferredEventKey | undefined => {
    try {
      return preferredEventKey(event as unknown as CandidateEvent, config);
    } catch {
      return undefined; // malformed (no FAR, unknown group): shown last
    }
  };
  return {
    isComplete: (event) => {
      try {
        return isComplete(event as unknown as CandidateEvent);
      } catch {
        return false;
      }
    },
    sort(events) {
      const keyed = events.map((event) => ({ event, key: key(event) }));
      keyed.sort((a, b) => {
        if (!a.key || !b.key) return a.key ? -1 : b.key ? 1 : 0;
        return compareKeys(b.key, a.key);
      });
      return keyed.map((k) => k.event);
    },
    snr: snrOf,
  };
}
