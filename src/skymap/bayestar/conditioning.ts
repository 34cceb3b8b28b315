import { gpsToGmst } from '../time.js';
import type { CoincEvent, DetectorTrigger } from './coinc-event.js';
import { conjugatesPhases } from './coinc-event.js';
import type { ConditionedEvent } from './conditioned-event.js';
import { getDetector } from './detectors.js';
import { PsdInterpolant } from './psd.js';
import { SignalModel, TAYLORF2_MAX_TOTAL_MASS } from './signal-model.js';

/**
 * Conditioning (spec §1.2): from the triggers, PSDs and SNR series of a coincidence to the
 * arrays the likelihood works on: detector geometry, horizons, the arrival-time window, and
 * trimmed SNR series as amplitude and unwrapped phase on a common time grid.
 */

export interface ConditionOptions {
  /** Low-frequency cutoff of the template, Hz (default 15). */
  readonly fLow?: number;
  /** PSD samples above this fraction of the highest frequency are ignored (default 0.95). */
  readonly highTruncate?: number;
  /** SNR prescale; the log likelihood is tempered by its square (default 0.83). */
  readonly rescale?: number;
  /** Use the pipeline's SNR series when every trigger has one (default true). */
  readonly enableSnrSeries?: boolean;
  /** Detectors to leave out even though they have triggers. */
  readonly disabledDetectors?: readonly string[];
  /** Distance prior bounds, Mpc (defaults: 0 and the SNR-4 horizon of the best detector). */
  readonly minDistance?: number;
  readonly maxDistance?: number;
  /** Power k of the distance prior p(r) ∝ r^k (default 2: uniform in volume). */
  readonly distancePower?: number;
}

export interface ConditioningReport {
  readonly event: ConditionedEvent;
  /** Where the SNR series came from. */
  readonly snrSeriesSource: 'document' | 'synthesized';
  /** Where each horizon came from: the TaylorF2 model, or the pipeline's sigmasq. */
  readonly horizonSource: 'taylorf2' | 'sigmasq';
  /** Detectors whose triggers were dropped by disabledDetectors. */
  readonly disabled: readonly string[];
}

/** Detector-frame cushion added to the light travel time when sizing the window, s. */
const WINDOW_CUSHION = 0.005;

