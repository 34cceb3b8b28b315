import { uniqToOrder } from '../healpix/index.js';

/**
 * Adaptive HEALPix refinement (spec §1.5): start from every pixel of order 4, then seven times
 * replace the most probable quarter of that count by their four children. The result is always
 * 3072 + 7·2304 = 19,200 pixels of orders 4 … 11, dense where the posterior is.
 *
 * "Most probable" is by contained probability, log density + log area = v − 2 ln 2 · order up
 * to a constant. Ties (and NaN, ranked last) are broken by NUNIQ, so the same values always
 * give the same mesh.
 */

export const INITIAL_ORDER = 4;
export const REFINEMENT_ROUNDS = 7;
const INITIAL_PIXELS = 12 * 4 ** INITIAL_ORDER;
const REFINED_PER_ROUND = INITIAL_PIXELS / 4;
export const FINAL_PIXELS = INITIAL_PIXELS + REFINEMENT_ROUNDS * 3 * REFINED_PER_ROUND;
const LN4 = 2 * Math.LN2;

export interface Mesh {
  /** NUNIQ index of every pixel (orders ≤ 11: exact in a double). */
  readonly uniq: Float64Array;
  /** The log posterior density (unnormalized) at each pixel's centre. */
  readonly logDensity: Float64Array;
}

/** Pixel indices sorted by contained probability, most probable first, ties by NUNIQ. */
export function rankByProbability(
  uniq: Float64Array,
  logDensity: Float64Array,
  count = uniq.length,
): Int32Array {
  const key = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = logDensity[i] - LN4 * uniqToOrder(uniq[i]);
    key[i] = Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
  }
  const order = Int32Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => (key[b] !== key[a] ? (key[b] > key[a] ? 1 : -1) : uniq[a] - uniq[b]));
  return order;
}

export async function refineMesh(
  evaluate: (uniq: Float64Array) => Promise<Float64Array>,
): Promise<Mesh> {
  const uniq = new Float64Array(FINAL_PIXELS);
  const logDensity = new Float64Array(FINAL_PIXELS);
  const base = 4 * 4 ** INITIAL_ORDER;
  for (let i = 0; i < INITIAL_PIXELS; i++) uniq[i] = base + i;
  logDensity.set(await evaluate(uniq.subarray(0, INITIAL_PIXELS)), 0);
  let count = INITIAL_PIXELS;
  for (let round = 0; round < REFINEMENT_ROUNDS; round++) {
    const ranked = rankByProbability(uniq, logDensity, count);
    // Each refined pixel's slot takes its first child; the other three are appended.
    const children = new Float64Array(4 * REFINED_PER_ROUND);
    const slots = new Int32Array(REFINED_PER_ROUND);
    for (let k = 0; k < REFINED_PER_ROUND; k++) {
      const slot = ranked[k];
      slots[k] = slot;
      // Children of NUNIQ u are 4u … 4u + 3 (one order deeper, same packing).
      for (let c = 0; c < 4; c++) children[4 * k + c] = 4 * uniq[slot] + c;
    }
    const values = await evaluate(children);
    for (let k = 0; k < REFINED_PER_ROUND; k++) {
      uniq[slots[k]] = children[4 * k];
      logDensity[slots[k]] = values[4 * k];
      for (let c = 1; c < 4; c++) {
        uniq[count] = children[4 * k + c];
        logDensity[count] = values[4 * k + c];
        count++;
      }
    }
  }
  return { uniq, logDensity };
}
