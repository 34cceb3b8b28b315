import { performance } from 'node:perf_hooks';
import { momentsToParameters } from '../distance.js';
import { orderToPixelArea, uniqToOrder } from '../healpix/index.js';
import { FINAL_PIXELS, INITIAL_ORDER, rankByProbability, refineMesh } from './adaptive-mesh.js';
import type { CoincEvent } from './coinc-event.js';
import { type ConditioningReport, type ConditionOptions, condition } from './conditioning.js';
import { InlineEngine, type LocalizationEngine } from './localization-engine.js';
import { POLARIZATION_NODES } from './pixel-likelihood.js';
import {
  LogRadialIntegrator,
  type RadialIntegratorData,
  type RadialTableSpec,
} from './radial-integrator.js';

/**
 * BAYESTAR rapid localization: from a coincidence's triggers, PSDs and SNR series to a
 * multi-resolution sky map with distance information (Singer & Price 2016; spec §1).
 */

export interface LocalizeOptions extends ConditionOptions {
  /** Where tables and pixels are computed (default: this thread). */
  readonly engine?: LocalizationEngine;
  /** Nodes per axis of the distance tables (default 400). */
  readonly tableSize?: number;
}

export interface SkyMapMetadata {
  readonly objectId?: string;
  readonly instruments: readonly string[];
  /** GPS time of the event (the timing-weighted mean arrival time): seconds and fraction. */
  readonly gpsSeconds: number;
  readonly gpsFraction: number;
  /** Probability-weighted posterior mean and standard deviation of distance, Mpc. */
  readonly distMean: number;
  readonly distStd: number;
  /** Log Bayes factors: coherent vs. incoherent, signal vs. noise. */
  readonly logBci: number;
  readonly logBsn: number;
  /** Wall-clock seconds the localization took. */
  readonly runtime: number;
  /** Where the time went, s: conditioning, distance tables, adaptive mesh, distance moments, evidences. */
  readonly timings: {
    readonly condition: number;
    readonly tables: number;
    readonly mesh: number;
    readonly distance: number;
    readonly evidence: number;
  };
  readonly conditioning: Omit<ConditioningReport, 'event'>;
  /** The options that shaped the result, for the file's HISTORY. */
  readonly settings: {
    readonly fLow: number;
    readonly rescale: number;
    readonly distancePower: number;
    readonly minDistance: number;
    readonly maxDistance: number;
    readonly sampleRate: number;
    readonly nSamples: number;
    readonly threads: number;
  };
}

/** A BAYESTAR multi-order sky map: 19,200 pixels sorted by NUNIQ. */
export interface BayestarSkyMap {
  readonly uniq: Float64Array;
  /** Posterior probability density, sr⁻¹. */
  readonly probDensity: Float64Array;
  /** Distance ansatz parameters (DISTMU, DISTSIGMA in Mpc, DISTNORM in Mpc⁻²). */
  readonly distMu: Float64Array;
  readonly distSigma: Float64Array;
  readonly distNorm: Float64Array;
  readonly meta: SkyMapMetadata;
}

const TABLE_ALPHA = 4;