export function condition(coinc: CoincEvent, options: ConditionOptions = {}): ConditioningReport {
  const fLow = options.fLow ?? 15;
  const highTruncate = options.highTruncate ?? 0.95;
  const rescale = options.rescale ?? 0.83;
  const distancePower = options.distancePower ?? 2;
  const what = coinc.id ? `event ${coinc.id}` : 'event';
  if (!(fLow > 0)) throw new Error(`${what}: f_low must be positive, got ${fLow}`);
  if (!(rescale > 0)) throw new Error(`${what}: rescale must be positive, got ${rescale}`);
  if (!(Number.isInteger(distancePower) && distancePower >= 0)) {
    throw new Error(`${what}: prior distance power must be an integer ≥ 0, got ${distancePower}`);
  }
  const conjugate = conjugatesPhases(coinc.program);
  const disabledSet = new Set(options.disabledDetectors ?? []);
  const seen = new Set<string>();
  for (const t of coinc.triggers) {
    if (seen.has(t.detector)) throw new Error(`${what}: two triggers for detector ${t.detector}`);
    seen.add(t.detector);
  }
  const triggers = coinc.triggers.filter((t) => !disabledSet.has(t.detector));
  const disabled = coinc.triggers.filter((t) => disabledSet.has(t.detector)).map((t) => t.detector);
  if (triggers.length === 0) {
    throw new Error(
      coinc.triggers.length === 0
        ? `${what}: no triggers`
        : `${what}: every detector with a trigger is disabled (${disabled.join(', ')})`,
    );
  }
  for (const t of triggers) {
    if (!(t.snr > 0) || !Number.isFinite(t.snr)) {
      throw new Error(`${what}: ${t.detector} trigger SNR must be positive, got ${t.snr}`);
    }
    if (!Number.isFinite(t.phase)) throw new Error(`${what}: ${t.detector} phase is not finite`);
  }

  const nd = triggers.length;
  const detectors = triggers.map((t) => getDetector(t.detector));
  const totalMass = coinc.template.mass1 + coinc.template.mass2;
  const models = triggers.map((t) =>
    SignalModel.taylorF2(
      coinc.template,
      new PsdInterpolant(t.psd, highTruncate, `${what}: ${t.detector} PSD`),
      fLow,
    ),
  );
  // TaylorF2 misses the merger and ringdown of heavier systems; the pipeline's own σ² is then
  // the better horizon when every trigger reports one.
  const useSigmasq =
    totalMass >= TAYLORF2_MAX_TOTAL_MASS &&
    triggers.every((t) => t.sigmasq !== undefined && t.sigmasq > 0);
  const horizons = Float64Array.from(triggers, (t, i) =>
    useSigmasq ? Math.sqrt(t.sigmasq as number) : models[i].horizon,
  );

  // Timing weights and the array centred on their weighted mean.
  const weights = Float64Array.from(triggers, (t, i) => 1 / models[i].timingSigma(t.snr) ** 2);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const centre = [0, 0, 0];
  for (let i = 0; i < nd; i++) {
    for (let c = 0; c < 3; c++) centre[c] += (weights[i] * detectors[i].location[c]) / weightSum;
  }
  const locations = new Float64Array(3 * nd);
  let window = 0;
  for (let i = 0; i < nd; i++) {
    let norm2 = 0;
    for (let c = 0; c < 3; c++) {
      const v = detectors[i].location[c] - centre[c];
      locations[3 * i + c] = v;
      norm2 += v * v;
    }
    window = Math.max(
      window,
      Math.sqrt(norm2) + WINDOW_CUSHION,
      0.5 * Math.PI * models[i].timingSigma(1),
    );
  }

  // Series from the document only when every trigger has one: mixing measured and synthesized
  // series would put noise in some detectors and none in others.
  const useDocument = (options.enableSnrSeries ?? true) && triggers.every((t) => t.snrSeries);
  const series = useDocument
    ? documentSeries(what, triggers, window, conjugate)
    : synthesizedSeries(triggers, models, window, conjugate);
  const { sampleRate, nSamples } = series;

  // Times of arrival (series middles) relative to the first trigger, then re-referenced to
  // their timing-weighted mean, which becomes the epoch.
  const referenceNs = triggers[0].timeNs;
  const half = 0.5 * (nSamples - 1);
  const toas = Float64Array.from(
    series.epochsNs,
    (epochNs) => Number(epochNs - referenceNs) * 1e-9 + half / sampleRate,
  );
  let meanToa = 0;
  for (let i = 0; i < nd; i++) meanToa += (weights[i] * toas[i]) / weightSum;
  const epochs = Float64Array.from(toas, (toa) => toa - meanToa - half / sampleRate);
  const referenceSeconds = Number(referenceNs / 1_000_000_000n);
  const referenceFraction = Number(referenceNs % 1_000_000_000n) * 1e-9;
  const fraction = referenceFraction + meanToa;
  const carry = Math.floor(fraction);
  const epochSeconds = referenceSeconds + carry;
  const epochFraction = fraction - carry;

  const responses = new Float64Array(9 * nd);
  for (let i = 0; i < nd; i++) responses.set(detectors[i].response, 9 * i);
  const rMin = options.minDistance ?? 0;
  const rMax = options.maxDistance ?? Math.max(...horizons) / 4;
  if (!(rMin >= 0) || !(rMax > rMin) || !Number.isFinite(rMax)) {
    throw new Error(`${what}: distance prior needs 0 ≤ min < max < ∞, got [${rMin}, ${rMax}] Mpc`);
  }

  const event: ConditionedEvent = {
    detectors: triggers.map((t) => t.detector),
    gmst: gpsToGmst(epochSeconds + epochFraction),
    epochSeconds,
    epochFraction,
    sampleRate,
    nSamples,
    epochs,
    locations,
    responses,
    horizons,
    snrAmplitude: series.amplitude,
    snrPhase: series.phase,
    triggerSnrs: Float64Array.from(triggers, (t) => t.snr),
    rMin,
    rMax,
    distancePower,
    rescale,
  };
  return {
    event,
    snrSeriesSource: useDocument ? 'document' : 'synthesized',
    horizonSource: useSigmasq ? 'sigmasq' : 'taylorf2',
    disabled,
  };
}

interface PreparedSeries {
  sampleRate: number;
  nSamples: number;
  /** GPS time of each trimmed series' first sample, ns (rounded). */
  epochsNs: bigint[];
  amplitude: Float64Array;
  phase: Float64Array;
}

/** Samples in the window ±T at rate f_s: N = 2⌈T f_s⌉ − 1 (odd). */
function windowLength(window: number, sampleRate: number): number {
  return 2 * Math.ceil(window * sampleRate) - 1;
}

