/**
 * The RING scheme: pixels numbered along rings of constant latitude from the north pole to the
 * south pole, each ring from φ = 0 eastwards. North cap ring k (< nside) holds 4k pixels and
 * starts at 2k(k − 1); belt rings hold 4·nside; the south cap mirrors the north.
 * Functions ending in 64 take and return bigint indices (every order up to 29); the others use
 * numbers (order ≤ 24).
 */
import {
  centre,
  type FacePixel,
  faceToRing,
  locateAngle,
  locateVector,
  type RingPosition,
  ringToFace,
  thetaOf,
} from './face.js';
import { checkSafeNside, nsideToOrder } from './resolution.js';
import type { Vec3 } from './vector.js';

/** Index of the first pixel of a ring (1 … 4·nside − 1). */
export function ringStart(nside: number, ring: number): number {
  if (ring < nside) return 2 * ring * (ring - 1);
  if (ring <= 3 * nside) return 2 * nside * (nside - 1) + (ring - nside) * 4 * nside;
  const nr = 4 * nside - ring;
  return 12 * nside * nside - 2 * nr * (nr + 1);
}

export function ringStart64(nside: number, ring: number): bigint {
  const n = BigInt(nside);
  const r = BigInt(ring);
  if (ring < nside) return 2n * r * (r - 1n);
  if (ring <= 3 * nside) return 2n * n * (n - 1n) + (r - n) * 4n * n;
  const nr = 4n * n - r;
  return 12n * n * n - 2n * nr * (nr + 1n);
}

/** The cap ring k holding the k-th pixel counted from its pole (2k(k−1) ≤ q < 2k(k+1)). */
function capRing(q: number): number {
  let k = Math.floor((1 + Math.sqrt(1 + 2 * q)) / 2);
  while (2 * k * (k - 1) > q) k--;
  while (2 * k * (k + 1) <= q) k++;
  return k;
}

function capRing64(q: bigint): bigint {
  let k = BigInt(Math.floor((1 + Math.sqrt(Number(1n + 2n * q))) / 2));
  while (2n * k * (k - 1n) > q) k--;
  while (2n * k * (k + 1n) <= q) k++;
  return k;
}

export function ringPosition(nside: number, pix: number): RingPosition {
  checkSafeNside(nside);
  const npix = 12 * nside * nside;
  if (!Number.isInteger(pix) || pix < 0 || pix >= npix) {
    throw new RangeError(`ring pixel ${pix} is outside 0..${npix - 1} for nside ${nside}`);
  }
  const ncap = 2 * nside * (nside - 1);
  if (pix < ncap) {
    const ring = capRing(pix);
    return { ring, iphi: pix - 2 * ring * (ring - 1) };
  }
  if (pix < npix - ncap) {
    const q = pix - ncap;
    const k = Math.floor(q / (4 * nside));
    return { ring: nside + k, iphi: q - k * 4 * nside };
  }
  const q = npix - 1 - pix;
  const nr = capRing(q);
  return { ring: 4 * nside - nr, iphi: 4 * nr - 1 - (q - 2 * nr * (nr - 1)) };
}

export function ringPosition64(nside: number, pix: bigint): RingPosition {
  nsideToOrder(nside);
  const n = BigInt(nside);
  const npix = 12n * n * n;
  if (pix < 0n || pix >= npix) {
    throw new RangeError(`ring pixel ${pix} is outside 0..${npix - 1n} for nside ${nside}`);
  }
  const ncap = 2n * n * (n - 1n);
  if (pix < ncap) {
    const ring = capRing64(pix);
    return { ring: Number(ring), iphi: Number(pix - 2n * ring * (ring - 1n)) };
  }
  if (pix < npix - ncap) {
    const q = pix - ncap;
    const k = q / (4n * n);
    return { ring: Number(n + k), iphi: Number(q - k * 4n * n) };
  }
  const q = npix - 1n - pix;
  const nr = capRing64(q);
  return { ring: Number(4n * n - nr), iphi: Number(4n * nr - 1n - (q - 2n * nr * (nr - 1n))) };
}

export function faceToRingIndex(nside: number, p: FacePixel): number {
  const r = faceToRing(nside, p.face, p.ix, p.iy);
  return ringStart(nside, r.ring) + r.iphi;
}

export function faceToRingIndex64(nside: number, p: FacePixel): bigint {
  const r = faceToRing(nside, p.face, p.ix, p.iy);
  return ringStart64(nside, r.ring) + BigInt(r.iphi);
}

export function ringIndexToFace(nside: number, pix: number): FacePixel {
  const r = ringPosition(nside, pix);
  return ringToFace(nside, r.ring, r.iphi);
}

export function ringIndexToFace64(nside: number, pix: bigint): FacePixel {
  const r = ringPosition64(nside, pix);
  return ringToFace(nside, r.ring, r.iphi);
}

export function ang2pixRing(nside: number, theta: number, phi: number): number {
  checkSafeNside(nside);
  return faceToRingIndex(nside, locateAngle(nside, theta, phi));
}

export function ang2pixRing64(nside: number, theta: number, phi: number): bigint {
  nsideToOrder(nside);
  return faceToRingIndex64(nside, locateAngle(nside, theta, phi));
}

export function vec2pixRing(nside: number, v: Vec3): number {
  checkSafeNside(nside);
  return faceToRingIndex(nside, locateVector(nside, v));
}

export function vec2pixRing64(nside: number, v: Vec3): bigint {
  nsideToOrder(nside);
  return faceToRingIndex64(nside, locateVector(nside, v));
}

export function pix2angRing(nside: number, pix: number): { theta: number; phi: number } {
  const p = ringIndexToFace(nside, pix);
  const c = centre(nside, p.face, p.ix, p.iy);
  return { theta: thetaOf(c.z, c.sinTheta), phi: c.phi };
}

export function pix2angRing64(nside: number, pix: bigint): { theta: number; phi: number } {
  const p = ringIndexToFace64(nside, pix);
  const c = centre(nside, p.face, p.ix, p.iy);
  return { theta: thetaOf(c.z, c.sinTheta), phi: c.phi };
}

export function pix2vecRing(nside: number, pix: number): Vec3 {
  const p = ringIndexToFace(nside, pix);
  const c = centre(nside, p.face, p.ix, p.iy);
  return [c.sinTheta * Math.cos(c.phi), c.sinTheta * Math.sin(c.phi), c.z];
}

export function pix2vecRing64(nside: number, pix: bigint): Vec3 {
  const p = ringIndexToFace64(nside, pix);
  const c = centre(nside, p.face, p.ix, p.iy);
  return [c.sinTheta * Math.cos(c.phi), c.sinTheta * Math.sin(c.phi), c.z];
}
