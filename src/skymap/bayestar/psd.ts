/**
 * A detector's one-sided noise power spectral density as the pipelines send it (a uniformly
 * sampled REAL8FrequencySeries), and the interpolant BAYESTAR evaluates it through.
 */

export interface PsdSeries {
  /** Frequency of the first sample, Hz. */
  readonly f0: number;
  /** Sample spacing, Hz. */
  readonly deltaF: number;
  /** S(f) in strain²/Hz. */
  readonly values: ArrayLike<number>;
}

/**
 * Linear interpolation in (log f, log S) over the usable part of a sampled PSD. The DC bin and
 * everything above `highTruncate` × the last sampled frequency are dropped (the top of a
 * pipeline PSD is shaped by its anti-aliasing filter), and so are samples that are zero,
 * negative or not finite. Outside the remaining range S = ∞: those frequencies carry no signal.
 */
export class PsdInterpolant {
  readonly fMin: number;
  readonly fMax: number;
  private readonly logF: Float64Array;
  private readonly logS: Float64Array;

  constructor(psd: PsdSeries, highTruncate = 0.95, what = 'PSD') {
    if (!(psd.deltaF > 0) || !Number.isFinite(psd.deltaF)) {
      throw new Error(`${what}: deltaF must be a positive number, got ${psd.deltaF}`);
    }
    if (!Number.isFinite(psd.f0) || psd.f0 < 0) {
      throw new Error(`${what}: f0 must be a non-negative number, got ${psd.f0}`);
    }
    const n = psd.values.length;
    const lastF = psd.f0 + (n - 1) * psd.deltaF;
    const limit = highTruncate * lastF;
    const freqs: number[] = [];
    const logS: number[] = [];
    for (let i = 0; i < n; i++) {
      const f = psd.f0 + i * psd.deltaF;
      const s = psd.values[i];
      if (f <= 0 || f > limit) continue;
      if (!(s > 0) || !Number.isFinite(s)) continue;
      freqs.push(f);
      logS.push(Math.log(s));
    }
    if (freqs.length < 2) {
      throw new Error(`${what}: fewer than two positive, finite samples above DC`);
    }
    this.logF = Float64Array.from(freqs, Math.log);
    this.logS = Float64Array.from(logS);
    this.fMin = freqs[0];
    this.fMax = freqs[freqs.length - 1];
  }

  /** S(f); Infinity outside the sampled range. */
  at(f: number): number {
    if (!(f >= this.fMin && f <= this.fMax)) return Number.POSITIVE_INFINITY;
    const x = Math.log(f);
    const xs = this.logF;
    // Binary search for the bracketing interval (samples are not uniform in log f).
    let lo = 0;
    let hi = xs.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= x) lo = mid;
      else hi = mid;
    }
    const t = xs[hi] === xs[lo] ? 0 : (x - xs[lo]) / (xs[hi] - xs[lo]);
    return Math.exp(this.logS[lo] + t * (this.logS[hi] - this.logS[lo]));
  }
}
