import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CubicInterp1D, CubicInterp2D } from '../../../src/skymap/bayestar/cubic-interp.js';

const quadratic = (x: number) => 0.7 * x * x - 2.1 * x + 0.4;

test('1-D: quadratics are reproduced exactly, edge cells included; inputs are clamped', () => {
  const origin = -1.5;
  const step = 0.25;
  const values = Float64Array.from({ length: 13 }, (_, i) => quadratic(origin + i * step));
  const interp = new CubicInterp1D(values, origin, step);
  for (let x = origin; x <= origin + 12 * step; x += 0.0371) {
    assert.ok(Math.abs(interp.evaluate(x) - quadratic(x)) < 1e-12, `x = ${x}`);
  }
  assert.equal(interp.evaluate(-100), values[0]);
  assert.ok(Math.abs(interp.evaluate(100) - values[12]) < 1e-12);
  assert.equal(interp.evaluate(Number.NaN), values[0]);
});

test('1-D: smooth functions converge at third order', () => {
  const error = (n: number) => {
    const step = 2 / (n - 1);
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * i * step));
    const interp = new CubicInterp1D(values, 0, step);
    let worst = 0;
    for (let x = 0; x <= 2; x += 0.001)
      worst = Math.max(worst, Math.abs(interp.evaluate(x) - Math.sin(3 * x)));
    return worst;
  };
  const ratio = error(41) / error(81);
  assert.ok(ratio > 6, `error ratio ${ratio} on halving the step`);
});

test('2-D: separable quadratics are reproduced exactly; values are clamped beyond the grid', () => {
  const f = (x: number, y: number) => quadratic(x) * (0.3 * y * y + y - 1) + x * y;
  const ns = 9;
  const nt = 7;
  const values = new Float64Array(ns * nt);
  for (let i = 0; i < ns; i++)
    for (let j = 0; j < nt; j++) values[i * nt + j] = f(-1 + 0.5 * i, 2 + 0.2 * j);
  const interp = new CubicInterp2D(values, ns, nt, -1, 0.5, 2, 0.2);
  for (let x = -1; x <= 3; x += 0.13) {
    for (let y = 2; y <= 3.2; y += 0.07) {
      assert.ok(Math.abs(interp.evaluate(x, y) - f(x, y)) < 1e-11, `(${x}, ${y})`);
    }
  }
  assert.ok(Math.abs(interp.evaluate(-50, 50) - f(-1, 3.2)) < 1e-11);
  const rebuilt = new CubicInterp2D(null, ns, nt, -1, 0.5, 2, 0.2, interp.coefficients);
  assert.equal(rebuilt.evaluate(0.77, 2.33), interp.evaluate(0.77, 2.33));
});

test('non-finite samples are refused with their index', () => {
  assert.throws(() => new CubicInterp1D([1, 2, Number.NaN, 4], 0, 1), /sample 2 is not finite/);
});
