import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildLogRadialIntegrators,
  logRadialIntegral,
  validateRadialSpec,
} from '../../../src/skymap/bayestar/radial-integrator.js';

test('direct quadrature reproduces the Mathematica values of the reference self-test', () => {
  // (r₁, r₂, p², b, k) → log ℱ, with the reference's relative tolerances.
  const cases: [number, number, number, number, number, number, number][] = [
    [0, 1, 0, 0, 0, 0, 0],
    [3, 6, 0, 0, 2, Math.log(63), 1e-14],
    [1, 2, 1, 0, 0, -0.480238, 1e-3],
    [1, 2, 1, 0, 2, 0.432919, 1e-3],
    [0, 1, 1, 0, 2, -2.76076, 1e-3],
    [0, 1e9, 1, 0, 2, 61.07118, 1e-3],
    [0, 0.1, 1, 0, 2, -112.23053, 5e-2],
    [0, 4, 1, 1, 2, 2.94548, 1e-4],
    [0.5, 4, 1, 1, 2, 2.94545, 1e-4],
    [1, 4, 1, 1, 2, 2.94085, 1e-4],
    [0, 1, 1, 1, 2, -2.43264, 1e-5],
    [0.5, 1, 1, 1, 2, -2.43808, 1e-5],
    [1, 1.5, 1, 1, 2, -0.707038, 1e-5],
  ];
  for (const [r1, r2, p2, b, k, expected, tolerance] of cases) {
    const value = logRadialIntegral(r1, r2, Math.sqrt(p2), b, k);
    const error = expected === 0 ? Math.abs(value) : Math.abs(value / expected - 1);
    assert.ok(error <= Math.max(tolerance, 1e-14), `(${r1}, ${r2}, ${p2}, ${b}, ${k}): ${value}`);
  }
});

test('the lookup table agrees with direct quadrature wherever the likelihood can go', () => {
  // A typical BNS network: r_max = 500 Mpc, p_max = 0.83·√(½ Σ r₁²) for two 2000 Mpc horizons.
  const spec = { rMin: 0, rMax: 500, pMax: 1660, size: 400, alpha: 4 };
  const integrators = buildLogRadialIntegrators(spec, [2, 3, 4]);
  let seed = 12345;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const errors: number[] = [];
  let boundViolations = 0;
  for (let n = 0; n < 600; n++) {
    // p log-uniform over the table; b from network SNRs up to 40 (b ≤ √2·s·p·ρ), b = 0 included.
    const p = Math.exp(Math.log(0.5) + random() * Math.log(1660 / 0.5));
    const snr = n % 10 === 0 ? 0 : 40 * random() ** 2;
    const b = 1.17 * p * snr;
    const k = n % 3;
    const r0 = (2 * p * p) / b;
    const value = integrators[k].evaluate(p, b);
    const error = Math.abs(value - logRadialIntegral(0, 500, p, b, k + 2));
    // The bound the likelihood skips negligible terms by: log ℱ ≤ (b/2p)² + B(p) for b ≤ bLimit.
    if (b <= integrators[k].bLimit(p)) {
      const bound = (b / (2 * p)) ** 2 + integrators[k].upperBoundG(Math.log(p));
      if (value > bound) boundViolations++;
    }
    // Implied distances under 1 Mpc (0.2 % of r_max) sit where the integrand switches between
    // two peaks and the grid is coarse; they carry e^{-20} and less of the posterior.
    if (r0 > 1) errors.push(error);
  }
  errors.sort((a, b) => a - b);
  const median = errors[errors.length >> 1];
  const worst = errors[errors.length - 1];
  assert.ok(median < 1e-5, `median error ${median}`);
  assert.ok(worst < 1e-2, `worst error ${worst}`);
  assert.equal(boundViolations, 0);
  // p = 0 is exact; b = 0 has its own column of exact values, interpolated in p only.
  assert.ok(Math.abs(integrators[0].evaluate(0, 0) - Math.log(500 ** 3 / 3)) < 1e-12);
  assert.ok(
    Math.abs(integrators[1].evaluate(800, 0) - logRadialIntegral(0, 500, 800, 0, 3)) < 1e-4,
  );
});

test('invalid distance priors are refused', () => {
  const spec = { rMin: 0, rMax: 500, pMax: 1660, size: 400, alpha: 4 };
  assert.throws(
    () => validateRadialSpec({ ...spec, rMax: 0 }),
    /maximum distance must be finite and exceed/,
  );
  assert.throws(() => validateRadialSpec({ ...spec, rMin: -1 }), /minimum distance must be/);
  assert.throws(
    () => validateRadialSpec({ ...spec, rMax: Number.POSITIVE_INFINITY }),
    /maximum distance/,
  );
});
