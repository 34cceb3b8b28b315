/**
 * Combined GW × external sky maps (science-spec §4; gwcelery-spec §5.4, RAVEN's
 * combined-ext.multiorder.fits): the product of the two probability densities, renormalised,
 * with the GW distance columns carried over and the distance summary recomputed.
 */
import { type FlatSkyMap, reorder } from './flat.js';
import { ang2pixNest, nsideToOrder, pix2angNest, uniqToOrder } from './healpix/index.js';
import { marginalDistanceMoments } from './marginal-distance.js';
import {
  hasDistance,
  type MultiOrderSkyMap,
  requireSafeOrders,
  validateSkyMap,
} from './multiorder.js';

interface Range {
  start: number;
  end: number;
  row: number;
}

/** Each row as its range of NESTED indices at `order`, sorted by start. */
function ranges(map: MultiOrderSkyMap, order: number): Range[] {
  const out: Range[] = [];
  for (let row = 0; row < map.uniq.length; row++) {
    const u = Number(map.uniq[row]);
    const o = uniqToOrder(u);
    const span = 4 ** (order - o);
    const start = (u - 4 * 4 ** o) * span;
    out.push({ start, end: start + span, row });
  }
  return out.sort((a, b) => a.start - b.start);
}

function uniqOfRange(start: number, end: number, order: number): number {
  // An aligned block of 4^k pixels at `order` is one pixel at order − k.
  const k = Math.round(Math.log(end - start) / Math.log(4));
  const o = order - k;
  return 4 * 4 ** o + start / 4 ** k;
}

function finish(
  gw: MultiOrderSkyMap,
  cells: { uniq: number; density: number; gwRow: number }[],
  externalInstruments: string[] | undefined,
  note: string,
): MultiOrderSkyMap {
  cells.sort((a, b) => a.uniq - b.uniq);
  let total = 0;
  for (const c of cells) total += c.density * (Math.PI / (3 * 4 ** uniqToOrder(c.uniq)));
  if (!(total > 0))
    throw new RangeError('the two sky maps do not overlap: their product is zero everywhere');
  const out: MultiOrderSkyMap = {
    uniq: BigInt64Array.from(cells, (c) => BigInt(c.uniq)),
    probdensity: Float64Array.from(cells, (c) => c.density / total),
    meta: { ...gw.meta },
  };
  if (hasDistance(gw)) {
    out.distmu = Float64Array.from(cells, (c) => gw.distmu[c.gwRow]);
    out.distsigma = Float64Array.from(cells, (c) => gw.distsigma[c.gwRow]);
    out.distnorm = Float64Array.from(cells, (c) => gw.distnorm[c.gwRow]);
    const d = marginalDistanceMoments(out);
    out.meta.distMean = d.mean;
    out.meta.distStd = d.std;
  }
  const instruments = [...(gw.meta.instruments ?? [])];
  for (const i of externalInstruments?.length ? externalInstruments : ['external instrument']) {
    if (!instruments.includes(i)) instruments.push(i);
  }
  out.meta.instruments = instruments;
  out.meta.history = [...(gw.meta.history ?? []), note];
  delete out.meta.extraCards;
  validateSkyMap(out, 'combined sky map');
  return out;
}

/**
 * The product of a GW multi-order map and an external multi-order map on their common grid
 * (wherever one map is finer, its pixels), renormalised. Pixels outside the external map's
 * coverage get density 0.
 */
export function combineMultiOrder(
  gw: MultiOrderSkyMap,
  external: MultiOrderSkyMap,
): MultiOrderSkyMap {
  const order = Math.max(
    requireSafeOrders(gw, 'combining'),
    requireSafeOrders(external, 'combining'),
  );
  const a = ranges(gw, order);
  const b = ranges(external, order);
  const cells: { uniq: number; density: number; gwRow: number }[] = [];
  let j = 0;
  for (const r of a) {
    // Aligned blocks either nest or are disjoint: the overlaps of r are the b ranges inside
    // it, or the one b range containing it.
    while (j < b.length && b[j].end <= r.start) j++;
    let covered = r.start;
    let k = j;
    while (k < b.length && b[k].start < r.end) {
      const start = Math.max(r.start, b[k].start);
      const end = Math.min(r.end, b[k].end);
      if (start > covered) cells.push(...gapCells(covered, start, order, r.row));
      cells.push({
        uniq: uniqOfRange(start, end, order),
        density: gw.probdensity[r.row] * Math.max(0, external.probdensity[b[k].row]),
        gwRow: r.row,
      });
      covered = end;
      if (b[k].end > r.end) break;
      k++;
    }
    if (covered < r.end) cells.push(...gapCells(covered, r.end, order, r.row));
  }
  return finish(
    gw,
    cells,
    external.meta.instruments,
    'Multiplied by the external sky map and renormalized (GW × external).',
  );
}

/** Pixels (density 0) covering [start, end) at `order`, as few and as coarse as alignment allows. */
function gapCells(start: number, end: number, order: number, gwRow: number) {
  const out: { uniq: number; density: number; gwRow: number }[] = [];
  let s = start;
  while (s < end) {
    let size = 1;
    while (s % (size * 4) === 0 && s + size * 4 <= end && size * 4 <= 4 ** order) size *= 4;
    out.push({ uniq: uniqOfRange(s, s + size, order), density: 0, gwRow });
    s += size;
  }
  return out;
}

/**
 * A GW multi-order map re-weighted by a flat external map: negative external values become 0,
 * the external map is normalised, each GW pixel's density is multiplied by the external
 * probability at the pixel's centre, and the result is renormalised.
 */
export function combineWithFlat(gw: MultiOrderSkyMap, external: FlatSkyMap): MultiOrderSkyMap {
  requireSafeOrders(gw, 'combining');
  const ext = reorder(external, true);
  nsideToOrder(ext.nside);
  let sum = 0;
  for (const p of ext.prob) if (p > 0) sum += p;
  if (!(sum > 0)) throw new RangeError('the external sky map has no positive probability');
  const cells = Array.from(gw.uniq, (u, row) => {
    const uniq = Number(u);
    const o = uniqToOrder(uniq);
    const { theta, phi } = pix2angNest(2 ** o, uniq - 4 * 4 ** o);
    const p = Math.max(0, ext.prob[ang2pixNest(ext.nside, theta, phi)]) / sum;
    return { uniq, density: gw.probdensity[row] * p, gwRow: row };
  });
  return finish(
    gw,
    cells,
    external.meta.instruments,
    'Multiplied by the external sky map and renormalized (GW × external).',
  );
}
