import { logBesselI0Scaled } from './bessel.js';
import { CubicInterp1D, CubicInterp2D } from './cubic-interp.js';
import { AdaptiveGaussKronrod, type VectorIntegrand } from './gauss-kronrod.js';

/**
 * The distance integral of the phase-marginalized likelihood,
 *
 *   ℱ_k(p, b) = ∫_{r_min}^{r_max} r^k exp(−p²/r²) I₀(b/r) dr,
 *
 * evaluated through a lookup table (Singer & Price 2016, §"Interpolation"). Completing the
 * square, ℱ_k = exp((b/2p)²)·𝒢_k with r₀ = 2p²/b and
 *
 *   𝒢_k = ∫ r^k exp(−(p/r − p/r₀)²) Ī₀(b/r) dr,     Ī₀(x) = e^{−x} I₀(x),
 *
 * a smooth function of x = log p and y = log r₀, tabulated on a square grid and interpolated
 * bicubically.
 *
 * Two deliberate departures from the reference implementation's outer regions, both measured
 * against direct quadrature (test/skymap/bayestar/radial-integrator.test.ts):
 *
 * - Above the grid (y ≥ y_max, i.e. small b, including b = 0) the reference reuses the last
 *   grid column, which is off by up to ~3 % in ℱ when p is large. Here log ℱ is interpolated in
 *   b² between the exact b = 0 value (an extra column) and the last column, which is exact at
 *   both ends because ℱ is analytic in b².
 * - Below the grid's anti-diagonal the reference uses a 1-D cut in u = ½(x − y), which misses
 *   the integrand's peak near r₀ when p/r₀ is large and can be off by e³ and more there. Here
 *   the whole square grid is tabulated, and the rare points outside it (p or r₀ smaller than
 *   the grid) get a direct adaptive quadrature.
 */

const LN2 = Math.LN2;
/** −ln 0.01: the integrand's Gaussian factor falls to 1 % at r±. */
const BREAKPOINT_ETA = Math.sqrt(-Math.log(0.01));
const TABLE_EPSREL = 1e-8;
const TABLE_LIMIT = 64;

export interface RadialTableSpec {
  readonly rMin: number;
  readonly rMax: number;
  /** Largest p the likelihood can produce: s·√(½ Σ r₁,i²). */
  readonly pMax: number;
  /** Nodes per axis (400 in the reference implementation). */
  readonly size: number;
  /** Extent of the grid in e-folds (4 in the reference implementation). */
  readonly alpha: number;
}

export interface RadialTableGrid {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
  readonly step: number;
}

export function radialTableGrid(spec: RadialTableSpec): RadialTableGrid {
  const { rMax, pMax, size, alpha } = spec;
  const xMax = Math.log(pMax);
  const x0 = Math.min(Math.log(0.5 * rMax), xMax);
  const xMin = x0 - (1 + Math.SQRT2) * alpha;
  const step = (xMax - xMin) / (size - 1);
  const yMin = 2 * x0 - Math.SQRT2 * alpha - xMax;
  return { xMin, xMax, yMin, yMax: yMin + (size - 1) * step, step };
}

export function validateRadialSpec(spec: RadialTableSpec): void {
  const { rMin, rMax, pMax, size, alpha } = spec;
  if (!(rMin >= 0 && Number.isFinite(rMin))) {
    throw new Error(`minimum distance must be a number ≥ 0, got ${rMin}`);
  }
  if (!(rMax > rMin && Number.isFinite(rMax))) {
    throw new Error(
      `maximum distance must be finite and exceed the minimum (${rMin}), got ${rMax}`,
    );
  }
  if (!(pMax > 0 && Number.isFinite(pMax))) throw new Error(`pMax must be positive, got ${pMax}`);
  if (!(Number.isInteger(size) && size >= 4)) {
    throw new Error(`table size must be an integer ≥ 4, got ${size}`);
  }
  if (!(alpha > 0)) throw new Error(`alpha must be positive, got ${alpha}`);
}

/**
 * The integrands r^k exp(−(p/r − p/r₀)²) Ī₀(b/r) e^{−M_k} for consecutive powers k₀, k₀+1, …,
 * sharing Ī₀ and one exponential: f_{k+1} = f_k · r · e^{M_k − M_{k+1}}.
 */
