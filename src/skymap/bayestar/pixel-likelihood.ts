import { antennaFactor } from './antenna.js';
import type { ConditionedEvent } from './conditioned-event.js';
import { gaussLegendre } from './gauss-legendre.js';
import type { LogRadialIntegrator } from './radial-integrator.js';

/**
 * The BAYESTAR likelihood of one sky position, marginalized over distance, inclination,
 * polarization, arrival time and phase (Singer & Price 2016, spec §1.3):
 *
 *   log f = log Σ_{ψ, cos ι, t} w(cos ι) ℱ_k(p(ψ, ι), b(ψ, ι, t)),
 *
 * 10 polarization angles × 10 Gauss–Legendre nodes in cos ι × the N arrival-time samples.
 * ℱ_k is the distance integral (radial-integrator.ts); k = prior power + moment, so that the
 * moments 1 and 2 give the conditional distance mean and mean square.
 *
 * An evaluation allocates nothing. Terms below e^{−25} of the largest are skipped when a bound
 * proves them so, without evaluating them: log ℱ(p, b) ≤ (b/2p)² + B(p), with B(p) the largest
 * tabulated log 𝒢 near p (radial-integrator.ts), so every sample with b² under one threshold
 * per (ψ, ι) node is negligible. At most 100·N·e^{−25} ≈ 10⁻⁷ of the sum is dropped, less than
 * the table's own interpolation error.
 */

export const POLARIZATION_NODES = 10;
export const INCLINATION_NODES = 10;
/**
 * Turning 2ψ by π negates F e^{−2iψ}, hence z, and leaves p and b = |Σ conj(z) x| unchanged:
 * the nodes 2ψ = 2πk/10 and 2πk/10 + π give identical terms. Only the first half is
 * evaluated, each term counted twice; the sum is the same, at half the cost.
 */
const DISTINCT_POLARIZATIONS = POLARIZATION_NODES / 2;
const NODES = DISTINCT_POLARIZATIONS * INCLINATION_NODES;
/** Terms this many e-folds below the largest may be skipped (when proven so). */
export const DEFAULT_SKIP_BELOW = 25;

export class PixelLikelihood {
  private readonly event: ConditionedEvent;
  private readonly detectors: Int32Array;
  private readonly nSamples: number;
  private readonly cos2Psi = new Float64Array(DISTINCT_POLARIZATIONS);
  private readonly sin2Psi = new Float64Array(DISTINCT_POLARIZATIONS);
  private readonly u = new Float64Array(INCLINATION_NODES);
  private readonly halfOnePlusU2 = new Float64Array(INCLINATION_NODES);
  private readonly logWeight = new Float64Array(INCLINATION_NODES);
  // Scratch, reused by every evaluation.
  private readonly antenna: Float64Array;
  private readonly xr: Float64Array;
  private readonly xi: Float64Array;
  private readonly p1: Float64Array;
  private readonly p2: Float64Array;
  private readonly q1: Float64Array;
  private readonly q2: Float64Array;
  private readonly sumA: Float64Array;
  private readonly sumB: Float64Array;
  private readonly sumC: Float64Array;
  private readonly sumD: Float64Array;
  private readonly b2: Float64Array;
  private readonly nodeP = new Float64Array(NODES);
  private readonly nodeBMax = new Float64Array(NODES);
  private readonly nodeMax = new Float64Array(NODES);

  /**
   * `detectors` restricts the likelihood to a subset (by index into event.detectors), as the
   * single-detector evidences for LOGBCI need; by default all detectors are used. `skipBelow`
   * = Infinity evaluates every term (the reference the skipping is tested against).
   */
  constructor(
    event: ConditionedEvent,
    detectors?: readonly number[],
    private readonly skipBelow = DEFAULT_SKIP_BELOW,
  ) {
    this.event = event;
    const all = event.detectors.map((_, i) => i);
    this.detectors = Int32Array.from(detectors ?? all);
    const n = event.nSamples;
    this.nSamples = n;
    for (let k = 0; k < DISTINCT_POLARIZATIONS; k++) {
      const twoPsi = (2 * Math.PI * k) / POLARIZATION_NODES;
      this.cos2Psi[k] = Math.cos(twoPsi);
      this.sin2Psi[k] = Math.sin(twoPsi);
    }
    const { nodes, weights } = gaussLegendre(INCLINATION_NODES);
    for (let k = 0; k < INCLINATION_NODES; k++) {
      this.u[k] = nodes[k];
      this.halfOnePlusU2[k] = 0.5 * (1 + nodes[k] * nodes[k]);
      // ln 2: each distinct polarization node stands for two (see DISTINCT_POLARIZATIONS).
      this.logWeight[k] = Math.log(weights[k]) + Math.LN2;
    }
    const nd = this.detectors.length;
    this.antenna = new Float64Array(2 * nd);
    this.xr = new Float64Array(nd * n);
    this.xi = new Float64Array(nd * n);
    this.p1 = new Float64Array(n);
    this.p2 = new Float64Array(n);
    this.q1 = new Float64Array(n);
    this.q2 = new Float64Array(n);
    this.sumA = new Float64Array(n);
    this.sumB = new Float64Array(n);
    this.sumC = new Float64Array(n);
    this.sumD = new Float64Array(n);
    this.b2 = new Float64Array(NODES * n);
  }

