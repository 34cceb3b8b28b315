/**
 * Morton (Z-order) interleaving of the two face coordinates into a nested index: ix bits go to
 * even positions, iy bits to odd positions. Coordinates have up to 29 bits, so the interleave
 * works on 16-bit halves with 32-bit integer operations and combines the halves arithmetically.
 */

const TWO_32 = 4294967296;

/** Spreads the low 16 bits of v to the even bit positions of a 32-bit value. */
function spread16(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** Gathers the even bit positions of a 32-bit value into 16 bits. */
function compact16(v: number): number {
  let x = v & 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** The interleave as [high 32 bits, low 32 bits], both unsigned. */
export function interleaveParts(ix: number, iy: number): [number, number] {
  const lo = (spread16(ix) | (spread16(iy) << 1)) >>> 0;
  const hi = (spread16(ix >>> 16) | (spread16(iy >>> 16) << 1)) >>> 0;
  return [hi, lo];
}

/** Interleave as a number: exact while the result stays below 2^53 (order ≤ 26 in one face). */
export function interleave(ix: number, iy: number): number {
  const [hi, lo] = interleaveParts(ix, iy);
  return hi * TWO_32 + lo;
}

export function interleave64(ix: number, iy: number): bigint {
  const [hi, lo] = interleaveParts(ix, iy);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Inverse of interleaveParts. */
export function deinterleaveParts(hi: number, lo: number): [ix: number, iy: number] {
  const ix = compact16(lo) + compact16(hi) * 65536;
  const iy = compact16(lo >>> 1) + compact16(hi >>> 1) * 65536;
  return [ix, iy];
}

export function deinterleave(v: number): [ix: number, iy: number] {
  const hi = Math.floor(v / TWO_32);
  return deinterleaveParts(hi, v - hi * TWO_32);
}

export function deinterleave64(v: bigint): [ix: number, iy: number] {
  return deinterleaveParts(Number(v >> 32n), Number(v & 0xffffffffn));
}
