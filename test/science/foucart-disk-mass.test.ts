import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compactness,
  iscoRadius,
  remnantMass,
} from '../../src/science/em-bright/foucart-disk-mass.js';
import { ScienceInputError } from '../../src/science/errors.js';

const NS = { maxMass: 3, radiusKm: 15 };

test('reproduces the ligo.em-bright anchor (R_NS 15 km, M_max 3 M☉) to 1e-6', () => {
  // science-spec §5.1: m1 = (5, 6, 7), m2 = (1.0, 1.2, 1.6), no spin.
  const expected = [0.12265712, 0.04272054, 0];
  [
    [5, 1.0],
    [6, 1.2],
    [7, 1.6],
  ].forEach(([m1, m2], i) => {
    const got = remnantMass(m1!, m2!, 0, 0, NS);
    assert.ok(Math.abs(got - expected[i]!) < 1e-6, `(${m1}, ${m2}): ${got} vs ${expected[i]}`);
  });
});

test('Kerr ISCO: 6 for no spin, 1 for maximal prograde, 9 for maximal retrograde', () => {
  assert.equal(iscoRadius(0), 6);
  assert.ok(Math.abs(iscoRadius(1) - 1) < 1e-12);
  assert.ok(Math.abs(iscoRadius(-1) - 9) < 1e-12);
  // Monotone: more prograde spin, smaller ISCO.
  let previous = Number.POSITIVE_INFINITY;
  for (let chi = -1; chi <= 1; chi += 0.05) {
    const r = iscoRadius(chi);
    assert.ok(r < previous, `ISCO(${chi}) = ${r} should shrink`);
    previous = r;
  }
  assert.throws(() => iscoRadius(1.01), ScienceInputError);
  assert.throws(() => iscoRadius(Number.NaN), ScienceInputError);
});

test('compactness of a 1.4 M☉, 12 km star is about 0.17', () => {
  assert.ok(Math.abs(compactness(1.4, 12) - 0.17227) < 1e-4);
});

test('BNS is always bright and BBH always dark', () => {
  assert.equal(remnantMass(2.9, 1.2, -1, 0, NS), 1);
  assert.equal(remnantMass(40, 3.1, 1, 0, NS), 0);
  // The cut is strict for the primary: a 3.0 M☉ primary is not a neutron star.
  assert.notEqual(remnantMass(3.0, 1.0, 0, 0, NS), 1);
});

test('limiting cases move the remnant the right way', () => {
  const base = remnantMass(5, 1.2, 0, 0, NS);
  assert.ok(base > 0);
  assert.ok(remnantMass(5, 1.2, 0.9, 0, NS) > base, 'prograde BH spin releases more matter');
  assert.equal(remnantMass(5, 1.2, -0.9, 0, NS), 0, 'retrograde spin swallows the star');
  const heavier = remnantMass(7, 1.2, 0, 0, NS);
  assert.ok(heavier > 0 && heavier < base, 'a heavier BH disrupts the star later');
  const compact = remnantMass(5, 1.2, 0, 0, { maxMass: 3, radiusKm: 13 });
  assert.ok(compact > 0 && compact < base, 'a more compact star resists disruption');
  assert.equal(remnantMass(5, 1.2, 0, 0, { maxMass: 3, radiusKm: 11 }), 0);
  assert.equal(remnantMass(30, 1.4, 0, 0, NS), 0, 'an extreme mass ratio leaves nothing');
});

test('the heavier component is the black hole whatever the argument order', () => {
  assert.equal(remnantMass(1.4, 8, 0, 0.7, NS), remnantMass(8, 1.4, 0.7, 0, NS));
});
