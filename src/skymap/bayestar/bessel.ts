/**
 * The exponentially scaled modified Bessel function of order zero, Ī₀(x) = e^{−x} I₀(x), as a
 * logarithm. It appears in the phase-marginalized likelihood, where x = b/r ranges from 0 to
 * ~10⁶, so I₀ itself would overflow; the distance tables evaluate it ~10⁷ times per event.
 *
 * The fast form is piecewise polynomial: degree-11 fits of log Ī₀(x) on each unit interval of
 * [0, 16], and of log(√x Ī₀(x)) in t = 32/x − 1 on [16, ∞). Their coefficients are computed when
 * the module loads, by Chebyshev interpolation of the slow but exact reference below, then
 * converted to powers of t for a Horner evaluation (a Clenshaw recurrence is latency-bound and
 * several times slower). They agree with the reference to 3·10⁻¹³ absolute, far below the
 * 10⁻⁸ to which the distance integrals are computed
 * (test/skymap/bayestar/special-functions.test.ts). */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Reference: below x = 25 the power series Σ (x²/4)^k / (k!)² (all terms positive: no
 * cancellation); above, the asymptotic series e^x/√(2πx) Σ c_k x^−k, whose smallest term
 * (near k ≈ 2x) bounds the relative error by ~e^{−2x} < 10⁻²¹.
 */
export function logBesselI0ScaledReference(x: number): number {
  if (x < 0) x = -x;
  if (x < 25) {
    const q = 0.25 * x * x;
    let term = 1;
    let sum = 1;
    for (let k = 1; k < 500; k++) {
      term *= q / (k * k);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return Math.log(sum) - x;
  }
  const inv = 1 / x;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 100; k++) {
    const next = (term * (2 * k - 1) * (2 * k - 1) * inv) / (8 * k);
    if (next > term) break;
    term = next;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return Math.log(sum) - LOG_SQRT_2PI - 0.5 * Math.log(x);
}

/** Chebyshev coefficients c_k of f on t ∈ [−1, 1] by interpolation at the Chebyshev nodes. */
function chebyshevCoefficients(f: (t: number) => number, terms: number): Float64Array {
  const n = 2 * terms;
  const values = new Float64Array(n);
  for (let j = 0; j < n; j++) values[j] = f(Math.cos((Math.PI * (j + 0.5)) / n));
  const c = new Float64Array(terms);
  for (let k = 0; k < terms; k++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += values[j] * Math.cos((Math.PI * k * (j + 0.5)) / n);
    c[k] = (2 / n) * sum;
  }
  c[0] *= 0.5;
  return c;
}

/** Σ c_k T_k(t) rewritten as Σ a_i t^i (T_{k+1} = 2t T_k − T_{k−1}). */
function toPowerBasis(c: Float64Array): Float64Array {
  const out = new Float64Array(c.length);
  let previous = new Float64Array(c.length);
  let current = new Float64Array(c.length);
  previous[0] = 1; // T_0
  current[1] = 1; // T_1
  out[0] += c[0];
  if (c.length > 1) out[1] += c[1];
  for (let k = 2; k < c.length; k++) {
    const next = new Float64Array(c.length);
    for (let i = 0; i + 1 < c.length; i++) next[i + 1] += 2 * current[i];
    for (let i = 0; i < c.length; i++) next[i] -= previous[i];
    for (let i = 0; i < c.length; i++) out[i] += c[k] * next[i];
    previous = current;
    current = next;
  }
  return out;
}

const DEGREE = 11;
const TERMS = DEGREE + 1;
const NEAR_INTERVALS = 16;
const FAR_SCALE = 2 * NEAR_INTERVALS;
const NEAR = new Float64Array(NEAR_INTERVALS * TERMS);
for (let i = 0; i < NEAR_INTERVALS; i++) {
  // On [i, i + 1], x = i + (t + 1)/2.
  const c = chebyshevCoefficients((t) => logBesselI0ScaledReference(i + 0.5 * (t + 1)), TERMS);
  NEAR.set(toPowerBasis(c), i * TERMS);
}
// On [16, ∞), x = 32/(t + 1): t = 1 is x = 16, t = −1 is x = ∞ where √x Ī₀ → 1/√(2π).
const FAR = toPowerBasis(
  chebyshevCoefficients((t) => {
    if (t <= -1) return -LOG_SQRT_2PI;
    const x = FAR_SCALE / (t + 1);
    return logBesselI0ScaledReference(x) + 0.5 * Math.log(x);
  }, TERMS),
);

export function logBesselI0Scaled(x: number): number {
  if (x < 0) x = -x;
  if (x < NEAR_INTERVALS) {
    const i = Math.floor(x);
    const t = 2 * (x - i) - 1;
    const at = i * TERMS;
    let r = NEAR[at + DEGREE];
    for (let k = DEGREE - 1; k >= 0; k--) r = r * t + NEAR[at + k];
    return r;
  }
  const t = FAR_SCALE / x - 1;
  let r = FAR[DEGREE];
  for (let k = DEGREE - 1; k >= 0; k--) r = r * t + FAR[k];
  return r - 0.5 * Math.log(x);
}
