/**
 * Multi-order (NUNIQ) sky maps: each row is one HEALPix pixel of its own order, identified by
 * UNIQ = 4·4^order + ipix (NESTED), with a probability density per steradian and, for 3-D maps,
 * the distance ansatz parameters (distance.ts).
 */
import { MAX_SAFE_ORDER, orderToPixelArea, uniqToOrder64 } from './healpix/index.js';
import type { SkyMapMetadata } from './metadata.js';

export interface MultiOrderSkyMap {
  /** NUNIQ pixel indices, exact 64-bit integers as in the file. */
  uniq: BigInt64Array;
  /** Probability per steradian. */
  probdensity: Float64Array;
  /** Distance ansatz location (Mpc), scale (Mpc) and normalisation (Mpc⁻²); all or none. */
  distmu?: Float64Array;
  distsigma?: Float64Array;
  distnorm?: Float64Array;
  meta: SkyMapMetadata;
}

export class SkyMapError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'SkyMapError';
  }
}

export function hasDistance(map: MultiOrderSkyMap): map is MultiOrderSkyMap & {
  distmu: Float64Array;
  distsigma: Float64Array;
  distnorm: Float64Array;
} {
  return map.distmu !== undefined && map.distsigma !== undefined && map.distnorm !== undefined;
}

/** Order of every pixel. */
export function pixelOrders(map: MultiOrderSkyMap): Uint8Array {
  const out = new Uint8Array(map.uniq.length);
  for (let i = 0; i < out.length; i++) out[i] = uniqToOrder64(map.uniq[i]);
  return out;
}

/** Area of every pixel in steradians. */
export function pixelAreas(map: MultiOrderSkyMap): Float64Array {
  const orders = pixelOrders(map);
  const areaOf = Array.from({ length: 30 }, (_, o) => orderToPixelArea(o));
  const out = new Float64Array(orders.length);
  for (let i = 0; i < out.length; i++) out[i] = areaOf[orders[i]];
  return out;
}

/** Probability in every pixel (density × area). */
export function pixelProbabilities(map: MultiOrderSkyMap): Float64Array {
  const areas = pixelAreas(map);
  const out = new Float64Array(areas.length);
  for (let i = 0; i < out.length; i++) out[i] = map.probdensity[i] * areas[i];
  return out;
}

export function maxOrder(map: MultiOrderSkyMap): number {
  let max = 0;
  for (const o of pixelOrders(map)) if (o > max) max = o;
  return max;
}

/**
 * Checks the structure of a map: consistent column lengths, valid UNIQ values, no pixel that
 * overlaps another, finite non-negative densities. Returns the fraction of the sky covered.
 */
export function validateSkyMap(map: MultiOrderSkyMap, source = 'sky map'): number {
  const n = map.uniq.length;
  const fail = (msg: string): never => {
    throw new SkyMapError(source, msg);
  };
  if (map.probdensity.length !== n)
    fail(`PROBDENSITY has ${map.probdensity.length} rows, UNIQ ${n}`);
  const dist = [map.distmu, map.distsigma, map.distnorm];
  const present = dist.filter((d) => d !== undefined).length;
  if (present !== 0 && present !== 3) fail('distance columns must be all present or all absent');
  for (const [name, d] of [
    ['DISTMU', map.distmu],
    ['DISTSIGMA', map.distsigma],
    ['DISTNORM', map.distnorm],
  ] as const) {
    if (d && d.length !== n) fail(`${name} has ${d.length} rows, UNIQ ${n}`);
  }
  let order = 0;
  const orders = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    try {
      orders[i] = uniqToOrder64(map.uniq[i]);
    } catch (err) {
      fail(`row ${i}: ${(err as Error).message}`);
    }
    if (orders[i] > order) order = orders[i];
    const p = map.probdensity[i];
    if (!(p >= 0) || !Number.isFinite(p))
      fail(`row ${i} (UNIQ ${map.uniq[i]}): PROBDENSITY ${p} is not a finite value ≥ 0`);
  }
  // Overlap check on [start, end) ranges at the deepest order (bigint: order may exceed 24).
  const ranges = new Array<[bigint, bigint]>(n);
  for (let i = 0; i < n; i++) {
    const shift = BigInt(2 * (order - orders[i]));
    const ipix = map.uniq[i] - (4n << BigInt(2 * orders[i]));
    ranges[i] = [ipix << shift, (ipix + 1n) << shift];
  }
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let covered = 0n;
  for (let i = 0; i < n; i++) {
    if (i > 0 && ranges[i][0] < ranges[i - 1][1]) {
      fail(
        `pixels overlap (NESTED ranges at order ${order} starting at ${ranges[i - 1][0]} and ${ranges[i][0]})`,
      );
    }
    covered += ranges[i][1] - ranges[i][0];
  }
  return Number(covered) / (12 * 4 ** order);
}

/** A copy of the map with rows sorted by UNIQ, the order BAYESTAR writes. */
export function sortByUniq(map: MultiOrderSkyMap): MultiOrderSkyMap {
  const index = Array.from(map.uniq.keys()).sort((a, b) =>
    map.uniq[a] < map.uniq[b] ? -1 : map.uniq[a] > map.uniq[b] ? 1 : 0,
  );
  const pick = (d: Float64Array) => Float64Array.from(index, (i) => d[i]);
  return {
    uniq: BigInt64Array.from(index, (i) => map.uniq[i]),
    probdensity: pick(map.probdensity),
    ...(hasDistance(map)
      ? { distmu: pick(map.distmu), distsigma: pick(map.distsigma), distnorm: pick(map.distnorm) }
      : {}),
    meta: map.meta,
  };
}

/** Throws unless every pixel's order allows exact number arithmetic on its index. */
export function requireSafeOrders(map: MultiOrderSkyMap, what: string): number {
  const order = maxOrder(map);
  if (order > MAX_SAFE_ORDER) {
    throw new RangeError(
      `${what} supports maps up to order ${MAX_SAFE_ORDER}; this map reaches order ${order}`,
    );
  }
  return order;
}