class RadialIntegrand implements VectorIntegrand {
  readonly size: number;
  private readonly firstPower: number;
  /** e^{M_k − M_{k+1}} */
  private readonly ratio: Float64Array;
  readonly logScale: Float64Array;
  p = 0;
  pOverR0 = 0;
  b = 0;

  constructor(powers: readonly number[]) {
    powers.forEach((k, i) => {
      if (k !== powers[0] + i)
        throw new Error(`radial integrand powers must be consecutive, got ${powers}`);
    });
    this.size = powers.length;
    this.firstPower = powers[0];
    this.ratio = new Float64Array(powers.length);
    this.logScale = new Float64Array(powers.length);
  }

  logBase(r: number): number {
    const d = this.p / r - this.pOverR0;
    return this.b === 0 ? -d * d : -d * d + logBesselI0Scaled(this.b / r);
  }

  /** Sets e^{M_k} to the largest integrand value over the breakpoints, to keep exp in range. */
  setScale(points: Float64Array, count: number): void {
    this.logScale.fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < count; i++) {
      const r = points[i];
      if (!(r > 0)) continue;
      const base = this.logBase(r);
      const logR = Math.log(r);
      for (let k = 0; k < this.size; k++) {
        const v = base + (this.firstPower + k) * logR;
        if (v > this.logScale[k]) this.logScale[k] = v;
      }
    }
    for (let k = 0; k + 1 < this.size; k++) {
      this.ratio[k] = Math.exp(this.logScale[k] - this.logScale[k + 1]);
    }
  }

  evaluate(r: number, out: Float64Array, offset: number): void {
    let value = Math.exp(this.logBase(r) - this.logScale[0]) * r ** this.firstPower;
    out[offset] = value;
    for (let k = 1; k < this.size; k++) {
      value *= r * this.ratio[k - 1];
      out[offset + k] = value;
    }
  }
}

/** Quadrature of log 𝒢_k(p, b) (b may be 0) for every power of the integrand, into out. */
class RadialQuadrature {
  private readonly integrand: RadialIntegrand;
  private readonly quadrature: AdaptiveGaussKronrod;
  private readonly points = new Float64Array(5);
  private readonly integrals: Float64Array;

  constructor(
    private readonly rMin: number,
    private readonly rMax: number,
    powers: readonly number[],
    epsrel: number,
    limit: number,
  ) {
    this.integrand = new RadialIntegrand(powers);
    this.quadrature = new AdaptiveGaussKronrod(powers.length, { epsrel, limit });
    this.integrals = new Float64Array(powers.length);
  }

  logG(p: number, b: number, out: Float64Array): void {
    const { integrand, points, rMin, rMax } = this;
    integrand.p = p;
    integrand.b = b;
    let count = 0;
    points[count++] = rMin;
    // Breakpoints: the integrand's peak r₀ and where its Gaussian factor falls to 1 %.
    const inverseR0 = b / (2 * p * p);
    integrand.pOverR0 = p * inverseR0;
    const delta = BREAKPOINT_ETA / p;
    const rMinus = 1 / (inverseR0 + delta);
    if (rMinus > rMin && rMinus < rMax) points[count++] = rMinus;
    if (inverseR0 > 0) {
      const r0 = 1 / inverseR0;
      if (r0 > rMin && r0 < rMax) points[count++] = r0;
      if (inverseR0 > delta) {
        const rPlus = 1 / (inverseR0 - delta);
        if (rPlus > rMin && rPlus < rMax) points[count++] = rPlus;
      }
    }
    points[count++] = rMax;
    integrand.setScale(points, count);
    this.quadrature.integrate(integrand, points, count, this.integrals);
    for (let k = 0; k < out.length; k++)
      out[k] = integrand.logScale[k] + Math.log(this.integrals[k]);
  }
}

/** Entries per table row: the size y nodes, then the b = 0 value. */
export function radialRowLength(spec: RadialTableSpec): number {
  return spec.size + 1;
}

/**
 * Computes the table rows [rowStart, rowEnd) (x index i) for each power: log 𝒢_k at the `size`
 * y nodes, then log ℱ_k(p, 0). This is the expensive part of a localization's start-up, split
 * by rows across worker threads. Returns one array per power, (rowEnd − rowStart)·(size + 1).
 */
