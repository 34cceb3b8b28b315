import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  momentsToParameters,
  parametersToMoments,
} from '../../../src/skymap/bayestar/distance-ansatz.js';

/** Mean and standard deviation of r²·N(r; μ, σ) on r ≥ 0 by brute-force summation. */
function numericMoments(mu: number, sigma: number): { mean: number; std: number } {
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  const top = Math.max(mu, 0) + 20 * sigma;
  const step = top / 400000;
  for (let r = step / 2; r < top; r += step) {
    const w = r * r * Math.exp(-0.5 * ((r - mu) / sigma) ** 2);
    m0 += w;
    m1 += w * r;
    m2 += w * r * r;
  }
  const mean = m1 / m0;
  return { mean, std: Math.sqrt(m2 / m0 - mean * mean) };
}

test('parameters → moments matches direct integration of the ansatz', () => {
  for (const [mu, sigma] of [
    [100, 30],
    [0, 50],
    [-100, 80],
    [300, 10],
  ]) {
    const exact = numericMoments(mu, sigma);
    const { mean, std } = parametersToMoments(mu, sigma);
    assert.ok(Math.abs(mean / exact.mean - 1) < 1e-8, `mean for (${mu}, ${sigma})`);
    assert.ok(Math.abs(std / exact.std - 1) < 1e-6, `std for (${mu}, ${sigma})`);
  }
});

test('moments → parameters inverts it, and the normalization integrates to 1', () => {
  for (const [mu, sigma] of [
    [100, 30],
    [20, 100],
    [-100, 80],
    [300, 10],
  ]) {
    const { mean, std } = parametersToMoments(mu, sigma);
    const p = momentsToParameters(mean, std);
    assert.ok(Math.abs(p.mu - mu) < 1e-8 * Math.max(1, Math.abs(mu)), `mu ${p.mu} vs ${mu}`);
    assert.ok(Math.abs(p.sigma / sigma - 1) < 1e-10);
    // ∫ N̂ r² exp(−(r−μ̂)²/2σ̂²)/(√(2π)σ̂) dr = 1.
    let integral = 0;
    const top = Math.max(mu, 0) + 20 * sigma;
    const step = top / 200000;
    for (let r = step / 2; r < top; r += step) {
      integral +=
        (p.norm * r * r * Math.exp(-0.5 * ((r - p.mu) / p.sigma) ** 2)) /
        (Math.sqrt(2 * Math.PI) * p.sigma);
    }
    assert.ok(Math.abs(integral * step - 1) < 1e-6);
  }
});

test('where no ansatz fits (mean/std ≤ √3 + 0.01 or not finite) the LVK convention applies', () => {
  assert.deepEqual(momentsToParameters(1, 1), { mu: Number.POSITIVE_INFINITY, sigma: 1, norm: 0 });
  assert.deepEqual(momentsToParameters(Number.POSITIVE_INFINITY, 1), {
    mu: Number.POSITIVE_INFINITY,
    sigma: 1,
    norm: 0,
  });
  assert.deepEqual(momentsToParameters(Number.NaN, 1), {
    mu: Number.POSITIVE_INFINITY,
    sigma: 1,
    norm: 0,
  });
  const justAbove = momentsToParameters(Math.sqrt(3) + 0.02, 1);
  assert.ok(Number.isFinite(justAbove.mu) && justAbove.norm > 0);
  assert.deepEqual(parametersToMoments(Number.POSITIVE_INFINITY, 1), {
    mean: Number.POSITIVE_INFINITY,
    std: 1,
  });
});
