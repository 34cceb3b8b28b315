/**
 * The analytic p_astro gwcelery computes itself for pipelines that upload none (Kapadia et al.
 * 2020, arXiv:1903.06881; science-spec §5.2, gwcelery-spec §7.1). A toy foreground/background
 * Bayes factor, split over source categories by hard component-mass cuts, against Poisson mean
 * counts per category:
 *
 *   B = (3 ρ*³ / ρ⁴) / (FAR / FAR*),  ρ* = 8.5,  FAR* = 1/30 d
 *   B_c = a_c · 3 · B,  a_c ∈ {0, 1} from the masses
 *   p_c = B_c Λ_c / (λ₀ + Σ B_c Λ_c),  p_terr = λ₀ / (λ₀ + Σ B_c Λ_c),  λ₀ = FAR* · livetime
 *
 * The arithmetic is done in the reference's order so that results agree to the last bit.
 *
 * Without masses (a scientist asking "how astrophysical is this FAR and SNR?"), the reference
 * has no answer; here each category gets a third of the weight, so the astrophysical share
 * splits in proportion to the mean counts.
 */

import { requireNonNegative, requirePositive } from '../errors.js';
import { chooseSnr } from './choose-snr.js';
import { checkPAstroSettings, type PAstroSettings } from './settings.js';

export interface PAstroInput {
  /** Network SNR. */
  snr: number;
  /** False-alarm rate in Hz. */
  far: number;
  /** Component masses (M☉); both absent: no mass information (uniform category weights). */
  mass1?: number;
  mass2?: number;
  pipeline: string;
  /** Instruments in the ranking statistic (for the SNR cap). */
  instruments: Iterable<string>;
}

/** The categories of `<pipeline>.p_astro.json`, in the reference's key order. */
export const P_ASTRO_KEYS = ['BNS', 'NSBH', 'BBH', 'Terrestrial'] as const;
export type PAstroValues = { [K in (typeof P_ASTRO_KEYS)[number]]: number };

/** Number of astrophysical bins the hard cuts spread the Bayes factor over. */
const NUM_BINS = 3;

/**
 * Hard-cut category weights: BNS if both masses ≤ 3 M☉, BBH if both > 5 M☉, NSBH if one is ≤ 3
 * and the other > 3. A component in the 3–5 M☉ gap (with no NS partner) matches no category.
 */
export function hardCutWeights(
  mass1: number,
  mass2: number,
): { BNS: number; NSBH: number; BBH: number } {
  const lo = Math.min(mass1, mass2);
  const hi = Math.max(mass1, mass2);
  return {
    BNS: mass1 <= 3 && mass2 <= 3 ? 1 : 0,
    NSBH: lo <= 3 && hi > 3 ? 1 : 0,
    BBH: mass1 > 5 && mass2 > 5 ? 1 : 0,
  };
}

/** The astrophysical Bayes factor of the (capped) SNR and FAR; Infinity for FAR = 0. */
export function astroBayesFactor(snr: number, far: number, s: PAstroSettings): number {
  const foreground = (3 * s.p_astro_snr_star ** 3) / snr ** 4;
  const background = far / s.p_astro_far_star_hz;
  return foreground / background;
}

export function computePAstro(
  input: PAstroInput,
  s: PAstroSettings,
  source?: string,
): PAstroValues {
  checkPAstroSettings(s);
  const snr = requirePositive(input.snr, 'snr', source);
  const far = requireNonNegative(input.far, 'far', source);
  const massless = input.mass1 === undefined && input.mass2 === undefined;
  const weights = massless
    ? { BNS: 1 / NUM_BINS, NSBH: 1 / NUM_BINS, BBH: 1 / NUM_BINS }
    : hardCutWeights(
        requirePositive(input.mass1, 'mass1', source),
        requirePositive(input.mass2, 'mass2', source),
      );

  const snrChoice = chooseSnr(
    far,
    snr,
    input.pipeline,
    input.instruments,
    s.p_astro_far_snr_thresholds,
  );
  const bayesFactor = astroBayesFactor(snrChoice, far, s);
  const lambda0 = s.p_astro_far_star_hz * s.p_astro_livetime_s;
  const counts = s.p_astro_mean_counts;

  const rescaled = NUM_BINS * bayesFactor;
  const bf = {
    BNS: weights.BNS * rescaled,
    NSBH: weights.NSBH * rescaled,
    BBH: weights.BBH * rescaled,
  };
  // numpy's sum over three terms accumulates from 0 in order; then λ₀ is added.
  const astro = 0 + counts.BNS * bf.BNS + counts.NSBH * bf.NSBH + counts.BBH * bf.BBH;
  const denominator = lambda0 + astro;

  if (!Number.isFinite(bayesFactor) || !Number.isFinite(denominator)) {
    // FAR = 0 (or so small that the counts overflow): the reference divides by zero and fails.
    // The limit FAR → 0 is well defined: the matching categories share all the probability by
    // weight × mean count, or Terrestrial keeps it when none matches (masses in the gap).
    const share = {
      BNS: weights.BNS * counts.BNS,
      NSBH: weights.NSBH * counts.NSBH,
      BBH: weights.BBH * counts.BBH,
    };
    const total = share.BNS + share.NSBH + share.BBH;
    if (!(total > 0)) return { BNS: 0, NSBH: 0, BBH: 0, Terrestrial: 1 };
    return {
      BNS: share.BNS / total,
      NSBH: share.NSBH / total,
      BBH: share.BBH / total,
      Terrestrial: 0,
    };
  }

  return {
    BNS: (bf.BNS * counts.BNS) / denominator,
    NSBH: (bf.NSBH * counts.NSBH) / denominator,
    BBH: (bf.BBH * counts.BBH) / denominator,
    Terrestrial: lambda0 / denominator,
  };
}
