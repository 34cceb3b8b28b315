/**
 * The geometry both numbering schemes share: a point's base pixel (face 0–11) and its
 * coordinates (ix, iy) inside that face, and the rings of constant latitude that the RING
 * scheme counts along. Everything here works on plain numbers, which stay exact up to order 29
 * (ix, iy < 2^29, ring < 2^31); only the final pixel index may need 64 bits.
 *
 * Formulas follow Górski et al. 2005 (ApJ 622, 759), §4 and appendix: faces 0–3 are the
 * northern base pixels, 4–7 the equatorial ones, 8–11 the southern ones. ix grows to the
 * north-east and iy to the north-west inside a face.
 */

/** Ring number (in units of nside) of each face's southern corner. */
export const FACE_RING = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4] as const;
/** Longitude of each face's centre in units of π/4. */
export const FACE_PHI = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7] as const;

const HALF_PI = Math.PI / 2;
const TWO_PI = 2 * Math.PI;

export interface FacePixel {
  face: number;
  ix: number;
  iy: number;
}

/** A pixel located by its ring (1 … 4·nside − 1, north to south) and its 0-based place in it. */
export interface RingPosition {
  ring: number;
  iphi: number;
}

/**
 * The face pixel containing the direction (z = cos θ, φ). `sinTheta` (≥ 0) is used near the
 * poles, where 1 − |z| loses the precision that the pixel boundaries need at high orders.
 */
export function locate(
  nside: number,
  z: number,
  sinTheta: number,
  phi: number,
  useSinTheta: boolean,
): FacePixel {
  const za = Math.abs(z);
  let tt = (phi / HALF_PI) % 4;
  if (tt < 0) tt += 4;
  if (za <= 2 / 3) {
    // Equatorial belt: the two families of pixel edges are straight lines in (φ, z).
    const t1 = nside * (0.5 + tt);
    const t2 = nside * z * 0.75;
    const jp = Math.floor(t1 - t2); // index of the ascending edge line
    const jm = Math.floor(t1 + t2); // index of the descending edge line
    const ifp = Math.floor(jp / nside);
    const ifm = Math.floor(jm / nside);
    let face: number;
    if (ifp === ifm) face = ifp === 4 ? 4 : ifp + 4;
    else if (ifp < ifm) face = ifp;
    else face = ifm + 8;
    return { face, ix: jm - ifm * nside, iy: nside - (jp - ifp * nside) - 1 };
  }
  // Polar caps: distances from the pole scale with sqrt(3(1 − |z|)).
  const ntt = Math.min(3, Math.floor(tt));
  const tp = tt - ntt;
  const tmp = useSinTheta
    ? (nside * sinTheta) / Math.sqrt((1 + za) / 3)
    : nside * Math.sqrt(3 * (1 - za));
  const jp = Math.min(nside - 1, Math.floor(tp * tmp));
  const jm = Math.min(nside - 1, Math.floor((1 - tp) * tmp));
  if (z > 0) return { face: ntt, ix: nside - jm - 1, iy: nside - jp - 1 };
  return { face: ntt + 8, ix: jp, iy: jm };
}

/** Centre of a face pixel as (z, sin θ, φ) with φ in [0, 2π). */
export function centre(
  nside: number,
  face: number,
  ix: number,
  iy: number,
): { z: number; sinTheta: number; phi: number } {
  const ring = FACE_RING[face] * nside - ix - iy - 1;
  let nr: number;
  let z: number;
  let sinTheta: number;
  if (ring < nside) {
    nr = ring;
    const t = (nr * nr) / (3 * nside * nside); // 1 − z, exact for small rings
    z = 1 - t;
    sinTheta = Math.sqrt(t * (2 - t));
  } else if (ring > 3 * nside) {
    nr = 4 * nside - ring;
    const t = (nr * nr) / (3 * nside * nside);
    z = t - 1;
    sinTheta = Math.sqrt(t * (2 - t));
  } else {
    nr = nside;
    z = ((2 * nside - ring) * 2) / (3 * nside);
    sinTheta = Math.sqrt((1 - z) * (1 + z));
  }
  let phi = ((FACE_PHI[face] * nr + ix - iy) * Math.PI) / (4 * nr);
  if (phi < 0) phi += TWO_PI;
  else if (phi >= TWO_PI) phi -= TWO_PI;
  return { z, sinTheta, phi };
}

