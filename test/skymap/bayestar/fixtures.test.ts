import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { coincXml } from '../../../src/skymap/bayestar/coinc-xml.js';
import { simulateCoinc } from '../../../src/skymap/bayestar/simulate.js';
import { BAYESTAR_FIXTURES, fixtureUrl } from '../../fixtures/bayestar/fixtures.js';

test('the committed coinc fixtures are what the simulation and the coinc writer produce', () => {
  for (const [name, { injection, options }] of Object.entries(BAYESTAR_FIXTURES)) {
    const committed = gunzipSync(readFileSync(fixtureUrl(name))).toString('utf8');
    const regenerated = gunzipSync(
      coincXml(simulateCoinc(injection, options).coinc, { gzip: true }),
    ).toString('utf8');
    assert.equal(
      regenerated,
      committed,
      `${name}: run npx tsx test/fixtures/bayestar/make-fixtures.ts`,
    );
  }
});
