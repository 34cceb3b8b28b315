import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampledDesignPsd } from '../../../src/skymap/bayestar/design-psd.js';
import { PsdInterpolant } from '../../../src/skymap/bayestar/psd.js';
import { SignalModel } from '../../../src/skymap/bayestar/signal-model.js';
import {
  chirpMass,
  lastStableOrbitFrequency,
  newtonianAmplitudeSquared,
} from '../../../src/skymap/bayestar/taylorf2.js';

const WHITE = 1e-46;
const whitePsd = new PsdInterpolant({
  f0: 0,
  deltaF: 1,
  values: new Float64Array(8193).fill(WHITE),
});

test('chirp mass and last stable orbit', () => {
  assert.ok(Math.abs(chirpMass(1.4, 1.4) - 1.2187707886145736) < 1e-12);
  // f_LSO = 1/(6^1.5 π M T☉): 1570 Hz for 2.8 M☉.
  assert.ok(Math.abs(lastStableOrbitFrequency(2.8) - 1570.4) < 0.5);
});

test('the horizon and timing moments match closed forms for white noise', () => {
  const template = { mass1: 1.4, mass2: 1.4, fFinal: 1024 };
  const model = SignalModel.taylorF2(template, whitePsd, 20, 1 / 64);
  // r₁² = 4 A²/S ∫ f^(−7/3) df = 3A²/S (f_low^(−4/3) − f_high^(−4/3)).
  const a2 = newtonianAmplitudeSquared(1.4, 1.4);
  const expected = Math.sqrt(((3 * a2) / WHITE) * (20 ** (-4 / 3) - 1024 ** (-4 / 3)));
  assert.ok(Math.abs(model.horizon / expected - 1) < 2e-3, `${model.horizon} vs ${expected}`);
  // ⟨f⟩ = ∫ f^(−4/3) / ∫ f^(−7/3) for the same band.
  const m1 = 3 * (20 ** (-1 / 3) - 1024 ** (-1 / 3));
  const m0 = 0.75 * (20 ** (-4 / 3) - 1024 ** (-4 / 3));
  assert.ok(Math.abs(model.meanOmega / (2 * Math.PI * (m1 / m0)) - 1) < 2e-3);
  assert.ok(Math.abs(model.timingSigma(10) * 10 - model.timingSigma(1)) < 1e-15);
});

test('a BNS at Advanced LIGO design sensitivity has a horizon of a few hundred Mpc at SNR 8', () => {
  const psd = new PsdInterpolant(sampledDesignPsd('H1'));
  const model = SignalModel.taylorF2({ mass1: 1.4, mass2: 1.4 }, psd, 15);
  assert.ok(model.horizon / 8 > 400 && model.horizon / 8 < 550, `${model.horizon / 8} Mpc`);
  // Timing accuracy of order a millisecond at SNR 1 (sub-ms at detection SNRs).
  assert.ok(model.timingSigma(1) > 5e-4 && model.timingSigma(1) < 5e-3);
});

test('the autocorrelation is 1 at zero lag, bounded by 1 and Hermitian', () => {
  const psd = new PsdInterpolant(sampledDesignPsd('L1'));
  const model = SignalModel.taylorF2({ mass1: 1.5, mass2: 1.3, fFinal: 1024 }, psd, 15);
  const acf = model.autocorrelation(2048, 60);
  assert.ok(Math.abs(acf.re[0] - 1) < 1e-12 && Math.abs(acf.im[0]) < 1e-12);
  for (let k = 1; k < 60; k++) assert.ok(Math.hypot(acf.re[k], acf.im[k]) < 1);
  // It decays over a few samples at 2048 Hz and oscillates at the band's mean frequency.
  assert.ok(Math.hypot(acf.re[20], acf.im[20]) < 0.5);
  assert.throws(
    () => model.autocorrelation(1024, 10),
    /below twice the template's highest frequency/,
  );
});

test('bad template masses and PSDs that miss the band are errors', () => {
  assert.throws(
    () => SignalModel.taylorF2({ mass1: 0, mass2: 1 }, whitePsd, 15),
    /masses must be positive/,
  );
  const narrow = new PsdInterpolant({ f0: 0, deltaF: 1, values: new Float64Array(12).fill(1e-46) });
  assert.throws(
    () => SignalModel.taylorF2({ mass1: 1.4, mass2: 1.4 }, narrow, 15),
    /no sensitivity/,
  );
});
