/** Conversion between the NESTED and RING numberings of one nside. */
import { faceToNest, faceToNest64, nestToFace, nestToFace64 } from './nested.js';
import { faceToRingIndex, faceToRingIndex64, ringIndexToFace, ringIndexToFace64 } from './ring.js';

export function nest2ring(nside: number, pix: number): number {
  return faceToRingIndex(nside, nestToFace(nside, pix));
}

export function ring2nest(nside: number, pix: number): number {
  return faceToNest(nside, ringIndexToFace(nside, pix));
}

export function nest2ring64(nside: number, pix: bigint): bigint {
  return faceToRingIndex64(nside, nestToFace64(nside, pix));
}

export function ring2nest64(nside: number, pix: bigint): bigint {
  return faceToNest64(nside, ringIndexToFace64(nside, pix));
}

/**
 * A permutation table: element i is the RING index of NESTED pixel i. Reordering a whole map
 * through one table is much faster than converting pixel by pixel in the caller.
 */
export function nestToRingTable(nside: number): Float64Array {
  const npix = 12 * nside * nside;
  const table = new Float64Array(npix);
  for (let i = 0; i < npix; i++) table[i] = nest2ring(nside, i);
  return table;
}
