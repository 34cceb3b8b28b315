import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coincDocument, readCoinc, writeLigoLw } from '../../src/formats/ligolw/index.js';
import { farForSnr, generatedCoincidence } from '../../src/pipeline/mock/generated-source.js';
import { seededRandom } from '../../src/pipeline/mock/random.js';

const NOW = 1400000000;
const none = async () => [];

test('a generated mock event is a detectable binary seen by at least two detectors, with PSDs and SNR series', async () => {
  for (let seed = 1; seed <= 4; seed++) {
    const event = await generatedCoincidence(NOW, seededRandom(seed), none);
    assert.equal(event.origin.source, 'generated');
    assert.ok(event.gps < NOW && event.gps > NOW - 5, 'just before now');
    const coinc = readCoinc(writeLigoLw(coincDocument(event.input)));
    const detectors = coinc.snglInspirals.map((s) => s.ifo);
    assert.ok(detectors.length >= 2);
    assert.deepEqual(detectors, event.origin.detectors);
    assert.deepEqual(Object.keys(coinc.psds).sort(), [...detectors].sort());
    assert.equal(coinc.snrSeries.length, detectors.length);
    for (const s of coinc.snglInspirals) assert.ok(s.snr! > 3, `${s.ifo} SNR ${s.snr}`);
    const snr = coinc.coincInspiral.snr!;
    assert.ok(Math.abs(snr - event.origin.networkSnr!) < 1e-9);
    assert.ok(snr > 7 && snr < 50, `network SNR ${snr}`);
    assert.equal(coinc.coincInspiral.combined_far, farForSnr(snr));
    assert.ok(
      Math.abs(coinc.coincInspiral.end_time + coinc.coincInspiral.end_time_ns * 1e-9 - event.gps) <
        0.05,
    );
    assert.ok(event.origin.mass1! >= event.origin.mass2!);
  }
});

test('the same seed gives the same event', async () => {
  const a = await generatedCoincidence(NOW, seededRandom(11), none);
  const b = await generatedCoincidence(NOW, seededRandom(11), none);
  assert.deepEqual(a.origin, b.origin);
  assert.deepEqual(
    a.input.snglInspirals.map((s) => s.snr),
    b.input.snglInspirals.map((s) => s.snr),
  );
});

test('a generated event steps back from a time an earlier mock event holds', async () => {
  const held = { start: NOW - 2, end: NOW };
  const event = await generatedCoincidence(NOW, seededRandom(5), async () => [held]);
  assert.ok(event.gps < held.start - 5, `${event.gps} is clear of the earlier superevent`);
});

test('the FAR model falls with SNR as the Gaussian tail, down to its floor', () => {
  assert.ok(Math.abs(farForSnr(8) - 1e-4) < 1e-18);
  assert.ok(Math.abs(farForSnr(10) / farForSnr(8) - Math.exp(-18)) < 1e-12);
  assert.equal(farForSnr(100), 1e-20);
});
