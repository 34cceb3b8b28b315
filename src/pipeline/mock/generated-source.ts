/**
 * Mock events the project simulates itself (no "First Two Years" file needed): a compact
 * binary drawn from a BNS/NSBH/BBH mix, isotropic on the sky and in orientation, at a distance
 * that gives a network SNR drawn as a uniform-in-volume population sees it (p(ρ) ∝ ρ⁻⁴ above
 * threshold), observed by an O4-like network through BAYESTAR's simulation: triggers, PSDs and
 * SNR time series in a coinc.xml as a search pipeline uploads it.
 */
import { readCoinc } from '../../formats/ligolw/index.js';
import { coincXml } from '../../skymap/bayestar/coinc-xml.js';
import { type Injection, simulateCoinc } from '../../skymap/bayestar/simulate.js';
import { coincInputFrom } from './coinc-input.js';
import type { MockCoincidence, TakenTimes } from './mock-coincidence.js';
import type { RandomSource } from './random.js';

/** Detector networks and how often each observes (O4: mostly HL, often HLV). */
const NETWORKS: readonly { detectors: readonly string[]; weight: number }[] = [
  { detectors: ['H1', 'L1', 'V1'], weight: 0.45 },
  { detectors: ['H1', 'L1'], weight: 0.4 },
  { detectors: ['L1', 'V1'], weight: 0.1 },
  { detectors: ['H1', 'V1'], weight: 0.05 },
];

type Population = 'BNS' | 'NSBH' | 'BBH';
const POPULATIONS: readonly { name: Population; weight: number }[] = [
  { name: 'BNS', weight: 0.6 },
  { name: 'NSBH', weight: 0.2 },
  { name: 'BBH', weight: 0.2 },
];

/** Network SNRs drawn between these (a detection threshold and the loudest events seen). */
const SNR_MIN = 10;
const SNR_MAX = 40;
/** A detector whose trigger would be weaker than this is not in the coincidence. */
const SINGLE_DETECTOR_SNR_MIN = 4.5;
/**
 * The false-alarm rate model: about one per three hours at network SNR 8, falling as the
 * Gaussian-noise tail exp(−ρ²/2), floored where real pipelines stop quoting smaller numbers.
 */
const FAR_AT_SNR_8 = 1e-4;
const FAR_FLOOR = 1e-20;
/** Seconds between the signal and its upload (a pipeline's latency). */
const PIPELINE_LATENCY_S = 1;
const SAMPLE_RATE = 2048;
const MAX_DRAWS = 100;

export function farForSnr(networkSnr: number): number {
  return Math.max(FAR_AT_SNR_8 * Math.exp(-(networkSnr * networkSnr - 64) / 2), FAR_FLOOR);
}

function choose<T extends { weight: number }>(items: readonly T[], random: RandomSource): T {
  let u = random.uniform() * items.reduce((sum, item) => sum + item.weight, 0);
  for (const item of items) {
    u -= item.weight;
    if (u < 0) return item;
  }
  return items[items.length - 1]!;
}

function uniform(random: RandomSource, low: number, high: number): number {
  return low + (high - low) * random.uniform();
}

function masses(population: Population, random: RandomSource): [number, number] {
  switch (population) {
    case 'BNS': {
      const a = uniform(random, 1.1, 2.0);
      const b = uniform(random, 1.1, 2.0);
      return [Math.max(a, b), Math.min(a, b)];
    }
    case 'NSBH':
      return [uniform(random, 5, 20), uniform(random, 1.1, 2.0)];
    case 'BBH': {
      const a = uniform(random, 5, 50);
      const b = uniform(random, 5, 50);
      return [Math.max(a, b), Math.min(a, b)];
    }
  }
}

/** Inverse CDF of p(ρ) ∝ ρ⁻⁴ on [SNR_MIN, SNR_MAX]. */
function networkSnr(random: RandomSource): number {
  const r = (SNR_MIN / SNR_MAX) ** 3;
  return SNR_MIN * (1 - random.uniform() * (1 - r)) ** (-1 / 3);
}

function gpsToNs(gps: number): bigint {
  const whole = Math.floor(gps);
  return BigInt(whole) * 1_000_000_000n + BigInt(Math.round((gps - whole) * 1e9));
}

/** The signal time: just before now, stepped back past any earlier mock event still there. */
async function freeTime(nowGps: number, taken: TakenTimes): Promise<number> {
  const margin = 5;
  let gps = nowGps - PIPELINE_LATENCY_S;
  const busy = await taken(gps - 3600, gps + margin);
  for (;;) {
    const hit = busy.find((t) => gps >= t.start - margin && gps <= t.end + margin);
    if (!hit) return gps;
    gps = hit.start - margin - 1;
  }
}

export async function generatedCoincidence(
  nowGps: number,
  random: RandomSource,
  taken: TakenTimes,
): Promise<MockCoincidence> {
  const gps = await freeTime(nowGps, taken);
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const network = choose(NETWORKS, random);
    const population = choose(POPULATIONS, random).name;
    const [mass1, mass2] = masses(population, random);
    const reference: Injection = {
      mass1,
      mass2,
      ra: uniform(random, 0, 2 * Math.PI),
      dec: Math.asin(uniform(random, -1, 1)),
      distance: 100,
      inclination: Math.acos(uniform(random, -1, 1)),
      polarization: uniform(random, 0, Math.PI),
      phase: uniform(random, 0, 2 * Math.PI),
      timeNs: gpsToNs(gps),
    };
    const options = { detectors: network.detectors, sampleRate: SAMPLE_RATE };
    // Noise-free at 100 Mpc first: the SNR scales as 1/distance, which sets the distance.
    const probe = simulateCoinc(reference, { ...options, noise: false });
    const target = networkSnr(random);
    const scale = target / probe.optimalNetworkSnr;
    const detectors = network.detectors.filter((_, i) => {
      const expected = probe.expectedSnr[i]!;
      return Math.hypot(expected.re, expected.im) * scale >= SINGLE_DETECTOR_SNR_MIN;
    });
    if (detectors.length < 2) continue;
    const injection = { ...reference, distance: reference.distance / scale };
    const simulated = simulateCoinc(injection, {
      ...options,
      detectors,
      seed: Math.floor(random.uniform() * 2 ** 31),
    });
    const bytes = coincXml(simulated.coinc, { far: farForSnr(simulated.networkSnr) });
    return {
      gps,
      input: coincInputFrom(readCoinc(bytes)),
      origin: {
        source: 'generated',
        population,
        detectors,
        mass1,
        mass2,
        distance: injection.distance,
        networkSnr: simulated.networkSnr,
      },
    };
  }
  throw new Error(`mock event: no detectable binary in ${MAX_DRAWS} draws`);
}