export function computeRadialTableRows(
  spec: RadialTableSpec,
  powers: readonly number[],
  rowStart: number,
  rowEnd: number,
): Float64Array[] {
  validateRadialSpec(spec);
  const grid = radialTableGrid(spec);
  const { size } = spec;
  const rowLength = radialRowLength(spec);
  const quadrature = new RadialQuadrature(spec.rMin, spec.rMax, powers, TABLE_EPSREL, TABLE_LIMIT);
  const values = new Float64Array(powers.length);
  const out = powers.map(() => new Float64Array((rowEnd - rowStart) * rowLength));
  for (let i = rowStart; i < rowEnd; i++) {
    const p = Math.exp(grid.xMin + i * grid.step);
    const row = (i - rowStart) * rowLength;
    for (let j = 0; j <= size; j++) {
      const b = j === size ? 0 : (2 * p * p) / Math.exp(grid.yMin + j * grid.step);
      quadrature.logG(p, b, values);
      for (let k = 0; k < powers.length; k++) out[k][row + j] = values[k];
    }
  }
  return out;
}

/** The coefficient arrays that define an integrator: plain typed arrays, so they can be shared. */
export interface RadialIntegratorData {
  readonly spec: RadialTableSpec;
  readonly power: number;
  readonly bicubic: Float64Array;
  readonly lastColumn: Float64Array;
  readonly zeroB: Float64Array;
  /** Per table row (x node), the largest log 𝒢 over all y and b = 0: see upperBoundG. */
  readonly rowMax: Float64Array;
}

/** Headroom for interpolation overshoot above the tabulated maxima (table errors are ≲ 10⁻²). */
const BOUND_MARGIN = 0.1;

export class LogRadialIntegrator {
  readonly spec: RadialTableSpec;
  readonly power: number;
  private readonly grid: RadialTableGrid;
  private readonly bicubic: CubicInterp2D;
  private readonly lastColumn: CubicInterp1D;
  private readonly zeroB: CubicInterp1D;
  private readonly rowMax: Float64Array;
  private direct: RadialQuadrature | undefined;
  private readonly directOut = new Float64Array(1);
  /** log ℱ_k(0, b) = log((r_max^{k+1} − r_min^{k+1})/(k+1)). */
  readonly logPZero: number;
  /** How many evaluations fell outside the grid and were integrated directly. */
  directEvaluations = 0;

  private constructor(data: RadialIntegratorData) {
    const { spec, power } = data;
    this.spec = spec;
    this.power = power;
    const grid = radialTableGrid(spec);
    this.grid = grid;
    const n = spec.size;
    const shape = new Float64Array(n);
    this.bicubic = new CubicInterp2D(
      null,
      n,
      n,
      grid.xMin,
      grid.step,
      grid.yMin,
      grid.step,
      data.bicubic,
    );
    this.lastColumn = new CubicInterp1D(shape, grid.xMin, grid.step, data.lastColumn);
    this.zeroB = new CubicInterp1D(shape, grid.xMin, grid.step, data.zeroB);
    this.rowMax = data.rowMax;
    this.logPZero =
      Math.log(spec.rMax ** (power + 1) - spec.rMin ** (power + 1)) - Math.log(power + 1);
  }

  static fromData(data: RadialIntegratorData): LogRadialIntegrator {
    return new LogRadialIntegrator(data);
  }

