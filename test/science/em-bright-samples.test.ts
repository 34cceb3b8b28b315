import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redshiftFromLuminosityDistance } from '../../src/science/cosmology.js';
import {
  EM_BRIGHT_PE_KEYS,
  emBrightFromPosteriorSamples,
} from '../../src/science/em-bright/from-posterior-samples.js';
import { ScienceInputError } from '../../src/science/errors.js';
import { chirpMass } from '../../src/science/masses.js';
import { defaultSettings } from './default-settings.js';

const settings = defaultSettings();

test('fractions of source-frame samples, keys in the reference order', () => {
  const r = emBrightFromPosteriorSamples(
    {
      mass_1_source: [1.5, 4.0, 8.0, 30.0],
      mass_2_source: [1.2, 0.8, 1.4, 20.0],
      spin_1z: [0, 0, 0.9, 0],
      spin_2z: [0, 0, 0, 0],
    },
    settings,
  );
  assert.deepEqual(Object.keys(r.properties), [...EM_BRIGHT_PE_KEYS]);
  // HasNS: 3 of 4 secondaries ≤ 3; HasRemnant: BNS + (4, 0.8) + spinning (8, 1.4);
  // HasMassGap: only the 4 M☉ primary; HasSSM: only the 0.8 M☉ secondary.
  assert.deepEqual(r.properties, { HasNS: 0.75, HasRemnant: 0.75, HasMassGap: 0.25, HasSSM: 0.25 });
  assert.equal(r.model.name, 'analytic-samples');
});

test('Planck15 redshifts match astropy to the 8 decimals ligo.em-bright prints', () => {
  // ligo.em-bright get_redshifts doctest: distances 10, 20, ..., 100 Mpc.
  const expected = [
    0.00225566, 0.00450357, 0.00674384, 0.00897655, 0.01120181, 0.0134197, 0.01563032, 0.01783375,
    0.02003009, 0.02221941,
  ];
  const z = redshiftFromLuminosityDistance(expected.map((_, i) => 10 * (i + 1)));
  for (const [i, e] of expected.entries()) {
    assert.ok(Math.abs(z[i]! - e) < 1e-8, `${z[i]} vs ${e}`);
  }
  assert.equal(redshiftFromLuminosityDistance([0])[0], 0);
  assert.throws(() => redshiftFromLuminosityDistance([-1]), /luminosity_distance\[0\]/);
});

test('detector-frame masses are moved to the source frame', () => {
  // 3.3 M☉ detector frame at ~2.3 Gpc (z ≈ 0.4) is ~2.4 M☉ in the source frame: a neutron star.
  const detector = { mass_1: [3.3], mass_2: [3.3], luminosity_distance: [2300] };
  assert.equal(emBrightFromPosteriorSamples(detector, settings).properties.HasNS, 1);
  const asIf = { mass_1_source: [3.3], mass_2_source: [3.3] };
  assert.equal(emBrightFromPosteriorSamples(asIf, settings).properties.HasNS, 0);

  // Chirp mass and q give the same answer as the component masses.
  const mc = chirpMass(3.3, 3.3);
  const viaMc = { chirp_mass: [mc], mass_ratio: [1], luminosity_distance: [2300] };
  assert.deepEqual(
    emBrightFromPosteriorSamples(viaMc, settings).properties,
    emBrightFromPosteriorSamples(detector, settings).properties,
  );
});

test('spin magnitudes and tilts give the aligned spin', () => {
  const base = { mass_1_source: [8], mass_2_source: [1.4] };
  const aligned = { ...base, a_1: [0.9], a_2: [0], tilt_1: [0], tilt_2: [0] };
  const flipped = { ...base, a_1: [0.9], a_2: [0], tilt_1: [Math.PI], tilt_2: [0] };
  assert.equal(emBrightFromPosteriorSamples(aligned, settings).properties.HasRemnant, 1);
  assert.equal(emBrightFromPosteriorSamples(flipped, settings).properties.HasRemnant, 0);
});

test('missing or inconsistent columns are clear errors', () => {
  assert.throws(
    () => emBrightFromPosteriorSamples({ mass_1: [1.4], mass_2: [1.3] }, settings),
    /posterior_samples: needs mass_1_source and mass_2_source/,
  );
  assert.throws(
    () =>
      emBrightFromPosteriorSamples(
        { mass_1: [1.4, 1.5], mass_2: [1.3], luminosity_distance: [100, 100] },
        settings,
      ),
    /mass_2: has 1 samples but luminosity_distance has 2/,
  );
  assert.throws(
    () =>
      emBrightFromPosteriorSamples({ mass_1_source: [1.4, -1], mass_2_source: [1.3, 1] }, settings),
    (err: unknown) => err instanceof ScienceInputError && err.field === 'mass1[1]',
  );
  assert.throws(
    () => emBrightFromPosteriorSamples({ mass_1_source: [], mass_2_source: [] }, settings),
    /no samples/,
  );
});
