import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoincEvent } from '../../../src/skymap/bayestar/coinc-event.js';
import { conjugatesPhases } from '../../../src/skymap/bayestar/coinc-event.js';
import { condition } from '../../../src/skymap/bayestar/conditioning.js';
import { getDetector } from '../../../src/skymap/bayestar/detectors.js';
import { type Injection, simulateCoinc } from '../../../src/skymap/bayestar/simulate.js';

const injection: Injection = {
  mass1: 1.5,
  mass2: 1.3,
  ra: 3.5,
  dec: 0.6,
  distance: 120,
  inclination: 2.5,
  polarization: 1.0,
  phase: -0.4,
  timeNs: 1_350_000_000_987_654_321n,
};

test('document SNR series: window, epochs, geometry and phases', () => {
  const sim = simulateCoinc(injection, { detectors: ['H1', 'L1', 'V1'], noise: false });
  const { event, snrSeriesSource, horizonSource } = condition(sim.coinc);
  assert.equal(snrSeriesSource, 'document');
  assert.equal(horizonSource, 'taylorf2');
  assert.deepEqual(event.detectors, ['H1', 'L1', 'V1']);
  assert.equal(event.sampleRate, 2048);
  // N = 2⌈T f_s⌉ − 1 with T = max |centred location| + 5 ms.
  let window = 0;
  for (let i = 0; i < 3; i++) {
    window = Math.max(window, Math.hypot(...event.locations.subarray(3 * i, 3 * i + 3)) + 0.005);
  }
  assert.equal(event.nSamples, 2 * Math.ceil(window * 2048) - 1);
  assert.equal(event.nSamples % 2, 1);
  // The epoch is the timing-weighted mean arrival: the series middles straddle it.
  const half = (event.nSamples - 1) / 2 / 2048;
  for (const e of event.epochs) assert.ok(Math.abs(e + half) < 0.03);
  // Location differences are preserved by the centring.
  const h1 = getDetector('H1').location;
  const l1 = getDetector('L1').location;
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(event.locations[c] - event.locations[3 + c] - (h1[c] - l1[c])) < 1e-15);
  }
  // Phases are back in the model convention: the middle sample is the expected SNR's phase.
  const n = event.nSamples;
  for (let i = 0; i < 3; i++) {
    const mid = i * n + (n - 1) / 2;
    const expected = sim.expectedSnr[i];
    const difference = event.snrPhase[mid] - Math.atan2(expected.im, expected.re);
    const wrapped = Math.atan2(Math.sin(difference), Math.cos(difference));
    // Within the phase the autocorrelation turns in half a sample.
    assert.ok(Math.abs(wrapped) < 0.6, `${event.detectors[i]}: ${wrapped}`);
    assert.ok(Math.abs(event.snrAmplitude[mid] - sim.coinc.triggers[i].snr) < 1e-9);
  }
  // Unwrapped phase: no jump larger than π between neighbours.
  for (let k = 1; k < n; k++)
    assert.ok(Math.abs(event.snrPhase[k] - event.snrPhase[k - 1]) <= Math.PI);
  assert.ok(Math.abs(event.rMax - Math.max(...event.horizons) / 4) < 1e-9);
});

test('without SNR series, zero-noise series are synthesized from the template and PSD', () => {
  const sim = simulateCoinc(injection, { detectors: ['H1', 'L1'], noise: false });
  const bare: CoincEvent = {
    ...sim.coinc,
    triggers: sim.coinc.triggers.map(({ snrSeries: _unused, ...rest }) => rest),
  };
  const document = condition(sim.coinc).event;
  const report = condition(bare);
  const synthesized = report.event;
  assert.equal(report.snrSeriesSource, 'synthesized');
  assert.equal(synthesized.sampleRate, document.sampleRate);
  assert.equal(synthesized.nSamples, document.nSamples);
  // Both are the template autocorrelation around the peak: they agree closely.
  const n = document.nSamples;
  for (let i = 0; i < 2 * n; i++) {
    assert.ok(
      Math.abs(synthesized.snrAmplitude[i] - document.snrAmplitude[i]) <
        0.05 * sim.coinc.triggers[0].snr,
    );
  }
  for (let i = 0; i < 2; i++)
    assert.ok(Math.abs(synthesized.epochs[i] - document.epochs[i]) < 1e-9);
  // And the option to ignore the document's series gives the same.
  const forced = condition(sim.coinc, { enableSnrSeries: false });
  assert.equal(forced.snrSeriesSource, 'synthesized');
  assert.deepEqual(forced.event.snrAmplitude, synthesized.snrAmplitude);
});

test('phase conventions by pipeline; unknown pipelines are refused', () => {
  assert.equal(conjugatesPhases('gstlal_inspiral'), true);
  assert.equal(conjugatesPhases('MBTAOnline'), true);
  assert.equal(conjugatesPhases('pycbc'), false);
  assert.equal(conjugatesPhases('PyCBC_live'), false);
  const sim = simulateCoinc(injection, { detectors: ['H1'], noise: false });
  const asGstlal = condition({ ...sim.coinc, program: 'gstlal_inspiral' }).event;
  const asPycbc = condition({ ...sim.coinc, program: 'pycbc' }).event;
  for (let k = 0; k < asGstlal.nSamples; k++) {
    assert.ok(Math.abs(Math.sin(asGstlal.snrPhase[k] + asPycbc.snrPhase[k])) < 1e-12);
  }
  assert.throws(
    () => condition({ ...sim.coinc, program: 'my_search' }),
    /unknown pipeline program 'my_search'/,
  );
});

