import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  coincidenceUpload,
  loadCoincidenceSet,
  timeShift,
} from '../../src/pipeline/mock/coincidence-set.js';
import { seededRandom } from '../../src/pipeline/mock/random.js';
import { jitterSnr } from '../../src/pipeline/mock/snr-jitter.js';
import { MOCK_FIXTURE } from '../fixtures/mock/make-fixtures.js';

function upload() {
  return coincidenceUpload(loadCoincidenceSet(MOCK_FIXTURE), 0, timeShift(0, 0));
}

test('jittered copies differ a little, and everything that follows from the SNR follows', () => {
  const input = upload();
  const random = seededRandom(7);
  for (let i = 0; i < 50; i++) {
    const copy = jitterSnr(input, random);
    let before = 0;
    let after = 0;
    copy.snglInspirals.forEach((s, j) => {
      const original = input.snglInspirals[j]!;
      assert.notEqual(s.snr, original.snr);
      assert.ok(Math.abs(s.snr! - original.snr!) < 0.5, 'a small perturbation');
      // Effective distance is σ/ρ: it scales inversely with the SNR.
      assert.ok(Math.abs(s.eff_distance! * s.snr! - original.eff_distance! * original.snr!) < 1e-6);
      before += original.snr! ** 2;
      after += s.snr! ** 2;
    });
    assert.ok(Math.abs(copy.coincInspiral.snr! - Math.sqrt(after)) < 1e-12);
    const ratio = Math.exp(-(after - before) / 2);
    assert.ok(
      Math.abs(copy.coincInspiral.combined_far! / input.coincInspiral.combined_far! - ratio) < 1e-9,
    );
    assert.ok(
      Math.abs(
        copy.coincInspiral.false_alarm_rate! / input.coincInspiral.false_alarm_rate! - ratio,
      ) < 1e-9,
    );
    assert.ok(
      Math.abs(copy.coincEvent.likelihood! - input.coincEvent.likelihood! - (after - before) / 2) <
        1e-9,
    );
    // A louder copy is rarer.
    if (after > before)
      assert.ok(copy.coincInspiral.combined_far! < input.coincInspiral.combined_far!);
  }
});

test('jitter leaves the original alone and is reproducible from a seed', () => {
  const input = upload();
  const snrs = input.snglInspirals.map((s) => s.snr);
  const a = jitterSnr(input, seededRandom(42));
  const b = jitterSnr(input, seededRandom(42));
  assert.deepEqual(
    a.snglInspirals.map((s) => s.snr),
    b.snglInspirals.map((s) => s.snr),
  );
  assert.deepEqual(
    input.snglInspirals.map((s) => s.snr),
    snrs,
  );
  assert.equal(a.psds, input.psds, 'PSDs are shared, not copied');
});

test('without a likelihood or FAR the copy has none either', () => {
  const input = coincidenceUpload(loadCoincidenceSet(MOCK_FIXTURE), 2, timeShift(0, 0));
  const copy = jitterSnr(
    { ...input, coincInspiral: { ...input.coincInspiral, combined_far: null } },
    seededRandom(1),
  );
  assert.equal(copy.coincEvent.likelihood, null);
  assert.equal(copy.coincInspiral.combined_far, null);
});
