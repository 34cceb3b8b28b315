import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { coincDocument, readCoinc, writeLigoLw } from '../../src/formats/ligolw/index.js';
import {
  coincidenceGps,
  coincidenceUpload,
  loadCoincidenceSet,
  timeShift,
} from '../../src/pipeline/mock/coincidence-set.js';
import { first2yearsCoincidence } from '../../src/pipeline/mock/first2years-source.js';
import { SIDEREAL_DAY_S } from '../../src/pipeline/mock/sidereal-match.js';
import { gpsToGmst } from '../../src/skymap/time.js';
import {
  FIXTURE_COINCIDENCES,
  MOCK_FIXTURE,
  mockFixtureBytes,
} from '../fixtures/mock/make-fixtures.js';
import { needsShared, sharedData } from '../helpers/shared.js';

const FIRST2YEARS = 'gwcelery/first2years/gstlal.xml.gz';

test('the committed many-coincidence fixture is what make-fixtures.ts writes', () => {
  assert.ok(
    readFileSync(MOCK_FIXTURE).equals(mockFixtureBytes()),
    'test/fixtures/mock/coincidences.xml is stale: rerun test/fixtures/mock/make-fixtures.ts',
  );
});

test('only zero-lag coincidences with a PSD for every detector are candidates', () => {
  const set = loadCoincidenceSet(MOCK_FIXTURE);
  assert.deepEqual(
    set.coincidences.map((c) => c.coincEvent.coinc_event_id),
    FIXTURE_COINCIDENCES.filter((c) => c.timeSlideId === 0).map((c) => c.id),
  );
  assert.equal(loadCoincidenceSet(MOCK_FIXTURE), set, 'read once per process');
});

test('an upload carries one coincidence moved in time, exactly to the nanosecond', () => {
  const set = loadCoincidenceSet(MOCK_FIXTURE);
  // 1.75 s more than a whole number of seconds, across a nanosecond carry.
  const shift = timeShift(400000000.75, 4642);
  assert.deepEqual(shift, { seconds: 400000000, nanoseconds: 750000000, siderealDays: 4642 });
  const input = coincidenceUpload(set, 0, shift);
  const coinc = readCoinc(writeLigoLw(coincDocument(input)));
  const source = FIXTURE_COINCIDENCES[0]!;
  assert.equal(coinc.snglInspirals.length, source.triggers.length);
  coinc.snglInspirals.forEach((s, i) => {
    const t = source.triggers[i]!;
    const ns = t.ns + 750000000;
    assert.equal(s.ifo, t.ifo);
    assert.equal(s.end_time, source.endTime + 400000000 + Math.floor(ns / 1e9));
    assert.equal(s.end_time_ns, ns % 1e9);
    assert.equal(s.snr, t.snr);
    assert.ok(Math.abs(s.end_time_gmst! - (20000 + 2 * Math.PI * 4642)) < 1e-6);
  });
  assert.equal(coinc.coincInspiral.end_time, source.endTime + 400000001);
  assert.equal(coinc.coincInspiral.end_time_ns, 0);
  assert.equal(coinc.coincInspiral.combined_far, source.far);
  // The file wrote the likelihood ratio; an upload carries its natural logarithm.
  assert.ok(Math.abs(coinc.coincEvent.likelihood! - Math.log(1e20)) < 1e-9);
  assert.deepEqual(Object.keys(coinc.psds).sort(), ['H1', 'L1', 'V1']);
  assert.equal(coinc.process?.program, 'gstlal_inspiral');
  assert.equal(coinc.processParams.length, 2, 'only the coincidence process’s parameters');
  assert.equal(coinc.coincEventMap.length, 3);
  assert.deepEqual(
    coinc.timeSlides.map((t) => t.instrument),
    ['H1', 'L1', 'V1'],
  );
});

test('a coincidence with two detectors carries their two PSDs; no likelihood stays none', () => {
  const set = loadCoincidenceSet(MOCK_FIXTURE);
  const coinc = readCoinc(writeLigoLw(coincDocument(coincidenceUpload(set, 2, timeShift(0, 0)))));
  assert.deepEqual(Object.keys(coinc.psds).sort(), ['L1', 'V1']);
  assert.equal(coinc.coincEvent.likelihood, null);
});

test('bad input is an error naming the file or the coincidence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gwc-mock-set-'));
  assert.throws(() => loadCoincidenceSet(join(dir, 'missing.xml.gz')), /missing\.xml\.gz/);
  const broken = join(dir, 'broken.xml');
  writeFileSync(broken, '<LIGO_LW><Table Name="sngl_inspiral:table">');
  assert.throws(() => loadCoincidenceSet(broken), /broken\.xml/);
  const set = loadCoincidenceSet(MOCK_FIXTURE);
  assert.throws(() => coincidenceUpload(set, 3, timeShift(0, 0)), /coinc_event_id 3/);
});

test(
  'a first-two-years mock event keeps its sky position: same sidereal time, moved to now',
  needsShared(FIRST2YEARS),
  async () => {
    const path = sharedData(FIRST2YEARS)!;
    const now = 1400000000;
    const event = await first2yearsCoincidence(path, now, async () => []);
    const original = event.origin.originalGps!;
    assert.equal(event.origin.source, 'first2years');
    assert.ok(event.gps <= now && event.gps > now - 3600, 'a match within the last hour');
    const diff = Math.abs(gpsToGmst(event.gps) - gpsToGmst(original));
    assert.ok(Math.min(diff, 2 * Math.PI - diff) < 1e-9);
    assert.equal(event.origin.siderealDays, Math.round((now - original) / SIDEREAL_DAY_S));
    const coinc = readCoinc(writeLigoLw(coincDocument(event.input)));
    const set = loadCoincidenceSet(path);
    const source = set.coincidences.find(
      (c) => c.coincEvent.coinc_event_id === event.origin.coincEventId,
    )!;
    assert.ok(Math.abs(coincidenceGps(source) - original) < 1e-6);
    // Arrival-time differences between detectors are what localizes: they must not change.
    const delays = (rows: { end_time: number; end_time_ns: number }[]) =>
      rows.map(
        (r) => (r.end_time - rows[0]!.end_time) * 1e9 + r.end_time_ns - rows[0]!.end_time_ns,
      );
    assert.deepEqual(delays(coinc.snglInspirals), delays(source.snglInspirals));
    assert.deepEqual(
      Object.keys(coinc.psds).sort(),
      [...new Set(source.snglInspirals.map((s) => s.ifo))].sort(),
    );
  },
);
