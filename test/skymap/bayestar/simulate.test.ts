import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../src/skymap/bayestar/random.js';
import {
  type Injection,
  SIMULATION_PROGRAM,
  simulateCoinc,
} from '../../../src/skymap/bayestar/simulate.js';

const injection: Injection = {
  mass1: 1.4,
  mass2: 1.3,
  ra: 1.2,
  dec: -0.4,
  distance: 150,
  inclination: 0.5,
  polarization: 0.3,
  phase: 1.1,
  timeNs: 1_300_000_000_123_456_789n,
};

test('zero-noise triggers carry the expected SNR at the sample nearest the arrival', () => {
  const sim = simulateCoinc(injection, {
    detectors: ['H1', 'L1', 'V1'],
    noise: false,
    sampleRate: 2048,
  });
  assert.equal(sim.coinc.program, SIMULATION_PROGRAM);
  assert.equal(sim.coinc.triggers.length, 3);
  sim.coinc.triggers.forEach((trigger, i) => {
    const expected = sim.expectedSnr[i];
    const magnitude = Math.hypot(expected.re, expected.im);
    // The peak sample is within half a sample of the arrival: |a(Δ)| ≥ 0.97 there.
    assert.ok(trigger.snr <= magnitude + 1e-9 && trigger.snr > 0.97 * magnitude, trigger.detector);
    const series = trigger.snrSeries;
    assert.ok(series);
    const middle = (series.re.length - 1) / 2;
    const middleNs = series.epochNs + BigInt(Math.round((middle / 2048) * 1e9));
    assert.ok(middleNs - trigger.timeNs <= 1n && trigger.timeNs - middleNs <= 1n); // rounding
    // Written in the anti-FINDCHIRP convention: the phase is that of the conjugated series.
    assert.ok(Math.abs(Math.hypot(series.re[middle], series.im[middle]) - trigger.snr) < 1e-9);
    assert.ok(Math.abs(Math.atan2(series.im[middle], series.re[middle]) - trigger.phase) < 1e-9);
    assert.ok(trigger.sigmasq && trigger.sigmasq > 1e6);
  });
  assert.ok(Math.abs(sim.networkSnr - sim.optimalNetworkSnr) < 0.03 * sim.optimalNetworkSnr);
});

test('arrival times follow the geometry: the trigger time differences are the light travel delays', () => {
  const sim = simulateCoinc(injection, {
    detectors: ['H1', 'L1'],
    noise: false,
    sampleRate: 16384,
  });
  const [h1, l1] = sim.coinc.triggers;
  const delay = Number(l1.timeNs - h1.timeNs) * 1e-9;
  // |Δt| ≤ 10 ms baseline; at 16384 Hz the peaks resolve it to a sample.
  assert.ok(Math.abs(delay) < 0.0101);
  assert.ok(Math.abs(delay) > 0.001, `delay ${delay}`);
});

test('the same seed gives the same event; another seed other noise', () => {
  const options = { detectors: ['H1', 'L1'], seed: 7 };
  const a = simulateCoinc(injection, options);
  const b = simulateCoinc(injection, options);
  const c = simulateCoinc(injection, { ...options, seed: 8 });
  assert.deepEqual(a.coinc.triggers[0].snrSeries?.re, b.coinc.triggers[0].snrSeries?.re);
  assert.notDeepEqual(a.coinc.triggers[0].snrSeries?.re, c.coinc.triggers[0].snrSeries?.re);
});

test('noise has unit variance per quadrature: E|n|² = 2', () => {
  let sum = 0;
  let count = 0;
  for (let seed = 1; seed <= 20; seed++) {
    // A source so far away that the series are noise.
    const sim = simulateCoinc(
      { ...injection, distance: 1e7 },
      { detectors: ['L1'], seed, halfLength: 200 },
    );
    const series = sim.coinc.triggers[0].snrSeries;
    assert.ok(series);
    // Samples 40 apart (20 ms) are nearly uncorrelated.
    for (let k = 0; k < series.re.length; k += 40) {
      sum += series.re[k] ** 2 + series.im[k] ** 2;
      count++;
    }
  }
  const mean = sum / count;
  assert.ok(Math.abs(mean - 2) < 0.45, `mean |n|² = ${mean} over ${count} samples`);
});

test('bad simulation inputs are errors', () => {
  assert.throws(
    () => simulateCoinc({ ...injection, distance: 0 }, { detectors: ['H1'] }),
    /distance must be positive/,
  );
  assert.throws(() => simulateCoinc(injection, { detectors: [] }), /at least one detector/);
  assert.throws(
    () => simulateCoinc(injection, { detectors: ['H1'], sampleRate: 3000 }),
    /power of two/,
  );
  assert.throws(
    () => simulateCoinc(injection, { detectors: ['Q1'] }),
    /unknown detector 'Q1'|no design PSD/,
  );
});

test('the generator is reproducible and its normals are standard', () => {
  const a = new Random(42);
  const b = new Random(42);
  const draws = Array.from({ length: 5 }, () => a.uniform());
  assert.deepEqual(
    draws,
    Array.from({ length: 5 }, () => b.uniform()),
  );
  const r = new Random(1);
  let s1 = 0;
  let s2 = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s1 += x;
    s2 += x * x;
  }
  assert.ok(Math.abs(s1 / n) < 0.03);
  assert.ok(Math.abs(s2 / n - 1) < 0.04);
  assert.throws(() => new Random(0.5), /seed must be an integer/);
});
