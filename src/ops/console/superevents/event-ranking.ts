import type { EventJson } from '../../../gracedb/client.js';

/**
 * How the "event id" typeahead orders a superevent's events: complete ones only, best first,
 * with their SNR (gwcelery-spec §8.3, using the superevent manager's keyfunc §3.6). The superevent
 * manager owns the real ranking (it needs the publishability thresholds) and should be passed to
 * startConsole; `referenceRanking` is the part of §3.6 that needs no thresholds.
 */
export interface EventRanking {
  isComplete(event: EventJson): boolean;
  /** Best first. */
  sort(events: EventJson[]): EventJson[];
  snr(event: EventJson): number | null;
}

/** §3.2: READY labels an event needs before it can be preferred. */
const REQUIRED_LABELS: Record<string, string[]> = {
  'cbc/allsky': ['PASTRO_READY', 'EMBRIGHT_READY', 'SKYMAP_READY'],
  'cbc/earlywarning': ['PASTRO_READY', 'EMBRIGHT_READY', 'SKYMAP_READY'],
  'cbc/mdc': ['PASTRO_READY', 'EMBRIGHT_READY', 'SKYMAP_READY'],
  'cbc/bbh': ['PASTRO_READY', 'EMBRIGHT_READY', 'SKYMAP_READY'],
  'cbc/ssm': ['EMBRIGHT_READY', 'SKYMAP_READY'],
  'burst/allsky': ['SKYMAP_READY'],
};

/** §3.6 superevent_candidate_preference. */
const SEARCH_RANK: Record<string, number> = {
  'cbc/allsky': 2,
  'cbc/earlywarning': 1,
  'cbc/ssm': 1,
  'cbc/mdc': 1,
  'burst/allsky': 0,
  'burst/bbh': 0,
  'burst/mdc': 0,
};

function groupSearch(event: EventJson): string {
  const search = (event.search ?? '').toLowerCase();
  let group = event.group.toLowerCase();
  // cWB's BBH search is ranked and completed as CBC.
  if (group === 'burst' && search === 'bbh') group = 'cbc';
  return `${group}/${search}`;
}

function attributes(event: EventJson): Record<string, Record<string, unknown>> {
  return (event.extra_attributes ?? {}) as Record<string, Record<string, unknown>>;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export const referenceRanking: EventRanking = {
  isComplete(event) {
    const required = REQUIRED_LABELS[groupSearch(event)];
    if (!required) return false;
    const labels = new Set(event.labels ?? []);
    return required.every((l) => labels.has(l));
  },
  snr(event) {
    const a = attributes(event);
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
  },
  sort(events) {
    const key = (e: EventJson): number[] => {
      const cbc = e.group.toLowerCase() === 'cbc';
      const instruments = String(e.instruments ?? '')
        .split(',')
        .filter(Boolean).length;
      return [
        this.isComplete(e) ? 1 : 0,
        SEARCH_RANK[groupSearch(e)] ?? -1,
        cbc ? instruments : -1,
        cbc ? (this.snr(e) ?? Number.NEGATIVE_INFINITY) : -(e.far ?? Number.POSITIVE_INFINITY),
      ];
    };
    return [...events].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
      return 0;
    });
  },
};
