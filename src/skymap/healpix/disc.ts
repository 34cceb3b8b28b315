/**
 * Disc queries: the pixels of one order near a direction. The search descends the nested
 * hierarchy from the 12 base pixels, discarding a pixel as soon as its bounding circle
 * (maxPixelRadius) misses the disc and taking whole subtrees that lie inside it, so the cost
 * follows the disc's boundary rather than the sky.
 */
import { nest2ring } from './convert.js';
import { pix2vecNest } from './nested.js';
import { checkSafeNside, maxPixelRadius } from './resolution.js';
import { ang2vec, angleBetween, type Vec3 } from './vector.js';

export interface DiscOptions {
  /**
   * false (default): pixels whose centre lies within the radius. true: every pixel that overlaps
   * the disc, plus possibly a few near its edge that do not (the test is on bounding circles),
   * like healpy's query_disc(inclusive=True).
   */
  inclusive?: boolean;
  /** Return NESTED indices (default) or RING indices. */
  nest?: boolean;
}

/** Sorted pixel indices of nside within `radius` radians of the direction `centre`. */
export function queryDisc(
  nside: number,
  centre: Vec3 | { theta: number; phi: number },
  radius: number,
  options: DiscOptions = {},
): number[] {
  const order = checkSafeNside(nside);
  if (!(radius >= 0) || !Number.isFinite(radius)) {
    throw new RangeError(`disc radius ${radius} must be a finite angle ≥ 0 (radians)`);
  }
  const c = 'theta' in centre ? ang2vec(centre.theta, centre.phi) : normalise(centre);
  // A small margin keeps floating-point noise in the bound from dropping boundary pixels.
  const slack = 1e-12;
  const bound: number[] = [];
  for (let o = 0; o <= order; o++) bound.push(maxPixelRadius(2 ** o) * (1 + 1e-9) + slack);
  const finalLimit = options.inclusive ? radius + bound[order] : radius;
  const out: number[] = [];

  const visit = (o: number, ipix: number): void => {
    const d = angleBetween(c, pix2vecNest(2 ** o, ipix));
    if (o === order) {
      if (d <= finalLimit) out.push(ipix);
      return;
    }
    if (d > radius + bound[o]) return;
    if (d + bound[o] <= radius) {
      // Every descendant (and so its centre) lies inside the disc.
      const span = 4 ** (order - o);
      for (let i = ipix * span, end = (ipix + 1) * span; i < end; i++) out.push(i);
      return;
    }
    for (let k = 0; k < 4; k++) visit(o + 1, 4 * ipix + k);
  };
  for (let f = 0; f < 12; f++) visit(0, f);

  if (options.nest === false) {
    const ring = out.map((p) => nest2ring(nside, p));
    ring.sort((a, b) => a - b);
    return ring;
  }
  return out;
}

function normalise(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0) || !Number.isFinite(n)) {
    throw new RangeError(`disc centre (${v.join(', ')}) has no direction`);
  }
  return [v[0] / n, v[1] / n, v[2] / n];
}