/** θ from (z, sin θ): atan2 keeps full precision next to the poles, where acos(z) does not. */
export function thetaOf(z: number, sinTheta: number): number {
  return Math.abs(z) > 0.99 ? Math.atan2(sinTheta, z) : Math.acos(z);
}

export function faceToRing(nside: number, face: number, ix: number, iy: number): RingPosition {
  const ring = FACE_RING[face] * nside - ix - iy - 1;
  let nr: number;
  let shift = 0;
  if (ring < nside) nr = ring;
  else if (ring > 3 * nside) nr = 4 * nside - ring;
  else {
    nr = nside;
    shift = (ring - nside) & 1; // alternate belt rings start half a pixel east of φ = 0
  }
  let jp = (FACE_PHI[face] * nr + ix - iy + 1 + shift) / 2; // 1-based place in the ring
  if (jp > 4 * nr) jp -= 4 * nr;
  else if (jp < 1) jp += 4 * nr;
  return { ring, iphi: jp - 1 };
}

export function ringToFace(nside: number, ring: number, iphi: number): FacePixel {
  if (ring < nside) {
    // North cap: nr pixels of each of faces 0–3 in ring nr.
    const nr = ring;
    const face = Math.floor(iphi / nr);
    const sum = 2 * nside - ring - 1; // ix + iy
    const diff = 2 * iphi + 1 - (2 * face + 1) * nr; // ix − iy
    return { face, ix: (sum + diff) / 2, iy: (sum - diff) / 2 };
  }
  if (ring > 3 * nside) {
    const nr = 4 * nside - ring;
    const k = Math.floor(iphi / nr);
    const sum = nr - 1;
    const diff = 2 * iphi + 1 - (2 * k + 1) * nr;
    return { face: k + 8, ix: (sum + diff) / 2, iy: (sum - diff) / 2 };
  }
  // Belt: φ = a·π/(4·nside); the edge-line indices at the centre are half-integers.
  const a = 2 * iphi + ((ring - nside + 1) & 1);
  const jp = (a + ring - nside - 1) / 2;
  const jm = (a - ring + 3 * nside - 1) / 2;
  const ifp = Math.floor(jp / nside);
  const ifm = Math.floor(jm / nside);
  let face: number;
  if (ifp === ifm) face = ifp === 4 ? 4 : ifp + 4;
  else if (ifp < ifm) face = ifp;
  else face = ifm + 8;
  return { face, ix: jm - ifm * nside, iy: nside - (jp - ifp * nside) - 1 };
}

/** Number of pixels in a ring. */
export function ringLength(nside: number, ring: number): number {
  if (ring < nside) return 4 * ring;
  if (ring > 3 * nside) return 4 * (4 * nside - ring);
  return 4 * nside;
}

/** The face pixel containing the direction (θ, φ); θ must lie in [0, π]. */
export function locateAngle(nside: number, theta: number, phi: number): FacePixel {
  if (!(theta >= 0 && theta <= Math.PI)) {
    throw new RangeError(`θ = ${theta} is outside [0, π]`);
  }
  if (!Number.isFinite(phi)) throw new RangeError(`φ = ${phi} is not finite`);
  const nearPole = theta < 0.01 || theta > Math.PI - 0.01;
  return locate(nside, Math.cos(theta), Math.sin(theta), phi, nearPole);
}

/** The face pixel containing the direction of a vector of any non-zero length. */
export function locateVector(nside: number, v: readonly [number, number, number]): FacePixel {
  const [x, y, zz] = v;
  const norm = Math.hypot(x, y, zz);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new RangeError(`vector (${x}, ${y}, ${zz}) has no direction`);
  }
  const z = zz / norm;
  return locate(nside, z, Math.hypot(x, y) / norm, Math.atan2(y, x), Math.abs(z) > 0.99);
}
