import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  advancedLigoPsd,
  designPsd,
  sampledDesignPsd,
} from '../../../src/skymap/bayestar/design-psd.js';
import { PsdInterpolant } from '../../../src/skymap/bayestar/psd.js';

test('log–log interpolation is exact for a power law; DC and the top 5 % are dropped', () => {
  const values = Float64Array.from({ length: 101 }, (_, i) =>
    i === 0 ? 0 : 1e-46 * (i * 2) ** -3,
  );
  const psd = new PsdInterpolant({ f0: 0, deltaF: 2, values });
  for (const f of [2, 3.3, 17.7, 150, 189]) {
    assert.ok(Math.abs(psd.at(f) / (1e-46 * f ** -3) - 1) < 1e-12, `f = ${f}`);
  }
  assert.equal(psd.fMin, 2);
  assert.equal(psd.fMax, 190); // 0.95 × 200
  assert.equal(psd.at(1), Number.POSITIVE_INFINITY);
  assert.equal(psd.at(195), Number.POSITIVE_INFINITY);
});

test('zero, negative and non-finite samples count as "no data"', () => {
  const values = [0, 0, 0, 4, -1, Number.NaN, 1, 1, 1, 1, 1];
  const psd = new PsdInterpolant({ f0: 0, deltaF: 1, values });
  assert.equal(psd.fMin, 3);
  // Between 3 Hz (S = 4) and 6 Hz (S = 1), linear in log f and log S.
  const expected = Math.exp(
    Math.log(4) + ((Math.log(4.5) - Math.log(3)) / (Math.log(6) - Math.log(3))) * (0 - Math.log(4)),
  );
  assert.ok(Math.abs(psd.at(4.5) - expected) < 1e-15);
});

test('a PSD without usable samples, or with a bad spacing, is an error naming it', () => {
  assert.throws(
    () => new PsdInterpolant({ f0: 0, deltaF: 1, values: [0, 0, 0] }, 0.95, 'H1 PSD'),
    /H1 PSD: fewer than two/,
  );
  assert.throws(
    () => new PsdInterpolant({ f0: 0, deltaF: 0, values: [1, 1, 1] }),
    /deltaF must be a positive/,
  );
});

test('the analytic Advanced LIGO curve has its known shape; Virgo and KAGRA are scaled copies', () => {
  // The bucket of the fit near 215 Hz: S ≈ 3.3e-48 Hz⁻¹, i.e. √S ≈ 1.8e-24 /√Hz.
  assert.ok(Math.abs(advancedLigoPsd(215) / 3.3e-48 - 1) < 1e-12);
  assert.ok(
    advancedLigoPsd(150) > advancedLigoPsd(215) && advancedLigoPsd(400) > advancedLigoPsd(215),
  );
  assert.ok(advancedLigoPsd(10) > 100 * advancedLigoPsd(100));
  assert.equal(advancedLigoPsd(9), Number.POSITIVE_INFINITY);
  assert.ok(Math.abs(designPsd('V1', 100) / designPsd('H1', 100) - 4) < 1e-12);
  const sampled = sampledDesignPsd('L1', 0.5, 1024);
  assert.equal(sampled.values.length, 2049);
  assert.equal(sampled.values[10], 0); // 5 Hz: below the fit's validity
  assert.equal(sampled.values[200], advancedLigoPsd(100));
  assert.throws(() => designPsd('G1', 100), /no design PSD for detector 'G1'/);
});
