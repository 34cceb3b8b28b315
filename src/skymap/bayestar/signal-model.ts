import { fft } from './fft.js';
import type { PsdInterpolant } from './psd.js';
import { lastStableOrbitFrequency, newtonianAmplitudeSquared } from './taylorf2.js';

/** The template parameters the signal model depends on (identical in every detector). */
export interface TemplateParameters {
  /** Component masses in the detector frame, M☉. */
  readonly mass1: number;
  readonly mass2: number;
  /** Highest frequency of the template as filtered by the pipeline, Hz; absent or 0: 2048. */
  readonly fFinal?: number;
}

/** Default frequency resolution of the weight grid: fine enough that the horizon integral and
 * the autocorrelation converge to far better than BAYESTAR's other approximations. */
const DEFAULT_DELTA_F = 0.125;

/** Above this total mass TaylorF2 misses the merger and ringdown (spec §1.2). */
export const TAYLORF2_MAX_TOTAL_MASS = 4;

/**
 * The signal-to-noise weight W(f) = |h(f)|²/S(f) of one template in one detector, sampled on a
 * uniform grid, and what follows from it: the SNR = 1 horizon distance, the timing accuracy and
 * the complex matched-filter autocorrelation.
 */
export class SignalModel {
  /** W(jΔf) for j = 0 … length−1, Mpc⁻²·Hz⁻¹ scaled so that r₁² = 4 Σ W Δf. */
  readonly weights: Float64Array;
  readonly deltaF: number;
  readonly fLow: number;
  readonly fHigh: number;
  /** Distance at which an optimally oriented, overhead source has SNR 1, Mpc. */
  readonly horizon: number;
  /** W-weighted mean of ω = 2πf and of ω², rad/s and rad²/s². */
  readonly meanOmega: number;
  readonly meanOmegaSquared: number;

  /** W at any frequency (0 outside [fLow, fHigh)). */
  readonly weightAt: (f: number) => number;

  private constructor(
    weightAt: (f: number) => number,
    deltaF: number,
    fLow: number,
    fHigh: number,
  ) {
    this.weightAt = weightAt;
    const weights = new Float64Array(Math.ceil(fHigh / deltaF));
    for (let j = 0; j < weights.length; j++) weights[j] = weightAt(j * deltaF);
    this.weights = weights;
    this.deltaF = deltaF;
    this.fLow = fLow;
    this.fHigh = fHigh;
    let sum = 0;
    let sumOmega = 0;
    let sumOmega2 = 0;
    for (let j = 0; j < weights.length; j++) {
      const w = weights[j];
      const omega = 2 * Math.PI * j * deltaF;
      sum += w;
      sumOmega += w * omega;
      sumOmega2 += w * omega * omega;
    }
    if (!(sum > 0)) {
      throw new Error(
        `signal model: no sensitivity between ${fLow} and ${fHigh} Hz (the PSD does not cover the template band)`,
      );
    }
    this.horizon = Math.sqrt(4 * sum * deltaF);
    this.meanOmega = sumOmega / sum;
    this.meanOmegaSquared = sumOmega2 / sum;
  }

  /**
   * The TaylorF2 model of a template in a detector: Newtonian amplitude from fLow to the lowest
   * of the last stable orbit, the template's f_final and the top of the PSD.
   */
  static taylorF2(
    template: TemplateParameters,
    psd: PsdInterpolant,
    fLow: number,
    deltaF = DEFAULT_DELTA_F,
  ): SignalModel {
    const { mass1, mass2 } = template;
    if (!(mass1 > 0 && mass2 > 0)) {
      throw new Error(`template masses must be positive, got ${mass1} and ${mass2}`);
    }
    const fFinal = template.fFinal && template.fFinal > 0 ? template.fFinal : 2048;
    const fHigh = Math.min(lastStableOrbitFrequency(mass1 + mass2), fFinal, psd.fMax);
    const amplitude2 = newtonianAmplitudeSquared(mass1, mass2);
    const weightAt = (f: number): number => {
      if (!(f >= fLow && f < fHigh)) return 0;
      const s = psd.at(f);
      return Number.isFinite(s) ? (amplitude2 * f ** (-7 / 3)) / s : 0;
    };
    return new SignalModel(weightAt, deltaF, fLow, fHigh);
  }

  /** Arrival-time standard deviation at matched-filter SNR `snr` (Cramér–Rao bound), s. */
  timingSigma(snr: number): number {
    return 1 / (snr * Math.sqrt(this.meanOmegaSquared - this.meanOmega * this.meanOmega));
  }

  /**
   * Complex autocorrelation a(kΔt) = Σ W e^{2πifkΔt} / Σ W for lags k = 0 … count−1 at sample
   * rate `sampleRate`; a(−τ) = conj a(τ). The rate must put the whole band below Nyquist.
   */
  autocorrelation(sampleRate: number, count: number): { re: Float64Array; im: Float64Array } {
    const spectrum = this.spectrumAt(sampleRate);
    const { re, im } = spectrum;
    fft(re, im, 1);
    const norm = re[0];
    const out = { re: new Float64Array(count), im: new Float64Array(count) };
    for (let k = 0; k < count; k++) {
      out.re[k] = re[k] / norm;
      out.im[k] = im[k] / norm;
    }
    return out;
  }

  /**
   * W laid out as the positive-frequency half of an FFT whose output is sampled at `sampleRate`:
   * length L a power of two with bin spacing sampleRate/L no coarser than the model's Δf; bins at
   * and above Nyquist are zero. The rate must put the whole band below Nyquist.
   */
  spectrumAt(sampleRate: number): { re: Float64Array; im: Float64Array; deltaF: number } {
    if (!(sampleRate > 0) || this.fHigh > sampleRate / 2 + 1e-9) {
      throw new Error(
        `sample rate ${sampleRate} Hz is below twice the template's highest frequency ${this.fHigh.toFixed(1)} Hz`,
      );
    }
    const length = 2 ** Math.ceil(Math.log2(sampleRate / this.deltaF));
    const deltaF = sampleRate / length;
    const re = new Float64Array(length);
    const im = new Float64Array(length);
    for (let j = 0; j < length / 2; j++) re[j] = this.weightAt(j * deltaF);
    return { re, im, deltaF };
  }
}
