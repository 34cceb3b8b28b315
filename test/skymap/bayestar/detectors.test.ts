import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getDetector, KNOWN_DETECTORS } from '../../../src/skymap/bayestar/detectors.js';

function distance(a: Float64Array, b: Float64Array): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

test('light travel times between the sites match the published baselines', () => {
  const h1 = getDetector('H1');
  const l1 = getDetector('L1');
  const v1 = getDetector('V1');
  // 3002 km Hanford–Livingston and 8666 km Hanford–Virgo baselines.
  assert.ok(Math.abs(distance(h1.location, l1.location) - 0.010012) < 2e-6);
  assert.ok(Math.abs(distance(h1.location, v1.location) - 0.027287) < 5e-6);
  for (const name of KNOWN_DETECTORS) {
    const radius = Math.hypot(...getDetector(name).location);
    // Vertices lie on the Earth's surface: 6357–6378 km.
    assert.ok(radius > 6.35e6 / 299792458 && radius < 6.38e6 / 299792458, name);
  }
});

test('response tensors are symmetric and traceless with unit-norm eigenvalues ±½', () => {
  for (const name of KNOWN_DETECTORS) {
    const d = getDetector(name).response;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) assert.ok(Math.abs(d[3 * i + j] - d[3 * j + i]) < 1e-15);
    }
    assert.ok(Math.abs(d[0] + d[4] + d[8]) < 1e-7, `${name} trace`);
    // For orthogonal unit arms, Σ D_ij² = ½.
    const frobenius = d.reduce((sum, v) => sum + v * v, 0);
    assert.ok(Math.abs(frobenius - 0.5) < 1e-6, `${name} norm ${frobenius}`);
  }
});

test('an unknown detector is an error that lists the known ones', () => {
  assert.throws(() => getDetector('X9'), /unknown detector 'X9'.*H1, L1, V1, K1, I1/);
});
