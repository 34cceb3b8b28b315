/**
 * The exponentially scaled modified Bessel function of order zero, Ī₀(x) = e^{−x} I₀(x), as a
 * logarithm. It appears in the phase-marginalized likelihood, where x = b/r ranges from 0 to
 * ~10⁶, so I₀ itself would overflow.
 *
 * Below x = 17 the power series Σ (x²/4)^k / (k!)² is summed (all terms positive: no
 * cancellation); above, the asymptotic series e^x/√(2πx) Σ c_k x^−k, whose smallest term near
 * k ≈ 2x bounds the error by ~e^{−2x} < 10⁻¹⁴.
 */

const SERIES_LIMIT = 17;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function logBesselI0Scaled(x: number): number {
  if (x < 0) x = -x;
  if (x < SERIES_LIMIT) {
    const q = 0.25 * x * x;
    let term = 1;
    let sum = 1;
    for (let k = 1; k < 200; k++) {
      term *= q / (k * k);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return Math.log(sum) - x;
  }
  // c_k = c_{k−1} (2k−1)² / (8k), stopping when the terms stop shrinking or become negligible.
  const inv = 1 / x;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 60; k++) {
    const next = (term * (2 * k - 1) * (2 * k - 1) * inv) / (8 * k);
    if (next > term) break;
    term = next;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return Math.log(sum) - LOG_SQRT_2PI - 0.5 * Math.log(x);
}