  /**
   * log Σ w ℱ over all nodes at right ascension `ra` and declination `dec` (rad), with the
   * distance integrals of `integrator`.
   */
  evaluate(ra: number, dec: number, integrator: LogRadialIntegrator): number {
    this.prepare(ra, dec);
    this.project();
    return this.accumulate(integrator);
  }

  /**
   * The same sum for several integrators (e.g. the distance moments) at one sky position:
   * interpolation and projections are shared, only the distance integrals differ.
   */
  evaluateEach(
    ra: number,
    dec: number,
    integrators: readonly LogRadialIntegrator[],
    out: Float64Array,
  ): void {
    this.prepare(ra, dec);
    this.project();
    for (let k = 0; k < integrators.length; k++) out[k] = this.accumulate(integrators[k]);
  }

  /** Antenna factors and the SNR series interpolated onto the arrival-time grid of this sky position. */
  private prepare(ra: number, dec: number): void {
    const ev = this.event;
    const n = this.nSamples;
    const gha = ev.gmst - ra;
    // Unit vector to the source, Earth-fixed.
    const cosDec = Math.cos(dec);
    const nx = cosDec * Math.cos(-gha);
    const ny = cosDec * Math.sin(-gha);
    const nz = Math.sin(dec);
    const half = 0.5 * (n - 1);
    const { xr, xi, antenna } = this;
    for (let d = 0; d < this.detectors.length; d++) {
      const det = this.detectors[d];
      antennaFactor(ev.responses, 9 * det, gha, dec, antenna, 2 * d);
      const horizon = ev.horizons[det];
      antenna[2 * d] *= horizon;
      antenna[2 * d + 1] *= horizon;
      const loc = 3 * det;
      const dt =
        ev.epochs[det] +
        ev.locations[loc] * nx +
        ev.locations[loc + 1] * ny +
        ev.locations[loc + 2] * nz;
      // Sample j of the arrival-time grid, t = (j − half)/f_s, falls at this fractional index.
      const offset = -half - dt * ev.sampleRate;
      const series = det * n;
      const out = d * n;
      for (let j = 0; j < n; j++) {
        const s = j + offset;
        if (!(s >= 1 && s < n - 2)) {
          xr[out + j] = 0;
          xi[out + j] = 0;
          continue;
        }
        const k = Math.floor(s);
        const t = s - k;
        const at = series + k;
        const amp = catmullRom(ev.snrAmplitude, at, t);
        const phase = catmullRom(ev.snrPhase, at, t);
        xr[out + j] = amp * Math.cos(phase);
        xi[out + j] = amp * Math.sin(phase);
      }
    }
    // Per time sample, the four sums from which every (ψ, ι) projection follows.
    const { p1, p2, q1, q2 } = this;
    p1.fill(0);
    p2.fill(0);
    q1.fill(0);
    q2.fill(0);
    for (let d = 0; d < this.detectors.length; d++) {
      const fr = antenna[2 * d];
      const fi = antenna[2 * d + 1];
      const row = d * n;
      for (let j = 0; j < n; j++) {
        const re = xr[row + j];
        const im = xi[row + j];
        p1[j] += fr * re;
        p2[j] += fi * re;
        q1[j] += fr * im;
        q2[j] += fi * im;
      }
    }
  }

