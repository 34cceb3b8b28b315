import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EM_BRIGHT_KEYS,
  EM_BRIGHT_SSM_KEYS,
  emBrightFromTemplate,
} from '../../src/science/em-bright/from-template.js';
import { ScienceInputError } from '../../src/science/errors.js';
import { defaultSettings } from './default-settings.js';

const settings = defaultSettings();
const point = defaultSettings({ em_bright_method: 'point' });

function classify(m1: number, m2: number, chi1: number, chi2: number, snr: number) {
  return emBrightFromTemplate({ mass1: m1, mass2: m2, spin1z: chi1, spin2z: chi2, snr }, settings)
    .properties;
}

test('keys are exactly the reference keys, in its order', () => {
  assert.deepEqual(Object.keys(classify(1.4, 1.3, 0, 0, 10)), [...EM_BRIGHT_KEYS]);
  const ssm = emBrightFromTemplate(
    { mass1: 0.9, mass2: 0.5, spin1z: 0, spin2z: 0, snr: 9 },
    settings,
    { search: 'SSM' },
  );
  assert.deepEqual(Object.keys(ssm.properties), [...EM_BRIGHT_SSM_KEYS]);
  assert.equal(ssm.properties.HasSSM, 1);
});

test('package sanity anchors hold directionally (science-spec §5.1)', () => {
  const bns = classify(1.1, 1.0, 0, 0, 20);
  assert.deepEqual([bns.HasNS, bns.HasRemnant], [1, 1]);
  assert.ok(bns.HasMassGap! < 0.05);

  const bbh = classify(100, 50, 0, 0, 10);
  assert.deepEqual([bbh.HasNS, bbh.HasRemnant], [0, 0]);
  assert.ok(bbh.HasMassGap! < 0.05);

  const antiAligned = classify(8, 1.4, -0.99, 0, 20);
  assert.ok(antiAligned.HasNS! > 0.95);
  assert.ok(antiAligned.HasRemnant! < 0.05);

  const aligned = classify(8, 1.4, 0.99, 0, 20);
  assert.ok(aligned.HasNS! > 0.95);
  assert.ok(aligned.HasRemnant! > 0.95);
  assert.ok(aligned.HasMassGap! < 0.1);
});

test('the point method gives the template classification, 0 or 1', () => {
  const r = emBrightFromTemplate({ mass1: 4, mass2: 1.2, spin1z: 0, spin2z: 0 }, point);
  assert.deepEqual(r.properties, { HasNS: 1, HasRemnant: 1, HasMassGap: 1 });
  assert.equal(r.model.name, 'analytic-point');
  const bbh = emBrightFromTemplate({ mass1: 30, mass2: 20, spin1z: 0, spin2z: 0 }, point);
  assert.deepEqual(bbh.properties, { HasNS: 0, HasRemnant: 0, HasMassGap: 0 });
});

test('smoothing tends to the point estimate as the SNR grows', () => {
  const near = { mass1: 5.5, mass2: 1.4, spin1z: 0, spin2z: 0 };
  const loud = emBrightFromTemplate({ ...near, snr: 1e6 }, settings).properties;
  const exact = emBrightFromTemplate(near, point).properties;
  assert.deepEqual(loud, exact);
  // A quiet template next to the mass-gap edge spills into it; a loud one does not.
  const quiet = emBrightFromTemplate({ ...near, snr: 8 }, settings).properties;
  assert.ok(quiet.HasMassGap! > 0 && quiet.HasMassGap! < 1);
  assert.equal(loud.HasMassGap, 0);
});

test('HasNS falls as the secondary crosses the maximum NS mass', () => {
  let previous = 2;
  for (const m2 of [2.0, 2.6, 2.9, 3.0, 3.1, 3.4, 4.0]) {
    const p = classify(m2 + 0.5, m2, 0, 0, 12).HasNS!;
    assert.ok(p <= previous, `HasNS(${m2}) = ${p} should not exceed ${previous}`);
    previous = p;
  }
  assert.equal(classify(2.5, 2.0, 0, 0, 12).HasNS, 1);
  assert.equal(classify(8, 7.5, 0, 0, 12).HasNS, 0);
  // Near-equal masses: η is poorly measured, so a 4.5 + 4.0 template may hide a ≤ 3 M☉ secondary.
  const ambiguous = classify(4.5, 4.0, 0, 0, 12).HasNS!;
  assert.ok(ambiguous > 0 && ambiguous < 0.5);
});

test('a secondary larger than the primary is classified like the swapped template', () => {
  assert.deepEqual(classify(1.4, 8, 0, 0.9, 15), classify(8, 1.4, 0.9, 0, 15));
});

test('the model says what produced the numbers', () => {
  const r = emBrightFromTemplate(
    { mass1: 1.4, mass2: 1.3, spin1z: 0, spin2z: 0, snr: 10 },
    settings,
  );
  assert.equal(r.model.name, 'analytic-smoothed');
  assert.match(r.model.description, /not the LVK trained classifiers/);
  assert.match(r.model.description, /R_NS = 15 km/);
});

test('bad input is a clear error naming the field', () => {
  const ok = { mass1: 1.4, mass2: 1.3, spin1z: 0, spin2z: 0, snr: 10 };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ mass1: -1 }, /^mass1: must be positive/],
    [{ mass2: Number.NaN }, /^mass2: must be a finite number/],
    [{ mass2: undefined }, /^mass2: is missing/],
    [{ spin1z: 1.2 }, /^spin1z: must be within \[-1, 1\]/],
    [{ snr: 0 }, /^snr: must be positive/],
    [{ snr: undefined }, /^snr: is missing/],
  ];
  for (const [change, message] of cases) {
    assert.throws(
      () => emBrightFromTemplate({ ...ok, ...change } as typeof ok, settings),
      (err: unknown) => err instanceof ScienceInputError && message.test(err.message),
      JSON.stringify(change),
    );
  }
  assert.throws(
    () => emBrightFromTemplate(ok, defaultSettings({ em_bright_mass_gap_min: 6 })),
    /em_bright_mass_gap_min: must be below em_bright_mass_gap_max/,
  );
});