  /**
   * Interpolation coefficients from the full table (size rows of size + 1, see
   * computeRadialTableRows), in typed arrays from `allocate` (a SharedArrayBuffer-backed
   * allocator lets worker threads use them without a copy).
   */
  static dataFromTable(
    spec: RadialTableSpec,
    power: number,
    table: Float64Array,
    allocate: (length: number) => Float64Array = (length) => new Float64Array(length),
  ): RadialIntegratorData {
    const n = spec.size;
    const rowLength = radialRowLength(spec);
    const grid = radialTableGrid(spec);
    if (table.length !== n * rowLength) {
      throw new Error(`radial table: expected ${n * rowLength} values, got ${table.length}`);
    }
    const square = new Float64Array(n * n);
    const lastColumn = new Float64Array(n);
    const zeroB = new Float64Array(n);
    const rowMax = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      square.set(table.subarray(i * rowLength, i * rowLength + n), i * n);
      lastColumn[i] = table[i * rowLength + n - 1];
      zeroB[i] = table[i * rowLength + n];
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j <= n; j++) max = Math.max(max, table[i * rowLength + j]);
      rowMax[i] = max;
    }
    // The bicubic stencil of a point between rows i and i+1 reaches rows i−1 … i+2.
    const stencilMax = Float64Array.from(rowMax, (_, i) => {
      let max = Number.NEGATIVE_INFINITY;
      for (let r = Math.max(0, i - 2); r <= Math.min(n - 1, i + 2); r++)
        max = Math.max(max, rowMax[r]);
      return max + BOUND_MARGIN;
    });
    const copy = (source: Float64Array): Float64Array => {
      const target = allocate(source.length);
      target.set(source);
      return target;
    };
    return {
      spec,
      power,
      bicubic: copy(CubicInterp2D.computeCoefficients(square, n, n)),
      lastColumn: copy(new CubicInterp1D(lastColumn, grid.xMin, grid.step).coefficients),
      zeroB: copy(new CubicInterp1D(zeroB, grid.xMin, grid.step).coefficients),
      rowMax: copy(stencilMax),
    };
  }

  /**
   * An upper bound B(p) on log 𝒢_k(p, b) over every b whose r₀ = 2p²/b lies on or above the
   * grid (b ≤ bLimit(p)), so that log ℱ_k(p, b) ≤ (b/2p)² + B(p) there. The likelihood uses it to
   * skip time samples whose contribution is provably negligible without evaluating them.
   * Infinity where p is outside the grid (no bound is claimed).
   */
  upperBoundG(logP: number): number {
    const grid = this.grid;
    if (!(logP >= grid.xMin && logP <= grid.xMax)) return Number.POSITIVE_INFINITY;
    const i = Math.min(this.rowMax.length - 1, Math.floor((logP - grid.xMin) / grid.step));
    return this.rowMax[i];
  }

  /** The largest b at which upperBoundG holds: r₀ at the bottom of the grid. */
  bLimit(p: number): number {
    return 2 * p * p * Math.exp(-this.grid.yMin);
  }

  /** log ℱ_k(p, b). */
  evaluate(p: number, b: number): number {
    if (p === 0) return this.logPZero;
    return this.evaluateLog(p, Math.log(p), b);
  }

  /** log ℱ_k(p, b) with log p already known (it is constant across a pixel's time samples). */
  evaluateLog(p: number, logP: number, b: number): number {
    return this.evaluateLogSquared(p, logP, b * b);
  }

  /**
   * log ℱ_k(p, √b2): the likelihood has |Σ conj(z) x|² at hand, and log b = ½ log b² and
   * (b/2p)² = b²/4p² need no square root.
   */
  evaluateLogSquared(p: number, logP: number, b2: number): number {
    const grid = this.grid;
    const y = LN2 + 2 * logP - 0.5 * Math.log(b2);
    if (y >= grid.yMax) {
      // ℱ is analytic in b²: interpolate log ℱ linearly in b² between b = 0 and the last column.
      const atColumn = Math.exp(2 * (logP - grid.yMax)) + this.lastColumn.evaluate(logP);
      const atZero = this.zeroB.evaluate(logP);
      return atZero + Math.exp(2 * (grid.yMax - y)) * (atColumn - atZero);
    }
    const base = (0.25 * b2) / (p * p);
    if (logP >= grid.xMin && y >= grid.yMin) return base + this.bicubic.evaluate(logP, y);
    this.directEvaluations++;
    this.direct ??= new RadialQuadrature(this.spec.rMin, this.spec.rMax, [this.power], 1e-8, 200);
    this.direct.logG(p, Math.sqrt(b2), this.directOut);
    return base + this.directOut[0];
  }
}

/** Builds integrators for several powers in this thread (worker threads split the same work). */
export function buildLogRadialIntegrators(
  spec: RadialTableSpec,
  powers: readonly number[],
): LogRadialIntegrator[] {
  const tables = computeRadialTableRows(spec, powers, 0, spec.size);
  return powers.map((power, k) =>
    LogRadialIntegrator.fromData(LogRadialIntegrator.dataFromTable(spec, power, tables[k])),
  );
}

/**
 * log ℱ_k(p, b) by direct adaptive quadrature, without a table: the reference the table is
 * tested against, and what the table falls back to outside its grid.
 */
export function logRadialIntegral(
  rMin: number,
  rMax: number,
  p: number,
  b: number,
  k: number,
): number {
  if (p === 0) return Math.log(rMax ** (k + 1) - rMin ** (k + 1)) - Math.log(k + 1);
  const out = new Float64Array(1);
  new RadialQuadrature(rMin, rMax, [k], 1e-10, 1000).logG(p, b, out);
  const half = (0.5 * b) / p;
  return half * half + out[0];
}
