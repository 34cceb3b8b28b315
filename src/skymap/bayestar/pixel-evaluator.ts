import { pix2angNest, uniq2nest } from '../healpix/index.js';
import type { ConditionedEvent } from './conditioned-event.js';
import { PixelLikelihood } from './pixel-likelihood.js';
import { LogRadialIntegrator, type RadialIntegratorData } from './radial-integrator.js';

/** Which sum to evaluate: the posterior ('density') or both distance moments ('distance'). */
export type Quantity = 'density' | 'distance';

export interface EvaluationRequest {
  /** NUNIQ indices of the pixels, evaluated at their centres. */
  readonly uniq: Float64Array;
  readonly quantity: Quantity;
  /** Index of a single detector (for the incoherent evidences), or −1 for the whole network. */
  readonly detector: number;
}

/** Right ascension and declination (rad) of the centre of a NUNIQ pixel. */
export function pixelCentre(uniq: number): { ra: number; dec: number } {
  const { order, ipix } = uniq2nest(uniq);
  const { theta, phi } = pix2angNest(2 ** order, ipix);
  return { ra: phi, dec: 0.5 * Math.PI - theta };
}

/**
 * Evaluates batches of pixels in the calling thread: what a worker thread runs, and the whole
 * localization when it runs on one thread.
 */
export class PixelEvaluator {
  private readonly integrators: LogRadialIntegrator[];
  private readonly network: PixelLikelihood;
  private readonly single: PixelLikelihood[];

  constructor(event: ConditionedEvent, tables: readonly RadialIntegratorData[]) {
    this.integrators = tables.map((data) => LogRadialIntegrator.fromData(data));
    this.network = new PixelLikelihood(event);
    this.single = event.detectors.map((_, i) => new PixelLikelihood(event, [i]));
  }

  /**
   * log f at each pixel for 'density'; for 'distance', log(E[r] f) and log(E[r²] f) interleaved
   * (2 values per pixel).
   */
  evaluate(request: EvaluationRequest): Float64Array {
    const likelihood = request.detector < 0 ? this.network : this.single[request.detector];
    if (!likelihood) throw new Error(`no detector with index ${request.detector}`);
    const { uniq } = request;
    if (request.quantity === 'density') {
      const out = new Float64Array(uniq.length);
      for (let i = 0; i < uniq.length; i++) {
        const { ra, dec } = pixelCentre(uniq[i]);
        out[i] = likelihood.evaluate(ra, dec, this.integrators[0]);
      }
      return out;
    }
    const out = new Float64Array(2 * uniq.length);
    const moments = [this.integrators[1], this.integrators[2]];
    const pair = new Float64Array(2);
    for (let i = 0; i < uniq.length; i++) {
      const { ra, dec } = pixelCentre(uniq[i]);
      likelihood.evaluateEach(ra, dec, moments, pair);
      out[2 * i] = pair[0];
      out[2 * i + 1] = pair[1];
    }
    return out;
  }

  /** Evaluations that fell outside the lookup tables and were integrated directly. */
  get directEvaluations(): number {
    return this.integrators.reduce((sum, i) => sum + i.directEvaluations, 0);
  }
}
