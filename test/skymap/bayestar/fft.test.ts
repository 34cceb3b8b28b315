import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fft } from '../../../src/skymap/bayestar/fft.js';

test('the FFT matches a direct DFT and inverts up to the factor L', () => {
  const n = 64;
  const re = Float64Array.from({ length: n }, (_, k) => Math.sin(0.37 * k * k) + 0.1 * k);
  const im = Float64Array.from({ length: n }, (_, k) => Math.cos(1.3 * k));
  const fr = Float64Array.from(re);
  const fi = Float64Array.from(im);
  fft(fr, fi, -1);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const angle = (-2 * Math.PI * j * k) / n;
      sr += re[j] * Math.cos(angle) - im[j] * Math.sin(angle);
      si += re[j] * Math.sin(angle) + im[j] * Math.cos(angle);
    }
    assert.ok(Math.abs(fr[k] - sr) < 1e-11 && Math.abs(fi[k] - si) < 1e-11, `bin ${k}`);
  }
  fft(fr, fi, 1);
  for (let k = 0; k < n; k++) {
    assert.ok(Math.abs(fr[k] / n - re[k]) < 1e-13 && Math.abs(fi[k] / n - im[k]) < 1e-13);
  }
});

test('lengths that are not powers of two are refused', () => {
  assert.throws(() => fft(new Float64Array(12), new Float64Array(12), 1), /not a power of two/);
});
