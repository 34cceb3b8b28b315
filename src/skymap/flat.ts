/**
 * Flat (single-resolution) sky maps, NESTED or RING, and the conversions to and from
 * multi-order maps (science-spec §2.2).
 */
import { momentsToParameters, parametersToMoments } from './distance.js';
import {
  MAX_SAFE_ORDER,
  nest2ring,
  nsideToOrder,
  orderToPixelArea,
  ring2nest,
  uniqToOrder,
} from './healpix/index.js';
import type { SkyMapMetadata } from './metadata.js';
import { hasDistance, type MultiOrderSkyMap, requireSafeOrders } from './multiorder.js';

export interface FlatSkyMap {
  nside: number;
  /** true: arrays in NESTED order; false: RING order. */
  nest: boolean;
  /** Probability per pixel (sums to 1 over the sky). */
  prob: Float64Array;
  distmu?: Float64Array;
  distsigma?: Float64Array;
  distnorm?: Float64Array;
  meta: SkyMapMetadata;
}

function permute(d: Float64Array, target: (i: number) => number): Float64Array {
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[target(i)] = d[i];
  return out;
}

/** The same map with its arrays in NESTED (nest = true) or RING order. */
export function reorder(map: FlatSkyMap, nest: boolean): FlatSkyMap {
  if (map.nest === nest) return map;
  const nside = map.nside;
  const target = nest ? (i: number) => ring2nest(nside, i) : (i: number) => nest2ring(nside, i);
  return {
    ...map,
    nest,
    prob: permute(map.prob, target),
    ...(map.distmu ? { distmu: permute(map.distmu, target) } : {}),
    ...(map.distsigma ? { distsigma: permute(map.distsigma, target) } : {}),
    ...(map.distnorm ? { distnorm: permute(map.distnorm, target) } : {}),
  };
}

/**
 * Resamples a multi-order map onto one order (NESTED). Pixels finer than the target are merged:
 * probability adds up, and distance is averaged through the probability-weighted first and
 * second moments, converted back to ansatz parameters. Pixels coarser than the target are
 * split, each child keeping the density (so its probability is density × child area) and the
 * distance parameters. Total probability is conserved either way.
 */
export function flatten(map: MultiOrderSkyMap, order: number): FlatSkyMap {
  requireSafeOrders(map, 'flatten');
  if (!Number.isInteger(order) || order < 0 || order > Math.min(MAX_SAFE_ORDER, 13)) {
    throw new RangeError(`flatten order ${order} must be an integer in 0..13 (nside up to 8192)`);
  }
  const nside = 2 ** order;
  const npix = 12 * nside * nside;
  const area = orderToPixelArea(order);
  const prob = new Float64Array(npix);
  const withDistance = hasDistance(map);
  const m1 = withDistance ? new Float64Array(npix) : undefined; // Σ P·mean
  const m2 = withDistance ? new Float64Array(npix) : undefined; // Σ P·(std² + mean²)
  const wDist = withDistance ? new Float64Array(npix) : undefined; // Σ P over pixels with distance
  const distmu = withDistance ? new Float64Array(npix) : undefined;
  const distsigma = withDistance ? new Float64Array(npix) : undefined;
  const distnorm = withDistance ? new Float64Array(npix) : undefined;
  let finer = false;
  for (let i = 0; i < map.uniq.length; i++) {
    const u = Number(map.uniq[i]);
    const o = uniqToOrder(u);
    const ipix = u - 4 * 4 ** o;
    const density = map.probdensity[i];
    if (o <= order) {
      const span = 4 ** (order - o);
      const start = ipix * span;
      const p = density * area;
      for (let k = start; k < start + span; k++) prob[k] = p;
      if (withDistance) {
        const mu = map.distmu[i];
        const sigma = map.distsigma[i];
        const norm = map.distnorm[i];
        for (let k = start; k < start + span; k++) {
          distmu![k] = mu;
          distsigma![k] = sigma;
          distnorm![k] = norm;
        }
      }
    } else {
      finer = true;
      const k = Math.floor(ipix / 4 ** (o - order));
      const p = density * orderToPixelArea(o);
      prob[k] += p;
      if (withDistance) {
        const { mean, std } = parametersToMoments(map.distmu[i], map.distsigma[i]);
        if (Number.isFinite(mean) && Number.isFinite(std)) {
          m1![k] += p * mean;
          m2![k] += p * (std * std + mean * mean);
          wDist![k] += p;
        }
      }
    }
  }
  if (finer && withDistance) {
    // Only pixels that received finer children need their distance recomputed.
    for (let i = 0; i < map.uniq.length; i++) {
      const u = Number(map.uniq[i]);
      const o = uniqToOrder(u);
      if (o <= order) continue;
      const k = Math.floor((u - 4 * 4 ** o) / 4 ** (o - order));
      if (wDist![k] < 0) continue; // already done
      const w = wDist![k];
      const mean = w > 0 ? m1![k] / w : Number.NaN;
      const std = w > 0 ? Math.sqrt(Math.max(0, m2![k] / w - mean * mean)) : Number.NaN;
      const p = momentsToParameters(mean, std);
      distmu![k] = p.mu;
      distsigma![k] = p.sigma;
      distnorm![k] = p.norm;
      wDist![k] = -1;
    }
  }
  return {
    nside,
    nest: true,
    prob,
    ...(withDistance ? { distmu, distsigma, distnorm } : {}),
    meta: map.meta,
  };
}