test('disabled detectors are left out; disabling them all is an error', () => {
  const sim = simulateCoinc(injection, { detectors: ['H1', 'L1', 'V1'], noise: false });
  const report = condition(sim.coinc, { disabledDetectors: ['V1'] });
  assert.deepEqual(report.event.detectors, ['H1', 'L1']);
  assert.deepEqual(report.disabled, ['V1']);
  assert.throws(
    () => condition({ ...sim.coinc, id: 'G123' }, { disabledDetectors: ['H1', 'L1', 'V1'] }),
    /event G123: every detector with a trigger is disabled/,
  );
});

test('prior options and the rescale reach the conditioned event', () => {
  const sim = simulateCoinc(injection, { detectors: ['H1', 'L1'], noise: false });
  const { event } = condition(sim.coinc, {
    minDistance: 10,
    maxDistance: 300,
    distancePower: 1,
    rescale: 1,
  });
  assert.equal(event.rMin, 10);
  assert.equal(event.rMax, 300);
  assert.equal(event.distancePower, 1);
  assert.equal(event.rescale, 1);
  // A higher f_low removes low-frequency sensitivity: smaller horizons, sharper timing.
  const low = condition(sim.coinc).event;
  const high = condition(sim.coinc, { fLow: 40 }).event;
  assert.ok(high.horizons[0] < low.horizons[0]);
});

test('malformed inputs name the event, the detector and what is wrong', () => {
  const sim = simulateCoinc(injection, { detectors: ['H1', 'L1'], noise: false });
  const coinc = { ...sim.coinc, id: 'M42' };
  const [h1, l1] = coinc.triggers;
  assert.ok(h1.snrSeries);
  const series = {
    ...h1.snrSeries,
    re: Float64Array.from(h1.snrSeries.re),
    im: Float64Array.from(h1.snrSeries.im),
  };
  const withH1 = (changes: object): CoincEvent => ({
    ...coinc,
    triggers: [{ ...h1, ...changes }, l1],
  });
  assert.throws(
    () => condition({ ...coinc, triggers: [h1, h1] }),
    /M42: two triggers for detector H1/,
  );
  assert.throws(() => condition({ ...coinc, triggers: [] }), /M42: no triggers/);
  assert.throws(() => condition(withH1({ snr: 0 })), /M42: H1 trigger SNR must be positive/);
  assert.throws(
    () =>
      condition(
        withH1({ snrSeries: { ...series, re: series.re.slice(1), im: series.im.slice(1) } }),
      ),
    /M42: H1 SNR series has an even number of samples/,
  );
  assert.ok(l1.snrSeries);
  const l1Faster = { ...l1, snrSeries: { ...l1.snrSeries, deltaT: l1.snrSeries.deltaT / 2 } };
  assert.throws(
    () => condition({ ...coinc, triggers: [h1, l1Faster] }),
    /M42: L1 SNR series has deltaT 0.000244140625 s, but H1 has 0.00048828125 s/,
  );
  const short = {
    ...series,
    epochNs: series.epochNs + BigInt(Math.round(195 * series.deltaT * 1e9)),
    re: series.re.slice(195, -195),
    im: series.im.slice(195, -195),
  };
  assert.throws(
    () => condition(withH1({ snrSeries: short })),
    /M42: H1 SNR series has 21 samples; the arrival-time window of this network needs \d+/,
  );
  assert.throws(
    () => condition(withH1({ timeNs: h1.timeNs + 5_000_000n })),
    /M42: H1 SNR series: its middle sample is -?\d+ ns from the trigger time/,
  );
  const corrupt = Float64Array.from(series.re);
  corrupt[205] = Number.NaN; // the middle sample, inside the window
  assert.throws(
    () => condition(withH1({ snrSeries: { ...series, re: corrupt } })),
    /H1 SNR series: sample 205 is not finite/,
  );
  assert.throws(
    () => condition(coinc, { minDistance: 50, maxDistance: 10 }),
    /distance prior needs 0 ≤ min < max/,
  );
  assert.throws(
    () => condition(coinc, { distancePower: 1.5 }),
    /prior distance power must be an integer/,
  );
});

test('heavy templates take their horizon from the pipeline sigmasq when every trigger has one', () => {
  const sim = simulateCoinc(
    { ...injection, mass1: 20, mass2: 15 },
    { detectors: ['H1', 'L1'], noise: false },
  );
  const report = condition(sim.coinc);
  assert.equal(report.horizonSource, 'sigmasq');
  assert.ok(
    Math.abs(report.event.horizons[0] - Math.sqrt(sim.coinc.triggers[0].sigmasq ?? 0)) < 1e-9,
  );
  const without = condition({
    ...sim.coinc,
    triggers: sim.coinc.triggers.map((t) => ({ ...t, sigmasq: undefined })),
  });
  assert.equal(without.horizonSource, 'taylorf2');
});
