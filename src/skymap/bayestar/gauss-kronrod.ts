/**
 * Globally adaptive Gauss–Kronrod (10/21-point) quadrature of several integrands that share
 * their expensive part, over an interval split at given breakpoints. This is the scheme of
 * QUADPACK's QAGP without the ε-algorithm extrapolation, which only pays off for integrable
 * singularities (BAYESTAR's radial integrands are smooth). Bisection continues on the interval
 * whose error, relative to the tolerance of the worst integrand, is largest.
 */

// Abscissae of the 21-point Kronrod rule on [−1, 1] (positive half, descending; the odd
// entries are the 10-point Gauss abscissae), and the weights of both rules.
const XGK = Float64Array.of(
  0.9956571630258081,
  0.9739065285171717,
  0.9301574913557082,
  0.8650633666889845,
  0.7808177265864169,
  0.6794095682990244,
  0.5627571346686047,
  0.4333953941292472,
  0.2943928627014602,
  0.14887433898163122,
  0,
);
const WGK = Float64Array.of(
  0.011694638867371874,
  0.032558162307964725,
  0.054755896574351995,
  0.07503967481091996,
  0.0931254545836976,
  0.10938715880229764,
  0.12349197626206584,
  0.13470921731147334,
  0.14277593857706009,
  0.14773910490133849,
  0.1494455540029169,
);
/** 10-point Gauss weights, indexed like XGK (zero at the Kronrod-only abscissae). */
const WG = Float64Array.of(
  0,
  0.06667134430868814,
  0,
  0.1494513491505806,
  0,
  0.21908636251598204,
  0,
  0.26926671930999635,
  0,
  0.29552422471475287,
);

const EPSILON = 2.220446049250313e-16;
const DBL_MIN = 2.2250738585072014e-308;

/** Several integrands evaluated together at one abscissa. */
export interface VectorIntegrand {
  readonly size: number;
  /** Writes f_0(x) … f_{size−1}(x) into out[offset …]. */
  evaluate(x: number, out: Float64Array, offset: number): void;
}

export interface AdaptiveOptions {
  /** Absolute tolerance per integrand (default: none beyond DBL_MIN). */
  readonly epsabs?: number;
  /** Relative tolerance per integrand (default 1e−8). */
  readonly epsrel?: number;
  /** Most subintervals kept (default 64). The best estimate is returned when it is reached. */
  readonly limit?: number;
}

/**
 * Reusable integrator: all work arrays are allocated once for a given integrand size and limit,
 * so that the 160,000 quadratures of a lookup table allocate nothing.
 */
export class AdaptiveGaussKronrod {
  private readonly size: number;
  private readonly limit: number;
  private readonly epsabs: number;
  private readonly epsrel: number;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly results: Float64Array;
  private readonly errors: Float64Array;
  private readonly values: Float64Array;

  constructor(size: number, options: AdaptiveOptions = {}) {
    this.size = size;
    this.limit = options.limit ?? 64;
    this.epsabs = options.epsabs ?? DBL_MIN;
    this.epsrel = options.epsrel ?? 1e-8;
    const cap = this.limit + 8;
    this.lower = new Float64Array(cap);
    this.upper = new Float64Array(cap);
    this.results = new Float64Array(cap * size);
    this.errors = new Float64Array(cap * size);
    this.values = new Float64Array(21 * size);
  }

  /**
   * Integrates f over [points[0], points[last]], with the points as initial breakpoints
   * (ascending). Writes the integrals into `out` and returns the number of subintervals used.
   */
  integrate(
    f: VectorIntegrand,
    points: ArrayLike<number>,
    count: number,
    out: Float64Array,
  ): number {
    const m = this.size;
    let intervals = 0;
    for (let i = 0; i + 1 < count; i++) {
      if (!(points[i + 1] > points[i])) continue;
      this.lower[intervals] = points[i];
      this.upper[intervals] = points[i + 1];
      this.rule(f, intervals);
      intervals++;
    }
    out.fill(0, 0, m);
    if (intervals === 0) return 0;
    for (;;) {
      // Totals and the interval that most needs bisection.
      let worst = -1;
      let worstRatio = 0;
      let converged = true;
      for (let k = 0; k < m; k++) {
        let total = 0;
        let error = 0;
        for (let i = 0; i < intervals; i++) {
          total += this.results[i * m + k];
          error += this.errors[i * m + k];
        }
        out[k] = total;
        const tolerance = Math.max(this.epsabs, this.epsrel * Math.abs(total));
        if (error > tolerance) converged = false;
        for (let i = 0; i < intervals; i++) {
          const ratio = this.errors[i * m + k] / tolerance;
          if (ratio > worstRatio) {
            worstRatio = ratio;
            worst = i;
          }
        }
      }
      if (converged || intervals >= this.limit || worst < 0) return intervals;
      const a = this.lower[worst];
      const b = this.upper[worst];
      const mid = 0.5 * (a + b);
      // Stop when the interval cannot be split any further in floating point.
      if (!(mid > a && mid < b)) return intervals;
      this.upper[worst] = mid;
      this.rule(f, worst);
      this.lower[intervals] = mid;
      this.upper[intervals] = b;
      this.rule(f, intervals);
      intervals++;
    }
  }

  /** Applies the 21-point rule to interval i, storing its result and error estimate. */
  private rule(f: VectorIntegrand, i: number): void {
    const m = this.size;
    const a = this.lower[i];
    const b = this.upper[i];
    const center = 0.5 * (a + b);
    const half = 0.5 * (b - a);
    const absHalf = Math.abs(half);
    // Function values at the 21 abscissae: index j < 10 left of centre, 10 + j right, 20 centre.
    const values = this.values;
    for (let j = 0; j < 10; j++) {
      const dx = half * XGK[j];
      f.evaluate(center - dx, values, j * m);
      f.evaluate(center + dx, values, (10 + j) * m);
    }
    f.evaluate(center, values, 20 * m);
    for (let k = 0; k < m; k++) {
      const fc = values[20 * m + k];
      let resultK = WGK[10] * fc;
      let resultG = 0;
      let resultAbs = Math.abs(resultK);
      for (let j = 0; j < 10; j++) {
        const l = values[j * m + k];
        const r = values[(10 + j) * m + k];
        resultK += WGK[j] * (l + r);
        resultG += WG[j] * (l + r);
        resultAbs += WGK[j] * (Math.abs(l) + Math.abs(r));
      }
      const mean = resultK * 0.5;
      let asc = WGK[10] * Math.abs(fc - mean);
      for (let j = 0; j < 10; j++) {
        asc +=
          WGK[j] * (Math.abs(values[j * m + k] - mean) + Math.abs(values[(10 + j) * m + k] - mean));
      }
      const resultAsc = asc * absHalf;
      const abs = resultAbs * absHalf;
      let error = Math.abs((resultK - resultG) * half);
      if (resultAsc !== 0 && error !== 0) {
        error = resultAsc * Math.min(1, ((200 * error) / resultAsc) ** 1.5);
      }
      if (abs > DBL_MIN / (50 * EPSILON)) error = Math.max(error, 50 * EPSILON * abs);
      this.results[i * m + k] = resultK * half;
      this.errors[i * m + k] = error;
    }
  }
}
