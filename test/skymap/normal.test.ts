import assert from 'node:assert/strict';
import { test } from 'node:test';
import { erf, erfc, erfcx, normalCdf, normalPdfOverCdf } from '../../src/skymap/normal.js';

/** erfc(x) from CPython's math.erfc (libm), an independent implementation. */
const ERFC: [number, number][] = [
  [-5, 1.9999999999984626],
  [-3, 1.9999779095030015],
  [-2.0001, 1.9953243313041966],
  [-2, 1.9953222650189528],
  [-1, 1.842700792949715],
  [-0.5, 1.5204998778130465],
  [-0.001, 1.0011283787909693],
  [0, 1],
  [1e-8, 0.9999999887162083],
  [0.3, 0.6713732405408726],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [1.5, 0.033894853524689274],
  [1.9999, 0.004679802092970608],
  [2, 0.004677734981047265],
  [2.5, 0.0004069520174449589],
  [3, 2.2090496998585438e-5],
  [5, 1.5374597944280351e-12],
  [10, 2.088487583762545e-45],
  [26, 5.663192408856143e-296],
];

test('erfc to 1e−13 relative over the whole line', () => {
  for (const [x, expected] of ERFC) {
    const got = erfc(x);
    assert.ok(
      Math.abs(got - expected) <= 1e-13 * expected,
      `erfc(${x}) = ${got}, expected ${expected}`,
    );
    assert.ok(Math.abs(erf(x) - (1 - expected)) < 2e-16 + 1e-13 * Math.abs(1 - expected));
  }
  assert.equal(erfc(40), 0);
  assert.equal(erfc(-40), 2);
  assert.ok(Number.isNaN(erfc(Number.NaN)));
});

test('scaled erfc and the normal tails stay finite where erfc underflows', () => {
  // erfcx(x) ~ 1/(x√π) for large x.
  assert.ok(Math.abs(erfcx(1e6) * 1e6 * Math.sqrt(Math.PI) - 1) < 1e-12);
  assert.ok(Math.abs(erfcx(3) - Math.exp(9) * 2.2090496998585438e-5) < 1e-13);
  assert.equal(normalCdf(0), 0.5);
  assert.ok(Math.abs(normalCdf(-3) - 0.0013498980316300946) < 1e-17);
  // φ(z)/Φ(z) → −z deep in the left tail, → 0 in the right.
  assert.ok(Math.abs(normalPdfOverCdf(-100) - 100.00999800099926) < 1e-9);
  assert.ok(normalPdfOverCdf(40) < 1e-300);
  assert.ok(Math.abs(normalPdfOverCdf(0) - 2 / Math.sqrt(2 * Math.PI)) < 1e-15);
});
