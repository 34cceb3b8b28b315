import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  logBesselI0Scaled,
  logBesselI0ScaledReference,
} from '../../../src/skymap/bayestar/bessel.js';
import { AdaptiveGaussKronrod } from '../../../src/skymap/bayestar/gauss-kronrod.js';
import { gaussLegendre } from '../../../src/skymap/bayestar/gauss-legendre.js';

test('log Ī₀: the reference matches tabulated I₀; the fast form matches the reference', () => {
  const known: [number, number][] = [
    [0, 1],
    [1, 1.2660658777520082],
    [10, 2815.716628466254],
    [20, 4.355828255955353e7],
    [50, 2.932553783849336e20],
  ];
  for (const [x, i0] of known) {
    assert.ok(Math.abs(logBesselI0ScaledReference(x) + x - Math.log(i0)) < 1e-13, `x = ${x}`);
    assert.ok(Math.abs(logBesselI0Scaled(x) + x - Math.log(i0)) < 1e-12, `x = ${x}`);
  }
  let worst = 0;
  for (let x = 0; x < 1e6; x = x < 40 ? x + 0.00731 : x * 1.01) {
    worst = Math.max(worst, Math.abs(logBesselI0Scaled(x) - logBesselI0ScaledReference(x)));
  }
  assert.ok(worst < 5e-13, `worst difference ${worst}`);
  // Symmetric in x, and the asymptote 1/√(2πx).
  assert.equal(logBesselI0Scaled(-3.7), logBesselI0Scaled(3.7));
  assert.ok(Math.abs(logBesselI0Scaled(1e8) + 0.5 * Math.log(2 * Math.PI * 1e8)) < 1e-8);
});

test('Gauss–Legendre nodes integrate polynomials of degree 2n − 1 exactly', () => {
  const { nodes, weights } = gaussLegendre(10);
  assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 2) < 1e-14);
  for (let degree = 0; degree < 20; degree++) {
    const sum = nodes.reduce((s, x, i) => s + weights[i] * x ** degree, 0);
    const exact = degree % 2 === 1 ? 0 : 2 / (degree + 1);
    assert.ok(Math.abs(sum - exact) < 1e-14, `degree ${degree}`);
  }
  for (let i = 1; i < 10; i++) assert.ok(nodes[i] > nodes[i - 1]);
});

test('adaptive Gauss–Kronrod integrates several integrands to the requested tolerance', () => {
  const quadrature = new AdaptiveGaussKronrod(3, { epsrel: 1e-10, limit: 200 });
  const integrand = {
    size: 3,
    evaluate(x: number, out: Float64Array, at: number) {
      out[at] = Math.exp(-x * x);
      out[at + 1] = x ** 30; // within the Kronrod rule's degree 31, beyond the Gauss rule's 19
      out[at + 2] = 1 / (1 + 1e4 * (x - 0.3) ** 2); // a sharp peak, found by bisection
    },
  };
  const out = new Float64Array(3);
  const used = quadrature.integrate(integrand, [-1, 0.3, 1], 3, out);
  assert.ok(Math.abs(out[0] - 1.493648265624854) < 1e-12);
  assert.ok(Math.abs(out[1] / (2 / 31) - 1) < 1e-10);
  const peak = (Math.atan(100 * 0.7) + Math.atan(100 * 1.3)) / 100;
  assert.ok(Math.abs(out[2] / peak - 1) < 1e-9);
  assert.ok(used >= 2 && used <= 200);
});
