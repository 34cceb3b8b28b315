import { normalCdf, normalPdfOverCdf } from './normal.js';

/**
 * The per-pixel distance posterior of a BAYESTAR sky map is summarized by the ansatz of Singer,
 * Chen & Holz (2016, ApJL 829 L15):
 *
 *   p(r | n) = N̂ r² exp(−(r − μ̂)²/(2σ̂²)) / (√(2π) σ̂),   r ≥ 0,
 *
 * whose parameters (DISTMU, DISTSIGMA, DISTNORM) are chosen to reproduce the posterior mean and
 * standard deviation of r. Both directions of the conversion go through the moments of a
 * truncated normal weighted by r², written with z = μ̂/σ̂ and H = φ(z)/Φ(z):
 *
 *   x₂ = z² + 1 + zH,  x₃ = z(z² + 3) + (z² + 2)H,  x₄ = z²(z² + 6) + 3 + z(z² + 5)H,
 *
 * so that mean = σ̂ x₃/x₂ and mean²·(x₄x₂/x₃² − 1) = std².
 */

export interface DistanceParameters {
  mu: number;
  sigma: number;
  norm: number;
}

interface Moments {
  x2: number;
  x3: number;
  x4: number;
  dx2: number;
  dx3: number;
  dx4: number;
}

function moments(z: number, out: Moments): void {
  const h = normalPdfOverCdf(z);
  const dh = -h * (z + h);
  const z2 = z * z;
  out.x2 = z2 + 1 + z * h;
  out.x3 = z * (z2 + 3) + (z2 + 2) * h;
  out.x4 = z2 * (z2 + 6) + 3 + z * (z2 + 5) * h;
  out.dx2 = 2 * z + h + z * dh;
  out.dx3 = 3 * z2 + 3 + 2 * z * h + (z2 + 2) * dh;
  out.dx4 = 4 * z2 * z + 12 * z + (3 * z2 + 5) * h + z * (z2 + 5) * dh;
}

/** Below this mean/std no ansatz of this form fits (the r² prior alone has mean/std = √3). */
const MIN_MEAN_OVER_STD = Math.sqrt(3) + 0.01;

/**
 * Ansatz parameters from the conditional mean and standard deviation of distance. Where no
 * ansatz fits (mean/std too small, or not finite), returns μ̂ = ∞, σ̂ = 1, N̂ = 0, the
 * convention of LVK sky maps.
 */
export function momentsToParameters(
  mean: number,
  std: number,
  out?: DistanceParameters,
): DistanceParameters {
  const result = out ?? { mu: 0, sigma: 0, norm: 0 };
  const ratio = mean / std;
  if (!(ratio >= MIN_MEAN_OVER_STD) || !Number.isFinite(ratio)) {
    result.mu = Number.POSITIVE_INFINITY;
    result.sigma = 1;
    result.norm = 0;
    return result;
  }
  const target = 1 / (ratio * ratio) + 1;
  const m: Moments = { x2: 0, x3: 0, x4: 0, dx2: 0, dx3: 0, dx4: 0 };
  // Newton's method on F(z) = x₃²(1 + std²/mean²) − x₄x₂, which is monotonic in z here and
  // converges quadratically from z = mean/std.
  let z = ratio;
  for (let iteration = 0; iteration < 50; iteration++) {
    moments(z, m);
    const f = m.x3 * m.x3 * target - m.x4 * m.x2;
    const df = 2 * m.x3 * m.dx3 * target - m.dx4 * m.x2 - m.x4 * m.dx2;
    const step = f / df;
    if (!Number.isFinite(step)) break;
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  moments(z, m);
  const sigma = (mean * m.x2) / m.x3;
  result.sigma = sigma;
  result.mu = sigma * z;
  result.norm = 1 / (sigma * sigma * m.x2 * normalCdf(z));
  return result;
}

/** Conditional mean and standard deviation of distance from ansatz parameters. */
export function parametersToMoments(mu: number, sigma: number): { mean: number; std: number } {
  if (!Number.isFinite(mu)) return { mean: Number.POSITIVE_INFINITY, std: 1 };
  const m: Moments = { x2: 0, x3: 0, x4: 0, dx2: 0, dx3: 0, dx4: 0 };
  moments(mu / sigma, m);
  const mean = (sigma * m.x3) / m.x2;
  return { mean, std: mean * Math.sqrt((m.x4 * m.x2) / (m.x3 * m.x3) - 1) };
}
