/**
 * Finding the row of a multi-order map that contains a direction: every pixel becomes a range
 * of NESTED indices at the map's deepest order, sorted, and a direction's index at that order
 * is found by binary search.
 */
import { ang2pixNest, uniqToOrder } from './healpix/index.js';
import { type MultiOrderSkyMap, requireSafeOrders } from './multiorder.js';

export class PixelLookup {
  /** The deepest order of the map: ranges are NESTED indices at this order. */
  readonly order: number;
  private readonly nside: number;
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly rows: Int32Array;

  constructor(map: MultiOrderSkyMap) {
    this.order = requireSafeOrders(map, 'position lookup');
    this.nside = 2 ** this.order;
    const n = map.uniq.length;
    const start = new Float64Array(n);
    const end = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = Number(map.uniq[i]);
      const o = uniqToOrder(u);
      const span = 4 ** (this.order - o);
      start[i] = (u - 4 * 4 ** o) * span;
      end[i] = start[i] + span;
    }
    const index = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => start[a] - start[b]);
    this.rows = index;
    this.starts = Float64Array.from(index, (i) => start[i]);
    this.ends = Float64Array.from(index, (i) => end[i]);
  }

  /** Row holding the NESTED pixel `ipix` of the deepest order, or −1 outside the map. */
  rowOfPixel(ipix: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    if (hi < 0 || ipix < this.starts[0]) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= ipix) lo = mid;
      else hi = mid - 1;
    }
    return ipix < this.ends[lo] ? this.rows[lo] : -1;
  }

  /** Row containing the direction (θ, φ) in radians, or −1 outside the map. */
  rowAt(theta: number, phi: number): number {
    return this.rowOfPixel(ang2pixNest(this.nside, theta, phi));
  }

  /** Row containing right ascension and declination (radians), or −1 outside the map. */
  rowAtRadec(ra: number, dec: number): number {
    return this.rowAt(Math.PI / 2 - dec, ra);
  }
}
