/**
 * Distance summaries of a 3-D sky map: the posterior distance marginalised over the sky
 * (Σ pixels P·p(r | pixel)), its mean and standard deviation, and the distance along one line
 * of sight.
 */
import { conditionalCdf, conditionalPdf, parametersToMoments } from './distance.js';
import { PixelLookup } from './lookup.js';
import { hasDistance, type MultiOrderSkyMap, pixelProbabilities } from './multiorder.js';

function requireDistance(map: MultiOrderSkyMap) {
  if (!hasDistance(map))
    throw new RangeError('sky map has no distance columns (DISTMU, DISTSIGMA, DISTNORM)');
  return map;
}

export interface MarginalMomentOptions {
  /**
   * Divide by the probability of the pixels that have distance information (default true).
   * false sums P over those pixels as they are, like ligo.skymap's
   * parameters_to_marginal_moments; on MS220722v, where 0.5% of the probability lies in pixels
   * with μ̂ = ∞, that gives 125.58 ± 44.47 Mpc instead of 126.22 ± 43.67 (header: 125.96 ± 43.94).
   */
  renormalize?: boolean;
}

/**
 * Mean and standard deviation of the sky-marginalised distance (Mpc) from the columns:
 * r̄ = Σ P·mean, σ² = Σ P·(std² + mean²) − r̄² over pixels with finite moments. BAYESTAR
 * computes its DISTMEAN/DISTSTD header values the same way from the moments before they become
 * ansatz parameters, so the two agree to about 1%.
 */
export function marginalDistanceMoments(
  map: MultiOrderSkyMap,
  options: MarginalMomentOptions = {},
): { mean: number; std: number } {
  const m = requireDistance(map);
  const probs = pixelProbabilities(m);
  let w = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < probs.length; i++) {
    const { mean, std } = parametersToMoments(m.distmu[i], m.distsigma[i]);
    if (!Number.isFinite(mean) || !Number.isFinite(std) || !(probs[i] > 0)) continue;
    w += probs[i];
    s1 += probs[i] * mean;
    s2 += probs[i] * (std * std + mean * mean);
  }
  if (!(w > 0)) return { mean: Number.NaN, std: Number.NaN };
  const scale = options.renormalize === false ? 1 : w;
  const mean = s1 / scale;
  return { mean, std: Math.sqrt(Math.max(0, s2 / scale - mean * mean)) };
}

/** Sky-marginalised distance density (Mpc⁻¹) at each distance. */
export function marginalDistancePdf(
  map: MultiOrderSkyMap,
  distances: readonly number[],
): Float64Array {
  return marginal(map, distances, conditionalPdf);
}

/** Sky-marginalised cumulative distance distribution at each distance. */
export function marginalDistanceCdf(
  map: MultiOrderSkyMap,
  distances: readonly number[],
): Float64Array {
  return marginal(map, distances, conditionalCdf);
}

function marginal(
  map: MultiOrderSkyMap,
  distances: readonly number[],
  f: (r: number, mu: number, sigma: number, norm: number) => number,
): Float64Array {
  const m = requireDistance(map);
  const probs = pixelProbabilities(m);
  let total = 0;
  for (let i = 0; i < probs.length; i++)
    if (m.distnorm[i] > 0 && Number.isFinite(m.distmu[i])) total += probs[i];
  const out = new Float64Array(distances.length);
  distances.forEach((r, k) => {
    let s = 0;
    for (let i = 0; i < probs.length; i++) {
      if (probs[i] > 0) s += probs[i] * f(r, m.distmu[i], m.distsigma[i], m.distnorm[i]);
    }
    out[k] = total > 0 ? s / total : Number.NaN;
  });
  return out;
}

/** Distance (Mpc) below which the sky-marginalised distance lies with probability q. */
export function marginalDistanceQuantile(map: MultiOrderSkyMap, q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile ${q} is outside (0, 1)`);
  let hi = Math.max(1, marginalDistanceMoments(map).mean);
  while (marginalDistanceCdf(map, [hi])[0] < q) {
    hi *= 2;
    if (hi > 1e9) return Number.POSITIVE_INFINITY;
  }
  let lo = 0;
  for (let i = 0; i < 60 && hi - lo > 1e-9 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (marginalDistanceCdf(map, [mid])[0] < q) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

export interface LineOfSight {
  mu: number;
  sigma: number;
  norm: number;
  /** Conditional mean and standard deviation (Mpc); ∞ where the map has no distance there. */
  mean: number;
  std: number;
  pdf(r: number): number;
  cdf(r: number): number;
}

/** The conditional distance distribution towards (ra, dec) in radians (the ansatz of its pixel). */
export function distanceAlongLineOfSight(
  map: MultiOrderSkyMap,
  ra: number,
  dec: number,
): LineOfSight {
  const m = requireDistance(map);
  const row = new PixelLookup(m).rowAtRadec(ra, dec);
  if (row < 0) throw new RangeError(`position (ra ${ra}, dec ${dec}) is outside the sky map`);
  const mu = m.distmu[row];
  const sigma = m.distsigma[row];
  const norm = m.distnorm[row];
  const { mean, std } = parametersToMoments(mu, sigma);
  return {
    mu,
    sigma,
    norm,
    mean,
    std,
    pdf: (r) => conditionalPdf(r, mu, sigma, norm),
    cdf: (r) => conditionalCdf(r, mu, sigma, norm),
  };
}