export async function localize(
  coinc: CoincEvent,
  options: LocalizeOptions = {},
): Promise<BayestarSkyMap> {
  const started = performance.now();
  const engine = options.engine ?? new InlineEngine();
  const ownEngine = options.engine === undefined;
  try {
    let lap = started;
    const elapsed = (): number => {
      const now = performance.now();
      const seconds = (now - lap) / 1000;
      lap = now;
      return seconds;
    };
    const report = condition(coinc, options);
    const conditionTime = elapsed();
    const event = report.event;
    const { rMin, rMax, distancePower, rescale, horizons } = event;
    let sumHorizon2 = 0;
    for (const h of horizons) sumHorizon2 += h * h;
    const spec: RadialTableSpec = {
      rMin,
      rMax,
      pMax: rescale * Math.sqrt(0.5 * sumHorizon2),
      size: options.tableSize ?? 400,
      alpha: TABLE_ALPHA,
    };
    const powers = [distancePower, distancePower + 1, distancePower + 2];
    const rows = await engine.tableRows(spec, powers);
    const tables: RadialIntegratorData[] = powers.map((power, k) =>
      LogRadialIntegrator.dataFromTable(spec, power, rows[k], sharedFloat64Array),
    );
    await engine.prepare(event, tables);
    const tablesTime = elapsed();

    const mesh = await refineMesh((uniq) =>
      engine.evaluate({ uniq, quantity: 'density', detector: -1 }),
    );
    const { uniq, logDensity } = mesh;
    const meshTime = elapsed();
    // log(E[r] f) and log(E[r²] f), interleaved.
    const logMoments = await engine.evaluate({ uniq, quantity: 'distance', detector: -1 });
    const distanceTime = elapsed();

    // Normalization, summed from the most probable pixel down so that small terms are added last.
    const ranked = rankByProbability(uniq, logDensity);
    const top = logDensity[ranked[0]];
    let norm = 0;
    for (let k = 0; k < ranked.length; k++) {
      const i = ranked[k];
      const term = Math.exp(logDensity[i] - top) * orderToPixelArea(uniqToOrder(uniq[i]));
      if (term === 0) break;
      norm += term;
    }
    const integrator = LogRadialIntegrator.fromData(tables[0]);
    const logNorm =
      -Math.log(2 * 2 * Math.PI * 4 * Math.PI * POLARIZATION_NODES * event.nSamples) -
      integrator.logPZero;
    const logEvidence = Math.log(norm) + top + logNorm;

    // Single-detector evidences on the initial grid, for the coherence test.
    let logIncoherent = 0;
    const initialUniq = Float64Array.from(
      { length: 12 * 4 ** INITIAL_ORDER },
      (_, i) => 4 * 4 ** INITIAL_ORDER + i,
    );
    const initialArea = orderToPixelArea(INITIAL_ORDER);
    for (let d = 0; d < event.detectors.length; d++) {
      const values = await engine.evaluate({ uniq: initialUniq, quantity: 'density', detector: d });
      logIncoherent += logSumExp(values) + Math.log(initialArea) + logNorm;
    }

    const evidenceTime = elapsed();

    // Pixel values in NUNIQ order.
    const order = Int32Array.from({ length: FINAL_PIXELS }, (_, i) => i).sort(
      (a, b) => uniq[a] - uniq[b],
    );
    const out = {
      uniq: new Float64Array(FINAL_PIXELS),
      probDensity: new Float64Array(FINAL_PIXELS),
      distMu: new Float64Array(FINAL_PIXELS),
      distSigma: new Float64Array(FINAL_PIXELS),
      distNorm: new Float64Array(FINAL_PIXELS),
    };
    let weight = 0;
    let sumMean = 0;
    let sumSecond = 0;
    for (let k = 0; k < FINAL_PIXELS; k++) {
      const i = order[k];
      const density = Math.exp(logDensity[i] - top) / norm;
      let mean = Math.exp(logMoments[2 * i] - logDensity[i]);
      const variance = Math.exp(logMoments[2 * i + 1] - logDensity[i]) - mean * mean;
      let std = Math.sqrt(variance);
      if (!(variance >= 0) || !Number.isFinite(mean)) {
        mean = Number.POSITIVE_INFINITY;
        std = 1;
      } else {
        // Header moments come from the raw per-pixel moments, before the ansatz (spec §1.6).
        const probability = density * orderToPixelArea(uniqToOrder(uniq[i]));
        weight += probability;
        sumMean += probability * mean;
        sumSecond += probability * (std * std + mean * mean);
      }
      const parameters = momentsToParameters(mean, std);
      out.uniq[k] = uniq[i];
      out.probDensity[k] = density;
      out.distMu[k] = parameters.mu;
      out.distSigma[k] = parameters.sigma;
      out.distNorm[k] = parameters.norm;
    }
    const distMean = sumMean / weight;
    const distStd = Math.sqrt(Math.max(0, sumSecond / weight - distMean * distMean));
    const { event: _event, ...conditioning } = report;
    return {
      ...out,
      meta: {
        objectId: coinc.id,
        instruments: event.detectors,
        gpsSeconds: event.epochSeconds,
        gpsFraction: event.epochFraction,
        distMean,
        distStd,
        logBci: logEvidence - logIncoherent,
        logBsn: logEvidence,
        runtime: (performance.now() - started) / 1000,
        timings: {
          condition: conditionTime,
          tables: tablesTime,
          mesh: meshTime,
          distance: distanceTime,
          evidence: evidenceTime,
        },
        conditioning,
        settings: {
          fLow: options.fLow ?? 15,
          rescale,
          distancePower,
          minDistance: rMin,
          maxDistance: rMax,
          sampleRate: event.sampleRate,
          nSamples: event.nSamples,
          threads: engine.threads,
        },
      },
    };
  } finally {
    if (ownEngine) await engine.close();
  }
}

function logSumExp(values: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** Float64Array backed by shared memory, so that worker threads read tables without a copy. */
function sharedFloat64Array(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * length));
}
