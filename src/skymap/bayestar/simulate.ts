import { gpsToGmst } from '../time.js';
import { antennaFactor } from './antenna.js';
import type { CoincEvent, DetectorTrigger } from './coinc-event.js';
import { sampledDesignPsd } from './design-psd.js';
import { getDetector } from './detectors.js';
import { fft } from './fft.js';
import { PsdInterpolant } from './psd.js';
import { Random } from './random.js';
import { SignalModel } from './signal-model.js';

/**
 * Simulated detections for tests, benchmarks, P–P checks and mock events: a compact binary
 * with known masses, sky position, distance and orientation, observed by a network of
 * detectors at their analytic design sensitivity, turned into what a search pipeline uploads:
 * one trigger per detector with its PSD and complex SNR time series.
 *
 * The SNR series are the matched-filter output of the exact template: the expected SNR
 * ρᵢ = (r₁,ᵢ/D) zᵢ e^{iφ} times the template autocorrelation at the arrival time, plus (unless
 * zero-noise) coloured Gaussian noise with E[n(t) n*(t')] = 2 a(t − t'), i.e. unit variance
 * per quadrature. The trigger is the series' peak near the arrival time, as a pipeline reports
 * it. The coinc is written in the convention of BAYESTAR's own simulation tool
 * (program 'bayestar-realize-coincs': phases negated and series conjugated), so that it reads
 * back like any other upload.
 */

export interface Injection {
  readonly mass1: number;
  readonly mass2: number;
  /** Right ascension and declination, rad. */
  readonly ra: number;
  readonly dec: number;
  /** Luminosity distance, Mpc. */
  readonly distance: number;
  /** Inclination ι (rad) and polarization angle ψ (rad). */
  readonly inclination: number;
  readonly polarization: number;
  /** Coalescence phase φ, rad. */
  readonly phase: number;
  /** Geocentric arrival time, GPS ns. */
  readonly timeNs: bigint;
}

export interface SimulationOptions {
  readonly detectors: readonly string[];
  /** Sample rate of the SNR series, Hz (default 2048). */
  readonly sampleRate?: number;
  /** Template low-frequency cutoff, Hz (default 15). */
  readonly fLow?: number;
  /** Add Gaussian noise (default true). */
  readonly noise?: boolean;
  /** Seed of the noise; the same seed gives the same event, bit for bit. */
  readonly seed?: number;
  /** Samples on each side of the peak in the uploaded SNR series (default: 0.1 s worth). */
  readonly halfLength?: number;
  /** Event identifier carried into the CoincEvent. */
  readonly id?: string;
  /** Frequency spacing of the PSDs written with the triggers, Hz (default 0.25). */
  readonly psdDeltaF?: number;
}

export interface SimulatedEvent {
  readonly coinc: CoincEvent;
  /** Expected (noise-free) complex SNR per detector, model convention. */
  readonly expectedSnr: readonly { re: number; im: number }[];
  /** √Σ |expected SNR|². */
  readonly optimalNetworkSnr: number;
  /** √Σ (trigger SNR)² as reported. */
  readonly networkSnr: number;
}

export const SIMULATION_PROGRAM = 'bayestar-realize-coincs';

/** Where to search for the peak around the true arrival time, s. */
const PEAK_SEARCH = 0.002;

