/**
 * Cubic convolution interpolation (Keys 1981 with a = −½, i.e. Catmull–Rom) on uniform grids,
 * in one and two dimensions. Coordinates are clamped to the grid, so that any input, however
 * far out, gives a finite answer. The missing neighbour of an edge cell comes from Keys'
 * boundary condition f₋₁ = 3f₀ − 3f₁ + f₂, which keeps the third-order accuracy up to the edge;
 * replicating the edge value instead flattens the curve there and costs ~slope·step/8, which
 * matters because the likelihood's best pixels sit at the table's largest p.
 *
 * The polynomial coefficients of every cell are computed once; an evaluation is then a cell
 * lookup and a Horner scheme, with no branches on the data.
 */

/** Catmull–Rom coefficients (c0 … c3 of c0 + c1 t + c2 t² + c3 t³) from four samples. */
function catmullRom(
  fm1: number,
  f0: number,
  f1: number,
  f2: number,
  out: Float64Array,
  at: number,
) {
  out[at] = f0;
  out[at + 1] = 0.5 * (f1 - fm1);
  out[at + 2] = fm1 - 2.5 * f0 + 2 * f1 - 0.5 * f2;
  out[at + 3] = 0.5 * (f2 - fm1) + 1.5 * (f0 - f1);
}

/** Sample i of f, with Keys' extrapolation one step beyond either end (n ≥ 3). */
function sample(values: ArrayLike<number>, offset: number, stride: number, n: number, i: number) {
  if (i < 0) {
    return 3 * values[offset] - 3 * values[offset + stride] + values[offset + 2 * stride];
  }
  if (i >= n) {
    const last = offset + (n - 1) * stride;
    return 3 * values[last] - 3 * values[last - stride] + values[last - 2 * stride];
  }
  return values[offset + i * stride];
}

function requireFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`${what}: sample ${i} is not finite (${values[i]})`);
    }
  }
}

export class CubicInterp1D {
  readonly coefficients: Float64Array;
  private readonly cells: number;
  private readonly origin: number;
  private readonly inverseStep: number;

  /** Samples f(origin + i·step), i = 0 … n−1, n ≥ 2. */
  constructor(
    values: ArrayLike<number>,
    origin: number,
    step: number,
    coefficients?: Float64Array,
  ) {
    const n = values.length;
    if (n < 3) throw new Error('cubic interpolation needs at least three samples');
    this.cells = n - 1;
    this.origin = origin;
    this.inverseStep = 1 / step;
    if (coefficients) {
      this.coefficients = coefficients;
      return;
    }
    requireFinite(values, 'cubic interpolation');
    this.coefficients = new Float64Array(4 * this.cells);
    for (let i = 0; i < this.cells; i++) {
      catmullRom(
        sample(values, 0, 1, n, i - 1),
        values[i],
        values[i + 1],
        sample(values, 0, 1, n, i + 2),
        this.coefficients,
        4 * i,
      );
    }
  }

  evaluate(x: number): number {
    let s = (x - this.origin) * this.inverseStep;
    // NaN falls through both comparisons and ends up at the first cell.
    if (!(s > 0)) s = 0;
    else if (s > this.cells) s = this.cells;
    let i = Math.floor(s);
    if (i >= this.cells) i = this.cells - 1;
    const t = s - i;
    const c = this.coefficients;
    const at = 4 * i;
    return c[at] + t * (c[at + 1] + t * (c[at + 2] + t * c[at + 3]));
  }
}

export class CubicInterp2D {
  readonly coefficients: Float64Array;
  private readonly cellsS: number;
  private readonly cellsT: number;
  private readonly originS: number;
  private readonly originT: number;
  private readonly inverseStepS: number;
  private readonly inverseStepT: number;

  /**
   * Samples f(originS + i·stepS, originT + j·stepT) stored row-major at values[i·nt + j].
   * `coefficients` rebuilds an interpolant from another one's (e.g. in a worker thread).
   */
  constructor(
    values: ArrayLike<number> | null,
    ns: number,
    nt: number,
    originS: number,
    stepS: number,
    originT: number,
    stepT: number,
    coefficients?: Float64Array,
  ) {
    if (ns < 3 || nt < 3) throw new Error('bicubic interpolation needs at least 3×3 samples');
    this.cellsS = ns - 1;
    this.cellsT = nt - 1;
    this.originS = originS;
    this.originT = originT;
    this.inverseStepS = 1 / stepS;
    this.inverseStepT = 1 / stepT;
    if (coefficients) {
      this.coefficients = coefficients;
      return;
    }
    if (!values || values.length !== ns * nt) {
      throw new Error(`bicubic interpolation: expected ${ns}×${nt} samples`);
    }
    requireFinite(values, 'bicubic interpolation');
    this.coefficients = CubicInterp2D.computeCoefficients(values, ns, nt);
  }

  /** 16 coefficients C[a·4 + b] of Σ s^a t^b per cell, cells row-major. */
  static computeCoefficients(values: ArrayLike<number>, ns: number, nt: number): Float64Array {
    const cellsS = ns - 1;
    const cellsT = nt - 1;
    const out = new Float64Array(16 * cellsS * cellsT);
    const rows = new Float64Array(16); // t-coefficients of the four rows around the cell
    const column = new Float64Array(4);
    const extended = new Float64Array(4 * nt); // rows i−1 … i+2, extrapolated where needed
    for (let i = 0; i < cellsS; i++) {
      for (let r = 0; r < 4; r++) {
        for (let j = 0; j < nt; j++) extended[r * nt + j] = sample(values, j, nt, ns, i - 1 + r);
      }
      for (let j = 0; j < cellsT; j++) {
        for (let r = 0; r < 4; r++) {
          const row = r * nt;
          catmullRom(
            sample(extended, row, 1, nt, j - 1),
            extended[row + j],
            extended[row + j + 1],
            sample(extended, row, 1, nt, j + 2),
            rows,
            4 * r,
          );
        }
        const at = 16 * (i * cellsT + j);
        for (let b = 0; b < 4; b++) {
          catmullRom(rows[b], rows[4 + b], rows[8 + b], rows[12 + b], column, 0);
          for (let a = 0; a < 4; a++) out[at + 4 * a + b] = column[a];
        }
      }
    }
    return out;
  }

  evaluate(x: number, y: number): number {
    let s = (x - this.originS) * this.inverseStepS;
    let t = (y - this.originT) * this.inverseStepT;
    if (!(s > 0)) s = 0;
    else if (s > this.cellsS) s = this.cellsS;
    if (!(t > 0)) t = 0;
    else if (t > this.cellsT) t = this.cellsT;
    let i = Math.floor(s);
    if (i >= this.cellsS) i = this.cellsS - 1;
    let j = Math.floor(t);
    if (j >= this.cellsT) j = this.cellsT - 1;
    s -= i;
    t -= j;
    const c = this.coefficients;
    const at = 16 * (i * this.cellsT + j);
    const r0 = c[at] + t * (c[at + 1] + t * (c[at + 2] + t * c[at + 3]));
    const r1 = c[at + 4] + t * (c[at + 5] + t * (c[at + 6] + t * c[at + 7]));
    const r2 = c[at + 8] + t * (c[at + 9] + t * (c[at + 10] + t * c[at + 11]));
    const r3 = c[at + 12] + t * (c[at + 13] + t * (c[at + 14] + t * c[at + 15]));
    return r0 + s * (r1 + s * (r2 + s * r3));
  }
}
