/**
 * NUNIQ packing of (order, nested index) into one integer: uniq = 4·4^order + ipix. The order is
 * recovered from the bit length: order = (bitLength − 1)/2 − 1, rounded down.
 * The number versions cover orders up to 24 (uniq < 2^52); the 64 versions cover up to 29.
 */
import { checkOrder, MAX_ORDER, MAX_SAFE_ORDER } from './resolution.js';

const TWO_32 = 4294967296;

export interface OrderedPixel {
  order: number;
  ipix: number;
}

export interface OrderedPixel64 {
  order: number;
  ipix: bigint;
}

export function nest2uniq(order: number, ipix: number): number {
  checkOrder(order, MAX_SAFE_ORDER);
  const npix = 12 * 4 ** order;
  if (!Number.isInteger(ipix) || ipix < 0 || ipix >= npix) {
    throw new RangeError(`nested pixel ${ipix} is outside 0..${npix - 1} at order ${order}`);
  }
  return 4 * 4 ** order + ipix;
}

export function nest2uniq64(order: number, ipix: bigint): bigint {
  checkOrder(order, MAX_ORDER);
  const base = 1n << BigInt(2 * order);
  if (ipix < 0n || ipix >= 12n * base) {
    throw new RangeError(`nested pixel ${ipix} is outside 0..${12n * base - 1n} at order ${order}`);
  }
  return 4n * base + ipix;
}

/** Order of a NUNIQ value given as a number (exact for order ≤ 24). */
export function uniqToOrder(uniq: number): number {
  if (!Number.isSafeInteger(uniq) || uniq < 4) {
    throw new RangeError(`${uniq} is not a valid NUNIQ value (an integer ≥ 4 below 2^53)`);
  }
  const hi = Math.floor(uniq / TWO_32);
  const bitLength = hi > 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32(uniq);
  const order = ((bitLength - 1) >> 1) - 1;
  if (order > MAX_SAFE_ORDER) {
    throw new RangeError(
      `NUNIQ ${uniq} has order ${order} > ${MAX_SAFE_ORDER}: not exact as a number, use uniq2nest64`,
    );
  }
  return order;
}

export function uniq2nest(uniq: number): OrderedPixel {
  const order = uniqToOrder(uniq);
  return { order, ipix: uniq - 4 * 4 ** order };
}

export function uniqToOrder64(uniq: bigint): number {
  if (uniq < 4n) throw new RangeError(`${uniq} is not a valid NUNIQ value (must be ≥ 4)`);
  const bitLength = uniq.toString(2).length;
  const order = ((bitLength - 1) >> 1) - 1;
  if (order > MAX_ORDER) {
    throw new RangeError(`NUNIQ ${uniq} has order ${order} > ${MAX_ORDER}`);
  }
  return order;
}

export function uniq2nest64(uniq: bigint): OrderedPixel64 {
  const order = uniqToOrder64(uniq);
  return { order, ipix: uniq - (4n << BigInt(2 * order)) };
}
