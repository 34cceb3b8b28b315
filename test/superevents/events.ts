/**
 * Self-made GraceDB event JSON (gracedb-api.md §3.1) for the rule tests: only the fields the
 * superevent rules read, with the values a test asks for.
 */
import type { CandidateEvent } from '../../src/pipeline/superevents/rules.js';

export const READY = ['PASTRO_READY', 'EMBRIGHT_READY', 'SKYMAP_READY'];

interface Common {
  graceid?: string;
  gpstime?: number;
  far?: number | null;
  search?: string | null;
  labels?: string[];
  offline?: boolean;
  superevent?: string | null;
}

export function cbcEvent(
  options: Common & { pipeline?: string; snr?: number; ifos?: string[]; group?: string } = {},
): CandidateEvent {
  const ifos = options.ifos ?? ['H1', 'L1'];
  return {
    graceid: options.graceid ?? 'G1',
    group: options.group ?? 'CBC',
    pipeline: options.pipeline ?? 'gstlal',
    search: options.search === undefined ? 'AllSky' : options.search,
    gpstime: options.gpstime ?? 1400000000,
    far: options.far === undefined ? 1e-10 : options.far,
    offline: options.offline ?? false,
    instruments: ifos.join(','),
    labels: options.labels ?? [],
    superevent: options.superevent ?? null,
    extra_attributes: {
      CoincInspiral: { ifos: ifos.join(','), snr: options.snr ?? 12 },
      SingleInspiral: ifos.map((ifo) => ({ ifo, chisq: 1, snr: (options.snr ?? 12) / 2 })),
    },
  };
}

export function cwbEvent(
  options: Common & { duration?: number; snr?: number } = {},
): CandidateEvent {
  return {
    graceid: options.graceid ?? 'G2',
    group: 'Burst',
    pipeline: 'CWB',
    search: options.search === undefined ? 'AllSky' : options.search,
    gpstime: options.gpstime ?? 1400000000,
    far: options.far === undefined ? 1e-10 : options.far,
    offline: options.offline ?? false,
    instruments: 'H1,L1',
    labels: options.labels ?? [],
    superevent: options.superevent ?? null,
    extra_attributes: {
      MultiBurst: { ifos: 'H1,L1', duration: options.duration ?? 0.02, snr: options.snr ?? 15 },
    },
  };
}

export function olibEvent(
  options: Common & { quality?: number; frequency?: number } = {},
): CandidateEvent {
  return {
    graceid: options.graceid ?? 'G3',
    group: 'Burst',
    pipeline: 'oLIB',
    search: options.search === undefined ? 'AllSky' : options.search,
    gpstime: options.gpstime ?? 1400000000,
    far: options.far === undefined ? 1e-10 : options.far,
    offline: options.offline ?? false,
    instruments: 'H1,L1',
    labels: options.labels ?? [],
    superevent: options.superevent ?? null,
    extra_attributes: {
      LalInferenceBurst: {
        quality_mean: options.quality ?? 100,
        frequency_mean: options.frequency ?? 100,
        omicron_snr_network: 8,
      },
    },
  };
}

export function mlyEvent(options: Common & { duration?: number } = {}): CandidateEvent {
  return {
    graceid: options.graceid ?? 'G4',
    group: 'Burst',
    pipeline: 'MLy',
    search: options.search === undefined ? 'AllSky' : options.search,
    gpstime: options.gpstime ?? 1400000000,
    far: options.far === undefined ? 1e-10 : options.far,
    offline: options.offline ?? false,
    instruments: 'H1,L1',
    labels: options.labels ?? [],
    superevent: options.superevent ?? null,
    extra_attributes: { MLyBurst: { ifos: 'H1,L1', duration: options.duration ?? 0.1875, SNR: 6 } },
  };
}

/** The next double above / below x (exact boundary tests). */
export function nextUp(x: number): number {
  return stepDouble(x, 1);
}

export function nextDown(x: number): number {
  return stepDouble(x, -1);
}

function stepDouble(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 === direction > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** The largest FAR whose trials-factored value is still within the threshold. */
export function largestPassingFar(threshold: number, trials: number): number {
  let far = threshold / trials;
  while (far * trials > threshold) far = nextDown(far);
  while (nextUp(far) * trials <= threshold) far = nextUp(far);
  return far;
}
