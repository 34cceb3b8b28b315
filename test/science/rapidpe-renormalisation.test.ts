import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ScienceInputError } from '../../src/science/errors.js';
import { renormaliseRapidPEPAstro } from '../../src/science/p-astro/rapidpe-renormalisation.js';
import { needsShared, sharedData } from '../helpers/shared.js';

// The reference test's inputs: RapidPE's own p_astro and the preferred pipeline's newer one.
const RAPIDPE = '{"BNS": 0.95, "NSBH": 0.02, "BBH": 0.02, "Terrestrial": 0.01}';
const PIPELINE = '{"BNS": 0.94, "NSBH": 0.03, "BBH": 0.01, "Terrestrial": 0.02}';

test(
  'matches the reference expected output exactly',
  needsShared('gwcelery/tests/updated_RapidPE_RIFT.p_astro.json'),
  () => {
    const expected = JSON.parse(
      readFileSync(sharedData('gwcelery/tests/updated_RapidPE_RIFT.p_astro.json')!, 'utf8'),
    );
    const out = renormaliseRapidPEPAstro(RAPIDPE, PIPELINE, 'gstlal.p_astro.json');
    assert.equal(out.changed, true);
    assert.deepEqual(out.values, expected);
    assert.equal(
      out.json,
      '{"BNS": 0.9404040404040404, "NSBH": 0.0197979797979798, "BBH": 0.0197979797979798, "Terrestrial": 0.02}',
    );
  },
);

test("takes the pipeline's Terrestrial and keeps RapidPE's category proportions", () => {
  const out = renormaliseRapidPEPAstro(
    RAPIDPE,
    '{"BNS": 0.5, "NSBH": 0, "BBH": 0, "Terrestrial": 0.5}',
  );
  assert.equal(out.values.Terrestrial, 0.5);
  assert.ok(Math.abs(out.values.BNS! / out.values.NSBH! - 0.95 / 0.02) < 1e-9);
  const sum = Object.values(out.values).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12);
  assert.deepEqual(Object.keys(out.values), ['BNS', 'NSBH', 'BBH', 'Terrestrial']);
});

test('equal Terrestrial values leave the RapidPE file untouched', () => {
  const same = '{"BNS": 0.1, "NSBH": 0.1, "BBH": 0.79, "Terrestrial": 0.01}';
  const out = renormaliseRapidPEPAstro(RAPIDPE, same);
  assert.equal(out.changed, false);
  assert.equal(out.json, RAPIDPE);
});

test('bad files are errors naming the file and key', () => {
  assert.throws(
    () => renormaliseRapidPEPAstro('{"BNS": 1}', PIPELINE),
    /RapidPE_RIFT\.p_astro\.json: Terrestrial: is missing/,
  );
  assert.throws(
    () => renormaliseRapidPEPAstro(RAPIDPE, 'not json', 'mbta.p_astro.json'),
    /mbta\.p_astro\.json: contents: is not valid JSON/,
  );
  assert.throws(
    () => renormaliseRapidPEPAstro(RAPIDPE, '{"BNS": 1.5, "Terrestrial": 0}', 'mbta.p_astro.json'),
    /mbta\.p_astro\.json: BNS: must be a probability in \[0, 1\]/,
  );
  // RapidPE certain the event is terrestrial: nothing to rescale to a lower p_terr.
  assert.throws(
    () => renormaliseRapidPEPAstro('{"BNS": 0, "NSBH": 0, "BBH": 0, "Terrestrial": 1.0}', PIPELINE),
    (err: unknown) =>
      err instanceof ScienceInputError && /every astrophysical category is zero/.test(err.message),
  );
});
