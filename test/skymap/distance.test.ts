import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  conditionalCdf,
  conditionalPdf,
  momentsToParameters,
  parametersToMoments,
} from '../../src/skymap/distance.js';
import { readSkyMap } from '../../src/skymap/io.js';
import { needsShared, sharedData } from '../helpers/shared.js';

const MS220722V = 'gwcelery/tests/MS220722v_bayestar.multiorder.fits';

test('moments ↔ parameters invert each other', () => {
  for (const [mu, sigma] of [
    [100, 30],
    [10, 50],
    [-20, 20],
    [1000, 1],
    [5000, 3000],
  ]) {
    const m = parametersToMoments(mu, sigma);
    const p = momentsToParameters(m.mean, m.std);
    assert.ok(Math.abs(p.mu - mu) < 1e-7 * Math.max(1, Math.abs(mu)), `μ ${mu}: ${p.mu}`);
    assert.ok(Math.abs(p.sigma - sigma) < 1e-7 * sigma, `σ ${sigma}: ${p.sigma}`);
    assert.ok(Math.abs(p.norm / m.norm - 1) < 1e-7);
  }
  // mean/std below √3 cannot be an r²·Gaussian: no distance information.
  assert.deepEqual(momentsToParameters(10, 10), {
    mu: Number.POSITIVE_INFINITY,
    sigma: 1,
    norm: 0,
  });
  assert.deepEqual(momentsToParameters(Number.NaN, 1), {
    mu: Number.POSITIVE_INFINITY,
    sigma: 1,
    norm: 0,
  });
  assert.equal(parametersToMoments(Number.POSITIVE_INFINITY, 1).mean, Number.POSITIVE_INFINITY);
});

test('the conditional density integrates to its cdf, which reaches 1', () => {
  for (const [mu, sigma] of [
    [150, 40],
    [-30, 60],
  ]) {
    const { mean, std, norm } = parametersToMoments(mu, sigma);
    // Trapezoid integration of p(r), r p(r), r² p(r).
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    const h = 0.01;
    for (let r = h; r < 2000; r += h) {
      const f = conditionalPdf(r, mu, sigma, norm);
      p0 += f * h;
      p1 += r * f * h;
      p2 += r * r * f * h;
      if (Math.abs(r - 100) < h / 2) {
        assert.ok(Math.abs(conditionalCdf(r, mu, sigma, norm) - p0) < 1e-4, 'cdf at 100 Mpc');
      }
    }
    assert.ok(Math.abs(p0 - 1) < 1e-6);
    assert.ok(Math.abs(p1 - mean) < 1e-4 * mean);
    assert.ok(Math.abs(Math.sqrt(p2 - p1 * p1) - std) < 1e-4 * std);
    assert.ok(Math.abs(conditionalCdf(1e6, mu, sigma, norm) - 1) < 1e-12);
    assert.equal(conditionalCdf(0, mu, sigma, norm), 0);
  }
  assert.equal(conditionalPdf(100, Number.POSITIVE_INFINITY, 1, 0), 0);
});

test(
  'MS220722v: every finite DISTNORM follows from DISTMU and DISTSIGMA',
  needsShared(MS220722V),
  () => {
    const path = sharedData(MS220722V)!;
    const map = readSkyMap(readFileSync(path), { source: path });
    let checked = 0;
    for (let i = 0; i < map.uniq.length; i++) {
      const mu = map.distmu![i];
      if (!Number.isFinite(mu)) {
        assert.equal(map.distnorm![i], 0);
        continue;
      }
      const { norm } = parametersToMoments(mu, map.distsigma![i]);
      assert.ok(Math.abs(norm / map.distnorm![i] - 1) < 2e-9, `row ${i}`);
      checked++;
    }
    assert.equal(checked, 19200 - 880);
  },
);
