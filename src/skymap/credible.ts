/**
 * Credible regions (science-spec §4, after ligo.skymap's postprocess.crossmatch): pixels sorted
 * by probability density, highest first, accumulate probability and area; the area of the c
 * credible region is the cumulative area interpolated linearly at cumulative probability c,
 * starting from (0, 0). Searched area and probability of a position are the cumulative values
 * at the pixel containing it.
 */
import {
  angToRadec,
  pix2angNest,
  steradiansToSquareDegrees,
  uniqToOrder64,
} from './healpix/index.js';
import { PixelLookup } from './lookup.js';
import { type MultiOrderSkyMap, pixelAreas } from './multiorder.js';

export interface GreedyRegion {
  /** Row indices from the highest density to the lowest (ties by UNIQ, so reruns agree). */
  rank: Int32Array;
  /** Cumulative probability after each ranked pixel, normalised to the map's total. */
  cumulativeProbability: Float64Array;
  /** Cumulative area after each ranked pixel, in square degrees. */
  cumulativeArea: Float64Array;
  /** Total probability of the map before normalisation (1 for a well-formed map). */
  totalProbability: number;
}

export function greedyRegion(map: MultiOrderSkyMap): GreedyRegion {
  const n = map.uniq.length;
  const areas = pixelAreas(map);
  const d = map.probdensity;
  const rank = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => d[b] - d[a] || (map.uniq[a] < map.uniq[b] ? -1 : map.uniq[a] > map.uniq[b] ? 1 : 0),
  );
  const cumulativeProbability = new Float64Array(n);
  const cumulativeArea = new Float64Array(n);
  let p = 0;
  let a = 0;
  for (let k = 0; k < n; k++) {
    const i = rank[k];
    p += d[i] * areas[i];
    a += areas[i];
    cumulativeProbability[k] = p;
    cumulativeArea[k] = steradiansToSquareDegrees(a);
  }
  if (p > 0) for (let k = 0; k < n; k++) cumulativeProbability[k] /= p;
  return { rank, cumulativeProbability, cumulativeArea, totalProbability: p };
}

/** Area (deg²) of the smallest region holding probability c, by linear interpolation. */
export function areaAtProbability(region: GreedyRegion, c: number): number {
  if (!(c >= 0 && c <= 1)) throw new RangeError(`credible level ${c} is outside [0, 1]`);
  const cp = region.cumulativeProbability;
  const ca = region.cumulativeArea;
  if (cp.length === 0) return 0;
  // First k with cp[k] >= c.
  let lo = 0;
  let hi = cp.length - 1;
  if (cp[hi] < c) return ca[hi];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cp[mid] >= c) hi = mid;
    else lo = mid + 1;
  }
  const p0 = lo === 0 ? 0 : cp[lo - 1];
  const a0 = lo === 0 ? 0 : ca[lo - 1];
  const p1 = cp[lo];
  const a1 = ca[lo];
  return p1 === p0 ? a1 : a0 + ((c - p0) * (a1 - a0)) / (p1 - p0);
}

/** Areas (deg²) of the credible regions at each level, e.g. [0.5, 0.9]. */
export function credibleAreas(
  map: MultiOrderSkyMap,
  levels: readonly number[] = [0.5, 0.9],
): number[] {
  const region = greedyRegion(map);
  return levels.map((c) => areaAtProbability(region, c));
}

/**
 * The greedy credible level of every row: the cumulative probability of the region that
 * first includes it. A pixel lies inside the c credible region when its level is ≤ c.
 */
export function credibleLevels(map: MultiOrderSkyMap): Float64Array {
  const region = greedyRegion(map);
  const out = new Float64Array(map.uniq.length);
  region.rank.forEach((row, k) => {
    out[row] = region.cumulativeProbability[k];
  });
  return out;
}

export interface SearchedResult {
  /** Area (deg²) of the greedy region that first reaches the position's pixel. */
  searchedArea: number;
  /** Probability of that region: the credible level of the position. */
  searchedProbability: number;
  /** Probability density (sr⁻¹) at the position. */
  probdensity: number;
  /** Angle (degrees) between the position and the most probable pixel. */
  offset: number;
}

/** Searched area and probability of a position (ra, dec in radians). */
export function searched(map: MultiOrderSkyMap, ra: number, dec: number): SearchedResult {
  if (!Number.isFinite(ra) || !(dec >= -Math.PI / 2 && dec <= Math.PI / 2)) {
    throw new RangeError(`position (ra ${ra}, dec ${dec}) is not a valid direction in radians`);
  }
  const row = new PixelLookup(map).rowAtRadec(ra, dec);
  const mode = mostProbablePosition(map);
  const offset =
    (Math.acos(
      Math.min(
        1,
        Math.sin(dec) * Math.sin(mode.dec) +
          Math.cos(dec) * Math.cos(mode.dec) * Math.cos(ra - mode.ra),
      ),
    ) *
      180) /
    Math.PI;
  if (row < 0) {
    // Outside the map's coverage: the whole map must be searched first.
    const region = greedyRegion(map);
    const last = region.cumulativeArea.length - 1;
    return {
      searchedArea: last < 0 ? 0 : region.cumulativeArea[last],
      searchedProbability: 1,
      probdensity: 0,
      offset,
    };
  }
  const region = greedyRegion(map);
  const k = region.rank.indexOf(row);
  return {
    searchedArea: region.cumulativeArea[k],
    searchedProbability: region.cumulativeProbability[k],
    probdensity: map.probdensity[row],
    offset,
  };
}

/** Centre of the pixel with the highest probability density (radians). */
export function mostProbablePosition(map: MultiOrderSkyMap): { ra: number; dec: number } {
  if (map.uniq.length === 0) throw new RangeError('an empty sky map has no most probable position');
  let best = 0;
  for (let i = 1; i < map.uniq.length; i++) {
    const d = map.probdensity[i];
    if (d > map.probdensity[best] || (d === map.probdensity[best] && map.uniq[i] < map.uniq[best]))
      best = i;
  }
  const u = map.uniq[best];
  const order = uniqToOrder64(u);
  const ipix = Number(u - (4n << BigInt(2 * order)));
  const { theta, phi } = pix2angNest(2 ** order, ipix);
  return angToRadec(theta, phi);
}