/** The pipeline's SNR series, checked, phase-corrected and trimmed to the window. */
function documentSeries(
  what: string,
  triggers: readonly DetectorTrigger[],
  window: number,
  conjugate: boolean,
): PreparedSeries {
  const deltaT = (triggers[0].snrSeries as NonNullable<DetectorTrigger['snrSeries']>).deltaT;
  if (!(deltaT > 0))
    throw new Error(`${what}: ${triggers[0].detector} SNR series deltaT must be positive`);
  const sampleRate = 1 / deltaT;
  const nSamples = windowLength(window, sampleRate);
  const amplitude = new Float64Array(triggers.length * nSamples);
  const phase = new Float64Array(triggers.length * nSamples);
  const epochsNs: bigint[] = [];
  triggers.forEach((t, i) => {
    const s = t.snrSeries as NonNullable<DetectorTrigger['snrSeries']>;
    const name = `${what}: ${t.detector} SNR series`;
    if (Math.abs(s.deltaT - deltaT) > 1e-12 * deltaT) {
      throw new Error(
        `${name} has deltaT ${s.deltaT} s, but ${triggers[0].detector} has ${deltaT} s`,
      );
    }
    const length = s.re.length;
    if (s.im.length !== length)
      throw new Error(`${name}: real and imaginary parts differ in length`);
    if (length % 2 !== 1) throw new Error(`${name} has an even number of samples (${length})`);
    if (length < nSamples) {
      throw new Error(
        `${name} has ${length} samples; the arrival-time window of this network needs ${nSamples}`,
      );
    }
    const middle = (length - 1) / 2;
    const middleNs = s.epochNs + BigInt(Math.round(middle * deltaT * 1e9));
    const offsetNs = Number(middleNs - t.timeNs);
    if (Math.abs(offsetNs) > deltaT * 1e9 + 1) {
      throw new Error(
        `${name}: its middle sample is ${offsetNs} ns from the trigger time (more than one sample)`,
      );
    }
    const start = middle - (nSamples - 1) / 2;
    epochsNs.push(s.epochNs + BigInt(Math.round(start * deltaT * 1e9)));
    const re = new Float64Array(nSamples);
    const im = new Float64Array(nSamples);
    for (let k = 0; k < nSamples; k++) {
      const a = s.re[start + k];
      const b = s.im[start + k];
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        throw new Error(`${name}: sample ${start + k} is not finite`);
      }
      re[k] = a;
      im[k] = conjugate ? -b : b;
    }
    encode(re, im, amplitude, phase, i * nSamples);
  });
  return { sampleRate, nSamples, epochsNs, amplitude, phase };
}

/**
 * Zero-noise SNR series for events sent without them: ρ e^{iφ} a(t − t_trigger), with a the
 * template's autocorrelation, at the lowest power-of-two rate that holds the template's band.
 */
function synthesizedSeries(
  triggers: readonly DetectorTrigger[],
  models: readonly SignalModel[],
  window: number,
  conjugate: boolean,
): PreparedSeries {
  const fHigh = Math.max(...models.map((m) => m.fHigh));
  const sampleRate = 2 ** Math.ceil(Math.log2(2 * fHigh));
  const nSamples = windowLength(window, sampleRate);
  const half = (nSamples - 1) / 2;
  const amplitude = new Float64Array(triggers.length * nSamples);
  const phase = new Float64Array(triggers.length * nSamples);
  const epochsNs: bigint[] = [];
  triggers.forEach((t, i) => {
    const acf = models[i].autocorrelation(sampleRate, half + 1);
    const phi = conjugate ? -t.phase : t.phase;
    const cr = t.snr * Math.cos(phi);
    const ci = t.snr * Math.sin(phi);
    const re = new Float64Array(nSamples);
    const im = new Float64Array(nSamples);
    for (let k = 0; k < nSamples; k++) {
      const lag = k - half;
      const ar = acf.re[Math.abs(lag)];
      const ai = lag < 0 ? -acf.im[-lag] : acf.im[lag];
      re[k] = cr * ar - ci * ai;
      im[k] = cr * ai + ci * ar;
    }
    epochsNs.push(t.timeNs - BigInt(Math.round((half / sampleRate) * 1e9)));
    encode(re, im, amplitude, phase, i * nSamples);
  });
  return { sampleRate, nSamples, epochsNs, amplitude, phase };
}

/** Amplitude and continuously unwrapped phase of a complex series, written at `at`. */
function encode(
  re: Float64Array,
  im: Float64Array,
  amplitude: Float64Array,
  phase: Float64Array,
  at: number,
): void {
  let previous = 0;
  for (let k = 0; k < re.length; k++) {
    amplitude[at + k] = Math.hypot(re[k], im[k]);
    let angle = Math.atan2(im[k], re[k]);
    if (k > 0) angle += 2 * Math.PI * Math.round((previous - angle) / (2 * Math.PI));
    phase[at + k] = angle;
    previous = angle;
  }
}
