/**
 * The distance ansatz of Singer, Chen & Holz 2016 (ApJL 829 L15): along each line of sight,
 *
 *   p(r | n) = N̂·r²·exp(−(r − μ̂)²/(2σ̂²)) / (√(2π)·σ̂),  r > 0,
 *
 * stored per pixel as DISTMU = μ̂, DISTSIGMA = σ̂, DISTNORM = N̂. With z = μ̂/σ̂ and
 * H = φ(z)/Φ(z), the moments of r over r > 0 reduce to (science-spec §1.6)
 *   x₂ = z² + 1 + zH,  x₃ = z(z² + 3) + (z² + 2)H,  x₄ = z²(z² + 6) + 3 + z(z² + 5)H,
 * giving mean = σ̂·x₃/x₂, std = mean·√(x₄x₂/x₃² − 1), N̂ = 1/(σ̂²·x₂·Φ(z)).
 * A pixel without distance information has μ̂ = +∞, σ̂ = 1, N̂ = 0.
 */
import { normalCdf, normalPdf, normalPdfOverCdf } from './normal.js';

export interface DistanceParameters {
  mu: number;
  sigma: number;
  norm: number;
}

export interface DistanceMoments {
  mean: number;
  std: number;
}

/** mean/std below this (√3 and a margin) cannot come from the ansatz: r²·Gaussian is never wider. */
const MIN_MEAN_OVER_STD = Math.sqrt(3) + 0.01;

function xs(z: number): { x2: number; x3: number; x4: number } {
  const h = normalPdfOverCdf(z);
  const z2 = z * z;
  return {
    x2: z2 + 1 + z * h,
    x3: z * (z2 + 3) + (z2 + 2) * h,
    x4: z2 * (z2 + 6) + 3 + z * (z2 + 5) * h,
  };
}

/** Conditional mean and standard deviation of r for one pixel's (μ̂, σ̂); ∞ when μ̂ is ∞. */
export function parametersToMoments(mu: number, sigma: number): DistanceMoments & { norm: number } {
  if (!Number.isFinite(mu) || !(sigma > 0) || !Number.isFinite(sigma)) {
    return { mean: Number.POSITIVE_INFINITY, std: 1, norm: 0 };
  }
  const z = mu / sigma;
  const { x2, x3, x4 } = xs(z);
  const mean = (sigma * x3) / x2;
  const std = mean * Math.sqrt(Math.max(0, (x4 * x2) / (x3 * x3) - 1));
  const norm = 1 / (sigma * sigma * x2 * normalCdf(z));
  return { mean, std, norm };
}

/** (std/mean)² of the ansatz at z = μ̂/σ̂: falls from 1/3 (z → −∞) to 0 (z → +∞). */
function relativeVariance(z: number): number {
  const { x2, x3, x4 } = xs(z);
  return (x4 * x2) / (x3 * x3) - 1;
}

/**
 * The ansatz parameters with the given conditional mean and standard deviation. Solves
 * relativeVariance(z) = (std/mean)² for z — the function is monotonic, so a Newton iteration
 * kept inside a shrinking bracket always converges — then σ̂ = mean·x₂/x₃ and μ̂ = σ̂·z.
 */
export function momentsToParameters(mean: number, std: number): DistanceParameters {
  const ratio = mean / std;
  if (!Number.isFinite(ratio) || !(ratio >= MIN_MEAN_OVER_STD) || !(mean > 0)) {
    return { mu: Number.POSITIVE_INFINITY, sigma: 1, norm: 0 };
  }
  const target = 1 / (ratio * ratio);
  const g = (z: number) => Math.log(relativeVariance(z)) - Math.log(target);
  // Bracket: g decreases in z; g(lo) > 0 > g(hi).
  let lo = -1;
  while (g(lo) <= 0) lo *= 2;
  let hi = Math.max(1, ratio);
  while (g(hi) >= 0) hi *= 2;
  let z = Math.min(Math.max(ratio, lo), hi);
  for (let i = 0; i < 100; i++) {
    const gz = g(z);
    if (gz > 0) lo = z;
    else hi = z;
    const step = 1e-6 * Math.max(1, Math.abs(z));
    const slope = (g(z + step) - g(z - step)) / (2 * step);
    let next = z - gz / slope;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = 0.5 * (lo + hi);
    const done =
      Math.abs(next - z) <= 1e-14 * Math.max(1, Math.abs(z)) ||
      hi - lo <= 1e-14 * Math.max(1, Math.abs(z));
    z = next;
    if (done) break;
  }
  const { x2, x3 } = xs(z);
  const sigma = (mean * x2) / x3;
  const mu = sigma * z;
  return { mu, sigma, norm: 1 / (sigma * sigma * x2 * normalCdf(z)) };
}

/** p(r | pixel): the conditional distance density (Mpc⁻¹). */
export function conditionalPdf(r: number, mu: number, sigma: number, norm: number): number {
  if (!(r > 0) || norm === 0 || !Number.isFinite(mu)) return 0;
  const t = (r - mu) / sigma;
  return (norm * r * r * normalPdf(t)) / sigma;
}

/**
 * P(< r | pixel) in closed form: with t = (x − μ̂)/σ̂, ∫ (μ̂ + σ̂t)² φ(t) dt from t₀ = −μ̂/σ̂ to
 * t₁ = (r − μ̂)/σ̂ is (μ̂² + σ̂²)(Φ₁ − Φ₀) − 2μ̂σ̂(φ₁ − φ₀) − σ̂²(t₁φ₁ − t₀φ₀).
 */
export function conditionalCdf(r: number, mu: number, sigma: number, norm: number): number {
  if (!(r > 0) || norm === 0 || !Number.isFinite(mu)) return 0;
  const t0 = -mu / sigma;
  const t1 = (r - mu) / sigma;
  const p0 = normalPdf(t0);
  const p1 = normalPdf(t1);
  // Φ₁ − Φ₀ from the tail on the side where both are small, to keep precision.
  const dPhi = t0 > 0 ? normalCdf(-t0) - normalCdf(-t1) : normalCdf(t1) - normalCdf(t0);
  const integral =
    (mu * mu + sigma * sigma) * dPhi -
    2 * mu * sigma * (p1 - p0) -
    sigma * sigma * (t1 * p1 - t0 * p0);
  return Math.min(1, Math.max(0, norm * integral));
}