/**
 * The multi-order form of a flat map: runs of four NESTED siblings with identical values in
 * every column merge into their parent, recursively. The result is sorted by UNIQ.
 */
export function unflatten(input: FlatSkyMap): MultiOrderSkyMap {
  const map = reorder(input, true);
  const order = nsideToOrder(map.nside);
  if (order > MAX_SAFE_ORDER)
    throw new RangeError(`unflatten supports nside up to 2^${MAX_SAFE_ORDER}`);
  const columns = [map.prob, map.distmu, map.distsigma, map.distnorm].filter(
    (c): c is Float64Array => c !== undefined,
  );
  // Work on probability density so that merged pixels keep comparable values.
  const density = map.prob.map((p) => p / orderToPixelArea(order));
  const cols = [density, ...columns.slice(1)];
  // Level by level: `alive` holds indices (at this order) still unmerged at the finest level.
  const rows: { order: number; ipix: number; values: number[] }[] = [];
  let level = cols.map((c) => Float64Array.from(c));
  let valid = new Uint8Array(level[0].length).fill(1);
  for (let o = order; o >= 0; o--) {
    const n = level[0].length;
    if (o === 0) {
      for (let i = 0; i < n; i++)
        if (valid[i]) rows.push({ order: 0, ipix: i, values: level.map((c) => c[i]) });
      break;
    }
    const parents = n / 4;
    const nextLevel = level.map(() => new Float64Array(parents));
    const nextValid = new Uint8Array(parents);
    for (let p = 0; p < parents; p++) {
      const c = 4 * p;
      let same = valid[c] === 1 && valid[c + 1] === 1 && valid[c + 2] === 1 && valid[c + 3] === 1;
      for (const col of level) {
        if (!same) break;
        same =
          sameValue(col[c], col[c + 1]) &&
          sameValue(col[c], col[c + 2]) &&
          sameValue(col[c], col[c + 3]);
      }
      if (same) {
        nextValid[p] = 1;
        level.forEach((col, j) => {
          nextLevel[j][p] = col[c];
        });
      } else {
        for (let k = 0; k < 4; k++) {
          if (valid[c + k])
            rows.push({ order: o, ipix: c + k, values: level.map((col) => col[c + k]) });
        }
      }
    }
    level = nextLevel;
    valid = nextValid;
  }
  const uniq = rows.map((r) => 4 * 4 ** r.order + r.ipix);
  const index = Array.from(uniq.keys()).sort((a, b) => uniq[a] - uniq[b]);
  const column = (j: number) => Float64Array.from(index, (i) => rows[i].values[j]);
  return {
    uniq: BigInt64Array.from(index, (i) => BigInt(uniq[i])),
    probdensity: column(0),
    ...(cols.length === 4 ? { distmu: column(1), distsigma: column(2), distnorm: column(3) } : {}),
    meta: map.meta,
  };
}

/** Equality that treats NaN as equal to NaN (and +0 as −0), as a merge of identical pixels needs. */
function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
