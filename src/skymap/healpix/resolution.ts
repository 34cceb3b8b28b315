/**
 * HEALPix resolution parameters (Górski et al. 2005): nside = 2^order, 12·nside² pixels of
 * equal area.
 *
 * Pixel indices at order 29 reach 12·4^29 ≈ 3.5e18, beyond the 2^53 that a double holds
 * exactly. The plain `number` API therefore stops at MAX_SAFE_ORDER (24); the `...64` functions
 * take and return `bigint` indices and cover every order up to MAX_ORDER.
 */

import { ang2vec, angleBetween } from './vector.js';

/** Deepest order HEALPix defines with 64-bit indices. */
export const MAX_ORDER = 29;
/** Deepest order whose pixel indices (and NUNIQ values) are exact as JavaScript numbers. */
export const MAX_SAFE_ORDER = 24;

const SQUARE_DEGREES_PER_STERADIAN = (180 / Math.PI) ** 2;

export function orderToNside(order: number): number {
  checkOrder(order, MAX_ORDER);
  return 2 ** order;
}

/** The order of a power-of-two nside; anything else is a RangeError. */
export function nsideToOrder(nside: number): number {
  // Called once per pixel lookup: integer bit tests, no logarithm.
  if (
    !Number.isInteger(nside) ||
    nside < 1 ||
    nside > 2 ** MAX_ORDER ||
    (nside & (nside - 1)) !== 0
  ) {
    throw new RangeError(`nside ${nside} is not a power of two between 1 and 2^${MAX_ORDER}`);
  }
  return 31 - Math.clz32(nside);
}

export function nsideToNpix(nside: number): number {
  nsideToOrder(nside);
  return 12 * nside * nside;
}

/** The nside of a full-sky map of npix pixels (npix = 12·nside²). */
export function npixToNside(npix: number): number {
  const nside = Math.round(Math.sqrt(npix / 12));
  if (!Number.isSafeInteger(npix) || 12 * nside * nside !== npix) {
    throw new RangeError(`${npix} is not a valid HEALPix pixel count (12·nside²)`);
  }
  nsideToOrder(nside);
  return nside;
}

/** Area of one pixel in steradians: 4π / (12·nside²). */
export function nsideToPixelArea(nside: number): number {
  return (4 * Math.PI) / nsideToNpix(nside);
}

/** Area of one pixel at an order, in steradians (π / (3·4^order)). */
export function orderToPixelArea(order: number): number {
  checkOrder(order, MAX_ORDER);
  return Math.PI / (3 * 4 ** order);
}

export function steradiansToSquareDegrees(sr: number): number {
  return sr * SQUARE_DEGREES_PER_STERADIAN;
}

/** Square root of the pixel area, in radians: the usual "resolution" of a grid. */
export function nsideToResolution(nside: number): number {
  return Math.sqrt(nsideToPixelArea(nside));
}

/**
 * An upper bound on the angle between a pixel's centre and any point of that pixel. The widest
 * pixels sit where the polar caps meet the equatorial belt: the bound is the angle from the
 * cap-edge vertex at (z = 2/3, φ = π/(4·nside)) to the centre of the cap pixel beside it at
 * (z = 1 − (1 − 1/nside)²/3, φ = 0). The tests check it against dense random sampling.
 */
export function maxPixelRadius(nside: number): number {
  nsideToOrder(nside);
  const vertex = ang2vec(Math.acos(2 / 3), Math.PI / (4 * nside));
  const t = (1 - 1 / nside) ** 2 / 3;
  const centre = ang2vec(Math.atan2(Math.sqrt(t * (2 - t)), 1 - t), 0);
  return angleBetween(vertex, centre);
}

export function checkOrder(order: number, max: number): void {
  if (!Number.isInteger(order) || order < 0 || order > max) {
    throw new RangeError(`HEALPix order ${order} is outside 0..${max}`);
  }
}

/** Validates nside for the `number` API (order ≤ MAX_SAFE_ORDER); returns its order. */
export function checkSafeNside(nside: number): number {
  const order = nsideToOrder(nside);
  if (order > MAX_SAFE_ORDER) {
    throw new RangeError(
      `nside 2^${order} exceeds 2^${MAX_SAFE_ORDER}, where pixel indices stop being exact numbers: use the ...64 (bigint) functions`,
    );
  }
  return order;
}
