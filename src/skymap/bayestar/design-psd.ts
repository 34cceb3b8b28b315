import type { PsdSeries } from './psd.js';

/**
 * Analytic design noise curves for simulated events. The Advanced LIGO curve is the
 * zero-detuned high-power fit of Sathyaprakash & Schutz (Living Rev. Relativ. 12, 2, 2009,
 * Table 1): S(f) = S₀ [x^−4.14 − 5x^−2 + 111 (1 − x² + x⁴/2)/(1 + x²/2)], x = f/215 Hz,
 * S₀ = 10⁻⁴⁹ Hz⁻¹, valid above 10 Hz.
 *
 * Virgo and KAGRA have no equally simple published fit; they reuse the Advanced LIGO shape with
 * a larger S₀, so that their BNS range relative to LIGO is the ratio below (an O4-like network:
 * Virgo about half, KAGRA about a quarter of the LIGO range). A detector's sensitivity enters
 * BAYESTAR only through its horizon and timing accuracy, so the shape matters far less than the
 * scale.
 */

const ADVANCED_LIGO_S0 = 1e-49;
const ADVANCED_LIGO_F0 = 215;
const LOW_FREQUENCY_CUTOFF = 10;

/** BNS range relative to Advanced LIGO design (amplitude ratio; PSD scales as its inverse square). */
export const DESIGN_RANGE_RATIO: Readonly<Record<string, number>> = {
  H1: 1,
  L1: 1,
  I1: 1,
  V1: 0.5,
  K1: 0.25,
};

/** Advanced LIGO design PSD at frequency f (Hz); Infinity below 10 Hz where the fit is invalid. */
export function advancedLigoPsd(f: number): number {
  if (!(f >= LOW_FREQUENCY_CUTOFF)) return Number.POSITIVE_INFINITY;
  const x = f / ADVANCED_LIGO_F0;
  const x2 = x * x;
  return (
    ADVANCED_LIGO_S0 * (x ** -4.14 - 5 / x2 + (111 * (1 - x2 + 0.5 * x2 * x2)) / (1 + 0.5 * x2))
  );
}

/** Design PSD of a detector at frequency f (Hz). */
export function designPsd(detector: string, f: number): number {
  const ratio = DESIGN_RANGE_RATIO[detector];
  if (ratio === undefined) throw new Error(`no design PSD for detector '${detector}'`);
  return advancedLigoPsd(f) / (ratio * ratio);
}

/**
 * The design PSD sampled as a pipeline would send it: f0 = 0, spacing deltaF, up to fMax. Bins
 * below the fit's 10 Hz validity are written as 0, which readers treat as "no data".
 */
export function sampledDesignPsd(detector: string, deltaF = 0.25, fMax = 2048): PsdSeries {
  const n = Math.floor(fMax / deltaF) + 1;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = designPsd(detector, i * deltaF);
    values[i] = Number.isFinite(s) ? s : 0;
  }
  return { f0: 0, deltaF, values };
}