  /** p and |Σ conj(z) x|² of every (ψ, ι) node and time sample, and each node's largest b. */
  private project(): void {
    const n = this.nSamples;
    const s2 = this.event.rescale * this.event.rescale;
    const { antenna, p1, p2, q1, q2, sumA, sumB, sumC, sumD, b2, nodeP, nodeBMax } = this;
    const nd = this.detectors.length;
    for (let k = 0; k < DISTINCT_POLARIZATIONS; k++) {
      const c = this.cos2Psi[k];
      const sn = this.sin2Psi[k];
      // G = F e^{−2iψ}: Gr = Fr c + Fi s, Gi = Fi c − Fr s.
      let gr2 = 0;
      let gi2 = 0;
      for (let d = 0; d < nd; d++) {
        const fr = antenna[2 * d];
        const fi = antenna[2 * d + 1];
        const gr = fr * c + fi * sn;
        const gi = fi * c - fr * sn;
        gr2 += gr * gr;
        gi2 += gi * gi;
      }
      for (let j = 0; j < n; j++) {
        sumA[j] = c * p1[j] + sn * p2[j]; // Σ Gr xr
        sumB[j] = c * q2[j] - sn * q1[j]; // Σ Gi xi
        sumC[j] = c * q1[j] + sn * q2[j]; // Σ Gr xi
        sumD[j] = c * p2[j] - sn * p1[j]; // Σ Gi xr
      }
      for (let m = 0; m < INCLINATION_NODES; m++) {
        // z = a Gr − i u Gi; Σ conj(z) x = (a A − u B) + i (a C + u D).
        const a = this.halfOnePlusU2[m];
        const u = this.u[m];
        const node = k * INCLINATION_NODES + m;
        nodeP[node] = Math.sqrt(0.5 * s2 * (a * a * gr2 + u * u * gi2));
        let bMax2 = 0;
        const row = node * n;
        for (let j = 0; j < n; j++) {
          const re = a * sumA[j] - u * sumB[j];
          const im = a * sumC[j] + u * sumD[j];
          const bj2 = re * re + im * im;
          b2[row + j] = bj2;
          if (bj2 > bMax2) bMax2 = bj2;
        }
        nodeBMax[node] = s2 * Math.sqrt(bMax2);
      }
    }
  }

  /** log Σ w ℱ over the projected nodes with one integrator. */
  private accumulate(integrator: LogRadialIntegrator): number {
    const n = this.nSamples;
    const s2 = this.event.rescale * this.event.rescale;
    const { b2, nodeP, nodeBMax, nodeMax } = this;
    // The largest term of each node is at its largest b (ℱ grows with b).
    let best = Number.NEGATIVE_INFINITY;
    for (let node = 0; node < NODES; node++) {
      const value =
        this.logWeight[node % INCLINATION_NODES] + integrator.evaluate(nodeP[node], nodeBMax[node]);
      nodeMax[node] = value;
      if (value > best) best = value;
    }
    const floor = best - this.skipBelow;
    const s4 = s2 * s2;
    let sum = 0;
    for (let node = 0; node < NODES; node++) {
      const top = nodeMax[node];
      if (top < floor) continue;
      const p = nodeP[node];
      const bMax = nodeBMax[node];
      if (p === 0 || bMax === 0) {
        sum += n * Math.exp(top - best);
        continue;
      }
      const logW = this.logWeight[node % INCLINATION_NODES];
      const logP = Math.log(p);
      // Samples with (b/2p)² + B(p) + log w < floor are negligible: a threshold on the stored
      // |Σ conj(z) x|², capped where the bound stops holding.
      const headroom = floor - logW - integrator.upperBoundG(logP);
      let skipBelow = 0;
      if (headroom > 0) {
        const limit = Math.min(2 * p * Math.sqrt(headroom), integrator.bLimit(p));
        skipBelow = (limit * limit) / s4;
      }
      const row = node * n;
      for (let j = 0; j < n; j++) {
        const bj2 = b2[row + j];
        if (bj2 < skipBelow) continue;
        sum += Math.exp(logW + integrator.evaluateLogSquared(p, logP, s4 * bj2) - best);
      }
    }
    return best + Math.log(sum);
  }
}

/** Catmull–Rom interpolation of y[at−1 … at+2] at fraction t between y[at] and y[at+1]. */
function catmullRom(y: Float64Array, at: number, t: number): number {
  const ym1 = y[at - 1];
  const y0 = y[at];
  const y1 = y[at + 1];
  const y2 = y[at + 2];
  return (
    y0 +
    t *
      (0.5 * (y1 - ym1) +
        t * (ym1 - 2.5 * y0 + 2 * y1 - 0.5 * y2 + t * (0.5 * (y2 - ym1) + 1.5 * (y0 - y1))))
  );
}
