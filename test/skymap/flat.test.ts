import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { flatten, reorder, unflatten } from '../../src/skymap/flat.js';
import { nest2ring, orderToPixelArea } from '../../src/skymap/healpix/index.js';
import { readSkyMap } from '../../src/skymap/io.js';
import { pixelProbabilities, sortByUniq } from '../../src/skymap/multiorder.js';
import { needsShared, sharedData } from '../helpers/shared.js';
import { gaussianBlob } from '../helpers/skymap-fixtures.js';

const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);

test('flatten at the maximum order, then unflatten, gives the original map back exactly', () => {
  const map = gaussianBlob();
  const flat = flatten(map, 5);
  assert.equal(flat.prob.length, 12 * 4 ** 5);
  assert.ok(Math.abs(sum(flat.prob) - sum(pixelProbabilities(map))) < 1e-12);
  const back = unflatten(flat);
  const sorted = sortByUniq(map);
  assert.deepEqual(Array.from(back.uniq), Array.from(sorted.uniq));
  for (let i = 0; i < back.uniq.length; i++) {
    assert.ok(Math.abs(back.probdensity[i] / sorted.probdensity[i] - 1) < 1e-12);
    assert.equal(back.distmu![i], sorted.distmu![i]);
    assert.equal(back.distnorm![i], sorted.distnorm![i]);
  }
});

test('flatten finer than the map splits pixels; coarser merges them; probability is conserved', () => {
  const map = gaussianBlob();
  const total = sum(pixelProbabilities(map));
  for (const order of [0, 2, 4, 7]) {
    const flat = flatten(map, order);
    assert.ok(Math.abs(sum(flat.prob) - total) < 1e-12, `order ${order}`);
  }
  // Each order-5 pixel of the blob carries its density into its 4^(7-5) children.
  const fine = flatten(map, 7);
  const u = Number(map.uniq[map.uniq.length - 1]);
  const o = Math.floor((u.toString(2).length - 1) / 2) - 1;
  const ipix = u - 4 * 4 ** o;
  const child = ipix * 4 ** (7 - o);
  assert.ok(
    Math.abs(fine.prob[child] / orderToPixelArea(7) - map.probdensity[map.uniq.length - 1]) < 1e-9,
  );
  // Merging: the distance of a coarse pixel is the moment-average of its children.
  const coarse = flatten(map, 2);
  assert.ok(coarse.distmu!.some((m) => Number.isFinite(m)));
  assert.throws(() => flatten(map, 14), /flatten order 14/);
});

test('RING ↔ NESTED reordering of flat maps', () => {
  const flat = flatten(gaussianBlob(), 3);
  const ring = reorder(flat, false);
  for (let i = 0; i < flat.prob.length; i++) assert.equal(ring.prob[nest2ring(8, i)], flat.prob[i]);
  assert.deepEqual(Array.from(reorder(ring, true).prob), Array.from(flat.prob));
  assert.equal(reorder(flat, true), flat);
});

test(
  'MS220722v flattened to nside 512 and back: same pixels, probability conserved',
  needsShared('gwcelery/tests/MS220722v_bayestar.multiorder.fits'),
  () => {
    const path = sharedData('gwcelery/tests/MS220722v_bayestar.multiorder.fits')!;
    const map = readSkyMap(readFileSync(path), { source: path });
    const flat = flatten(map, 9);
    assert.equal(flat.prob.length, 3145728);
    // Summing three million terms: rounding alone reaches ~1e−12.
    assert.ok(Math.abs(sum(flat.prob) - sum(pixelProbabilities(map))) < 1e-10);
    const back = unflatten(flat);
    // BAYESTAR never leaves four siblings with identical values, so nothing merges further.
    assert.deepEqual(Array.from(back.uniq), Array.from(sortByUniq(map).uniq));
  },
);