export function simulateCoinc(injection: Injection, options: SimulationOptions): SimulatedEvent {
  const sampleRate = options.sampleRate ?? 2048;
  const fLow = options.fLow ?? 15;
  const noise = options.noise ?? true;
  const random = new Random(options.seed ?? 0);
  const halfLength = options.halfLength ?? Math.ceil(0.1 * sampleRate);
  if (!(injection.distance > 0))
    throw new Error(`injection distance must be positive, got ${injection.distance}`);
  if (options.detectors.length === 0) throw new Error('simulation needs at least one detector');
  if (!Number.isInteger(Math.log2(sampleRate))) {
    throw new Error(`sample rate must be a power of two, got ${sampleRate}`);
  }
  const template = { mass1: injection.mass1, mass2: injection.mass2, fFinal: sampleRate / 2 };
  const gpsSeconds = Number(injection.timeNs / 1_000_000_000n);
  const gpsFraction = Number(injection.timeNs % 1_000_000_000n) * 1e-9;
  const gmst = gpsToGmst(gpsSeconds + gpsFraction);
  const gha = gmst - injection.ra;
  const direction = [
    Math.cos(injection.dec) * Math.cos(-gha),
    Math.cos(injection.dec) * Math.sin(-gha),
    Math.sin(injection.dec),
  ];
  const u = Math.cos(injection.inclination);
  const c2 = Math.cos(2 * injection.polarization);
  const s2 = Math.sin(2 * injection.polarization);
  const antenna = new Float64Array(2);

  const triggers: DetectorTrigger[] = [];
  const expectedSnr: { re: number; im: number }[] = [];
  let optimal2 = 0;
  let network2 = 0;
  for (const name of options.detectors) {
    const detector = getDetector(name);
    const psd = sampledDesignPsd(name, options.psdDeltaF ?? 0.25, sampleRate / 2);
    const model = SignalModel.taylorF2(template, new PsdInterpolant(psd), fLow);
    antennaFactor(detector.response, 0, gha, injection.dec, antenna);
    // z = ½(1+u²) Re(F e^{−2iψ}) − i u Im(F e^{−2iψ}), scaled to distance, rotated by φ.
    const gr = antenna[0] * c2 + antenna[1] * s2;
    const gi = antenna[1] * c2 - antenna[0] * s2;
    const scale = model.horizon / injection.distance;
    const zr = 0.5 * (1 + u * u) * gr * scale;
    const zi = -u * gi * scale;
    const cp = Math.cos(injection.phase);
    const sp = Math.sin(injection.phase);
    const expected = { re: zr * cp - zi * sp, im: zr * sp + zi * cp };
    expectedSnr.push(expected);
    optimal2 += expected.re ** 2 + expected.im ** 2;

    // Arrival time at the detector, split into whole seconds and a fraction for precision.
    const delay = -(
      detector.location[0] * direction[0] +
      detector.location[1] * direction[1] +
      detector.location[2] * direction[2]
    );
    const series = matchedFilterOutput(
      model,
      sampleRate,
      gpsFraction + delay,
      expected,
      noise,
      random,
    );
    // The block starts at the whole GPS second of the event; find the peak near the arrival.
    const arrivalIndex = (gpsFraction + delay) * sampleRate + series.startOffset;
    const radius = Math.ceil(PEAK_SEARCH * sampleRate);
    let peak = Math.round(arrivalIndex);
    let peakPower = -1;
    for (let k = Math.round(arrivalIndex) - radius; k <= Math.round(arrivalIndex) + radius; k++) {
      const power = series.re[k] ** 2 + series.im[k] ** 2;
      if (power > peakPower) {
        peakPower = power;
        peak = k;
      }
    }
    const re = new Float64Array(2 * halfLength + 1);
    const im = new Float64Array(2 * halfLength + 1);
    for (let k = -halfLength; k <= halfLength; k++) {
      re[k + halfLength] = series.re[peak + k];
      // Written in the anti-FINDCHIRP convention of SIMULATION_PROGRAM.
      im[k + halfLength] = -series.im[peak + k];
    }
    const sampleNs = (k: number) =>
      BigInt(gpsSeconds) * 1_000_000_000n +
      BigInt(Math.round(((k - series.startOffset) / sampleRate) * 1e9));
    const snr = Math.sqrt(peakPower);
    network2 += peakPower;
    triggers.push({
      detector: name,
      timeNs: sampleNs(peak),
      snr,
      phase: -Math.atan2(series.im[peak], series.re[peak]),
      psd,
      snrSeries: { epochNs: sampleNs(peak - halfLength), deltaT: 1 / sampleRate, re, im },
      sigmasq: model.horizon * model.horizon,
    });
  }
  return {
    coinc: { id: options.id, program: SIMULATION_PROGRAM, template, triggers },
    expectedSnr,
    optimalNetworkSnr: Math.sqrt(optimal2),
    networkSnr: Math.sqrt(network2),
  };
}

/**
 * The complex matched-filter output of one detector on a block of samples covering ±4 s around
 * whole second 0 (sample index `startOffset` is t = 0): expected · a(t − arrival) + noise.
 */
function matchedFilterOutput(
  model: SignalModel,
  sampleRate: number,
  arrival: number,
  expected: { re: number; im: number },
  noise: boolean,
  random: Random,
): { re: Float64Array; im: Float64Array; startOffset: number } {
  const { re, im, deltaF } = model.spectrumAt(sampleRate);
  const length = re.length;
  // Block time of sample k is (k − startOffset)/f_s; put second 0 a quarter into the block.
  const startOffset = length >> 2;
  const t0 = -startOffset / sampleRate;
  let total = 0;
  for (let j = 0; j < length; j++) total += re[j];
  for (let j = 0; j < length; j++) {
    const w = re[j] / total;
    if (w === 0) {
      re[j] = 0;
      im[j] = 0;
      continue;
    }
    // Signal: expected · W/ΣW · e^{−2πif(arrival − t0)}; noise: √(2W/ΣW) · CN(0, 1).
    const angle = -2 * Math.PI * j * deltaF * (arrival - t0);
    const cr = Math.cos(angle);
    const ci = Math.sin(angle);
    let xr = w * (expected.re * cr - expected.im * ci);
    let xi = w * (expected.re * ci + expected.im * cr);
    if (noise) {
      const sigma = Math.sqrt(w); // √(2w) × the 1/√2 of each quadrature
      xr += sigma * random.normal();
      xi += sigma * random.normal();
    }
    re[j] = xr;
    im[j] = xi;
  }
  fft(re, im, 1);
  return { re, im, startOffset };
}
