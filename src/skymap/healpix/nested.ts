/**
 * The NESTED scheme: index = face·nside² + Morton interleave of (ix, iy), so that the four
 * children of pixel i are 4i … 4i+3. Functions ending in 64 take and return bigint indices and
 * work at every order up to 29; the others use numbers and stop at order 24.
 */
import { centre, type FacePixel, locateAngle, locateVector, thetaOf } from './face.js';
import { deinterleave, deinterleave64, interleave, interleave64 } from './morton.js';
import { checkSafeNside, nsideToOrder } from './resolution.js';
import type { Vec3 } from './vector.js';

export function faceToNest(nside: number, p: FacePixel): number {
  return p.face * nside * nside + interleave(p.ix, p.iy);
}

export function faceToNest64(nside: number, p: FacePixel): bigint {
  const n = BigInt(nside);
  return BigInt(p.face) * n * n + interleave64(p.ix, p.iy);
}

export function nestToFace(nside: number, pix: number): FacePixel {
  checkSafeNside(nside);
  const perFace = nside * nside;
  if (!Number.isInteger(pix) || pix < 0 || pix >= 12 * perFace) {
    throw new RangeError(
      `nested pixel ${pix} is outside 0..${12 * perFace - 1} for nside ${nside}`,
    );
  }
  const face = Math.floor(pix / perFace);
  const [ix, iy] = deinterleave(pix - face * perFace);
  return { face, ix, iy };
}

export function nestToFace64(nside: number, pix: bigint): FacePixel {
  nsideToOrder(nside);
  const n = BigInt(nside);
  const perFace = n * n;
  if (pix < 0n || pix >= 12n * perFace) {
    throw new RangeError(
      `nested pixel ${pix} is outside 0..${12n * perFace - 1n} for nside ${nside}`,
    );
  }
  const face = pix / perFace;
  const [ix, iy] = deinterleave64(pix - face * perFace);
  return { face: Number(face), ix, iy };
}

export function ang2pixNest(nside: number, theta: number, phi: number): number {
  checkSafeNside(nside);
  return faceToNest(nside, locateAngle(nside, theta, phi));
}

export function ang2pixNest64(nside: number, theta: number, phi: number): bigint {
  nsideToOrder(nside);
  return faceToNest64(nside, locateAngle(nside, theta, phi));
}

export function vec2pixNest(nside: number, v: Vec3): number {
  checkSafeNside(nside);
  return faceToNest(nside, locateVector(nside, v));
}

export function vec2pixNest64(nside: number, v: Vec3): bigint {
  nsideToOrder(nside);
  return faceToNest64(nside, locateVector(nside, v));
}

/** Centre of a nested pixel: θ in [0, π], φ in [0, 2π). */
export function pix2angNest(nside: number, pix: number): { theta: number; phi: number } {
  const p = nestToFace(nside, pix);
  const c = centre(nside, p.face, p.ix, p.iy);
  return { theta: thetaOf(c.z, c.sinTheta), phi: c.phi };
}

export function pix2angNest64(nside: number, pix: bigint): { theta: number; phi: number } {
  const p = nestToFace64(nside, pix);
  const c = centre(nside, p.face, p.ix, p.iy);
  return { theta: thetaOf(c.z, c.sinTheta), phi: c.phi };
}

/** Unit vector to the centre of a nested pixel. */
export function pix2vecNest(nside: number, pix: number): Vec3 {
  const p = nestToFace(nside, pix);
  const c = centre(nside, p.face, p.ix, p.iy);
  return [c.sinTheta * Math.cos(c.phi), c.sinTheta * Math.sin(c.phi), c.z];
}

export function pix2vecNest64(nside: number, pix: bigint): Vec3 {
  const p = nestToFace64(nside, pix);
  const c = centre(nside, p.face, p.ix, p.iy);
  return [c.sinTheta * Math.cos(c.phi), c.sinTheta * Math.sin(c.phi), c.z];
}
