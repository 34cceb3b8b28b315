import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineMultiOrder, combineWithFlat } from '../../src/skymap/combine.js';
import { credibleAreas } from '../../src/skymap/credible.js';
import { flatten } from '../../src/skymap/flat.js';
import type { MultiOrderSkyMap } from '../../src/skymap/multiorder.js';
import { pixelProbabilities, sortByUniq, validateSkyMap } from '../../src/skymap/multiorder.js';
import { BLOB, gaussianBlob } from '../helpers/skymap-fixtures.js';

const total = (m: MultiOrderSkyMap) => pixelProbabilities(m).reduce((s, p) => s + p, 0);

function uniform(order: number, instruments: string[] | undefined): MultiOrderSkyMap {
  const n = 12 * 4 ** order;
  return {
    uniq: BigInt64Array.from({ length: n }, (_, i) => BigInt(4 * 4 ** order + i)),
    probdensity: new Float64Array(n).fill(1 / (4 * Math.PI)),
    meta: instruments ? { instruments } : {},
  };
}

test('GW × uniform external map is the GW map again; instruments are merged', () => {
  const gw = gaussianBlob();
  const combined = combineMultiOrder(gw, uniform(0, ['Fermi']));
  const sorted = sortByUniq(gw);
  assert.deepEqual(Array.from(combined.uniq), Array.from(sorted.uniq));
  combined.probdensity.forEach((d, i) => {
    assert.ok(Math.abs(d - sorted.probdensity[i]) <= 1e-12 * sorted.probdensity[i] + 1e-300);
  });
  assert.deepEqual(Array.from(combined.distmu!), Array.from(sorted.distmu!));
  assert.deepEqual(combined.meta.instruments, ['H1', 'L1', 'V1', 'Fermi']);
  assert.match(combined.meta.history!.at(-1)!, /external sky map/);
  assert.ok(Math.abs(combined.meta.distMean! - BLOB.distMean) < 0.1 * BLOB.distMean);
  // Without instruments the external map is "external instrument".
  assert.deepEqual(combineMultiOrder(gw, uniform(1, undefined)).meta.instruments, [
    'H1',
    'L1',
    'V1',
    'external instrument',
  ]);
});

test('GW × a finer external map takes the finer pixels; a map times itself narrows by √2', () => {
  const gw = gaussianBlob();
  const squared = combineMultiOrder(gw, gw);
  assert.ok(Math.abs(total(squared) - 1) < 1e-12);
  const [a90] = credibleAreas(gw, [0.9]);
  const [b90] = credibleAreas(squared, [0.9]);
  // A Gaussian squared has σ/√2, so half the area (up to pixelisation).
  assert.ok(Math.abs(b90 / a90 - 0.5) < 0.08, `area ratio ${b90 / a90}`);
  const fine = uniform(6, ['Swift']);
  const combined = combineMultiOrder(uniform(2, ['H1']), fine);
  assert.equal(combined.uniq.length, 12 * 4 ** 6);
  validateSkyMap(combined);
});

test('an external map covering part of the sky leaves zero density elsewhere', () => {
  const gw = uniform(3, ['H1']);
  // External: base pixel 0 only, split into order-1 pixels.
  const ext: MultiOrderSkyMap = {
    uniq: BigInt64Array.of(16n, 17n, 18n, 19n),
    probdensity: Float64Array.of(1, 2, 3, 4),
    meta: {},
  };
  const combined = combineMultiOrder(gw, ext);
  assert.ok(Math.abs(total(combined) - 1) < 1e-12);
  assert.equal(validateSkyMap(combined), 1, 'the whole sky is still covered');
  const probs = pixelProbabilities(combined);
  let insideFace0 = 0;
  combined.uniq.forEach((u, i) => {
    const order = Math.floor((u.toString(2).length - 1) / 2) - 1;
    const ipix = Number(u) - 4 * 4 ** order;
    if (Math.floor(ipix / 4 ** order) === 0) insideFace0 += probs[i];
  });
  assert.ok(Math.abs(insideFace0 - 1) < 1e-12);
  const disjoint: MultiOrderSkyMap = {
    uniq: BigInt64Array.of(4n),
    probdensity: Float64Array.of(0),
    meta: {},
  };
  assert.throws(() => combineMultiOrder(gw, disjoint), /do not overlap/);
});

test('GW × flat external map (negative values clipped), renormalised', () => {
  const gw = gaussianBlob();
  const flatExt = flatten(uniform(3, ['Fermi']), 3);
  flatExt.prob[0] = -0.5; // as some GBM maps carry
  const combined = combineWithFlat(gw, { ...flatExt, meta: { instruments: ['Fermi'] } });
  assert.ok(Math.abs(total(combined) - 1) < 1e-12);
  const [a] = credibleAreas(gw, [0.9]);
  const [b] = credibleAreas(combined, [0.9]);
  assert.ok(Math.abs(a - b) < 1e-6 * a);
  assert.deepEqual(combined.meta.instruments, ['H1', 'L1', 'V1', 'Fermi']);
  const zero = { ...flatExt, prob: new Float64Array(flatExt.prob.length) };
  assert.throws(() => combineWithFlat(gw, zero), /no positive probability/);
});
