import assert from 'node:assert/strict';
import { test } from 'node:test';
import { antennaFactor } from '../../../src/skymap/bayestar/antenna.js';
import { getDetector, KNOWN_DETECTORS } from '../../../src/skymap/bayestar/detectors.js';

/** Right ascension and declination of an Earth-fixed unit vector at sidereal time gmst. */
function toSky(v: number[], gmst: number): [number, number] {
  const norm = Math.hypot(v[0], v[1], v[2]);
  return [Math.atan2(v[1], v[0]) + gmst, Math.asin(v[2] / norm)];
}

function cross(a: number[], b: number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Arm directions recovered from D = (xxᵀ − yyᵀ)/2: eigenvectors for ±½. */
function arms(name: string): { x: number[]; y: number[] } {
  const d = getDetector(name).response;
  const eigen = (sign: number): number[] => {
    // Power iteration on D + ½·sign·I picks the eigenvector of eigenvalue sign·½.
    let v = [0.3, 0.5, 0.7];
    for (let k = 0; k < 200; k++) {
      const w = [0, 1, 2].map(
        (i) => sign * (d[3 * i] * v[0] + d[3 * i + 1] * v[1] + d[3 * i + 2] * v[2]) + 0.5 * v[i],
      );
      const n = Math.hypot(...w);
      v = w.map((c) => c / n);
    }
    return v;
  };
  return { x: eigen(1), y: eigen(-1) };
}

test('a source at the zenith of the arms sees |F| = 1; one along an arm sees |F| = ½', () => {
  const out = new Float64Array(2);
  const gmst = 1.234;
  for (const name of KNOWN_DETECTORS) {
    const { x, y } = arms(name);
    const response = getDetector(name).response;
    const [raZ, decZ] = toSky(cross(x, y), gmst);
    antennaFactor(response, 0, gmst - raZ, decZ, out);
    assert.ok(Math.abs(Math.hypot(out[0], out[1]) - 1) < 1e-6, `${name} zenith`);
    const [raX, decX] = toSky(x, gmst);
    antennaFactor(response, 0, gmst - raX, decX, out);
    assert.ok(Math.abs(Math.hypot(out[0], out[1]) - 0.5) < 1e-6, `${name} along x`);
  }
});

test('the antenna factor equals the tensor contraction with explicit polarization tensors', () => {
  const response = getDetector('L1').response;
  const out = new Float64Array(2);
  for (const [gha, dec] of [
    [0.3, 0.2],
    [2.5, -1.1],
    [-1.7, 0.9],
  ]) {
    antennaFactor(response, 0, gha, dec, out);
    // Wave-frame basis: X = ∂n/∂(−RA) direction, Y = ∂n/∂Dec, n the direction to the source.
    const X = [-Math.sin(gha), -Math.cos(gha), 0];
    const Y = [-Math.cos(gha) * Math.sin(dec), Math.sin(gha) * Math.sin(dec), Math.cos(dec)];
    let plus = 0;
    let crossTerm = 0;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        plus += response[3 * i + j] * (X[i] * X[j] - Y[i] * Y[j]);
        crossTerm += response[3 * i + j] * (X[i] * Y[j] + Y[i] * X[j]);
      }
    }
    assert.ok(Math.abs(out[0] - plus) < 1e-14);
    assert.ok(Math.abs(out[1] - crossTerm) < 1e-14);
    // X, Y and the propagation direction are orthonormal.
    assert.ok(Math.abs(X[0] * Y[0] + X[1] * Y[1] + X[2] * Y[2]) < 1e-15);
  }
});
