/**
 * The standard normal distribution's density φ, cumulative Φ and the ratio φ/Φ, accurate to a
 * few ulp far into both tails (the distance ansatz needs φ(z)/Φ(z) for z down to −40).
 */

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/**
 * Mills ratio R(t) = (1 − Φ(t))/φ(t). For t ≥ 2 by its continued fraction
 * 1/(t + 1/(t + 2/(t + 3/(t + …)))), evaluated backwards from a depth that converges to double
 * precision; below that from the power series of erf.
 */
export function millsRatio(t: number): number {
  if (t >= 2) {
    let tail = t;
    for (let k = 120; k >= 1; k--) tail = t + k / tail;
    return 1 / tail;
  }
  return upperTail(t) / normalPdf(t);
}

/** 1 − Φ(t) for t < 2 via erf's Maclaurin series (|t/√2| < √2: at most ~2 digits cancel). */
function upperTail(t: number): number {
  if (t <= -2) return 1 - millsRatio(-t) * normalPdf(t);
  const x = t / Math.SQRT2;
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 100; n++) {
    term *= -x2 / n;
    const contribution = term / (2 * n + 1);
    sum += contribution;
    if (Math.abs(contribution) < 1e-17 * Math.abs(sum)) break;
  }
  const erf = (2 / Math.sqrt(Math.PI)) * sum;
  return 0.5 * (1 - erf);
}

/** Φ(z). */
export function normalCdf(z: number): number {
  if (z <= -2) return millsRatio(-z) * normalPdf(z);
  if (z >= 2) return 1 - millsRatio(z) * normalPdf(z);
  return 1 - upperTail(z);
}

/** φ(z)/Φ(z) (the hazard function of the normal at −z), without underflow for z ≪ 0. */
export function normalPdfOverCdf(z: number): number {
  if (z <= -2) return 1 / millsRatio(-z);
  return normalPdf(z) / normalCdf(z);
}
