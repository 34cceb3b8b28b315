import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latestVersion } from '../../src/gracedb/client.js';
import {
  formatGraceDbTime,
  gpsDateCode,
  gpsToUnix,
  unixToGps,
} from '../../src/gracedb/gps-time.js';
import {
  eventIdPrefix,
  formatGraceId,
  formatSupereventId,
  fromLetters,
  isEventId,
  parseSupereventId,
  toLetters,
} from '../../src/gracedb/ids.js';
import { parseVersionedFilename } from '../../src/gracedb/versioned-filename.js';

test('superevent suffixes are bijective base 26 (a..z, aa..zz, aaa)', () => {
  const cases: [number, string][] = [
    [1, 'a'],
    [2, 'b'],
    [26, 'z'],
    [27, 'aa'],
    [28, 'ab'],
    [52, 'az'],
    [53, 'ba'],
    [78, 'bz'],
    [79, 'ca'],
    [702, 'zz'],
    [703, 'aaa'],
  ];
  for (const [n, letters] of cases) {
    assert.equal(toLetters(n), letters, `toLetters(${n})`);
    assert.equal(fromLetters(letters), n, `fromLetters(${letters})`);
  }
  for (let n = 1; n < 20000; n += 7) assert.equal(fromLetters(toLetters(n)), n);
  assert.equal(toLetters(1, true), 'A');
  assert.equal(toLetters(55, true), 'BC');
  assert.throws(() => toLetters(0), /≥ 1/);
});

test('superevent ids parse and format per category and GW form', () => {
  assert.deepEqual(parseSupereventId('S230413b'), {
    category: 'P',
    gw: false,
    date: '230413',
    number: 2,
  });
  assert.deepEqual(parseSupereventId('TS190425z'), {
    category: 'T',
    gw: false,
    date: '190425',
    number: 26,
  });
  assert.deepEqual(parseSupereventId('MS220722v'), {
    category: 'M',
    gw: false,
    date: '220722',
    number: 22,
  });
  assert.deepEqual(parseSupereventId('GW190521BC'), {
    category: 'P',
    gw: true,
    date: '190521',
    number: 55,
  });
  assert.deepEqual(parseSupereventId('MGW170817A'), {
    category: 'M',
    gw: true,
    date: '170817',
    number: 1,
  });
  assert.equal(parseSupereventId('S230413B'), undefined);
  assert.equal(parseSupereventId('GW170817a'), undefined);
  assert.equal(parseSupereventId('G435582'), undefined);
  assert.equal(
    formatSupereventId({ category: 'T', gw: false, date: '230413', number: 27 }),
    'TS230413aa',
  );
  assert.equal(
    formatSupereventId({ category: 'P', gw: true, date: '170817', number: 1 }),
    'GW170817A',
  );
});

test('event ids: prefix by group, search and pipeline; zero-padded to four digits', () => {
  assert.equal(eventIdPrefix({ group: 'Test', search: 'MDC', pipeline: 'gstlal' }), 'T');
  assert.equal(eventIdPrefix({ group: 'CBC', search: 'MDC', pipeline: 'gstlal' }), 'M');
  assert.equal(eventIdPrefix({ group: 'CBC', search: null, pipeline: 'HardwareInjection' }), 'H');
  assert.equal(eventIdPrefix({ group: 'External', search: 'GRB', pipeline: 'Fermi' }), 'E');
  assert.equal(eventIdPrefix({ group: 'Burst', search: 'AllSky', pipeline: 'CWB' }), 'G');
  assert.equal(formatGraceId('T', 212), 'T0212');
  assert.equal(formatGraceId('G', 435582), 'G435582');
  assert.ok(
    isEventId('G435582') && isEventId('E1') && !isEventId('S230413b') && !isEventId('GW170817A'),
  );
});

test('GPS ↔ UTC with leap seconds; the id date of t_0', () => {
  // gracedb-api.md §5: t_0 = 1365450831.8996 is 2023-04-13 19:53:33.9 UTC.
  assert.equal(gpsDateCode(1365450831.8996), '230413');
  assert.equal(
    new Date(gpsToUnix(1365450831.8996) * 1000).toISOString(),
    '2023-04-13T19:53:33.899Z',
  );
  // GW170817: GPS 1187008882.4 = 2017-08-17 12:41:04.4 UTC (18 leap seconds).
  assert.equal(new Date(gpsToUnix(1187008882.4) * 1000).toISOString(), '2017-08-17T12:41:04.400Z');
  // Before the 2017 leap second GPS − UTC was 17 s.
  assert.equal(gpsToUnix(1000000000), 1000000000 + 315964800 - 15);
  for (const gps of [700000000, 1000000000, 1187008882, 1365450831])
    assert.equal(unixToGps(gpsToUnix(gps)), gps);
  // A t_0 just before UTC midnight belongs to that day.
  const midnight = unixToGps(Date.parse('2023-04-14T00:00:00Z') / 1000);
  assert.equal(gpsDateCode(midnight - 0.5), '230413');
  assert.equal(gpsDateCode(midnight), '230414');
  assert.equal(
    formatGraceDbTime(Date.parse('2023-04-13T19:53:35.999Z')),
    '2023-04-13 19:53:35 UTC',
  );
});

test('versioned file names and the numeric latest version (gwcelery-spec §13 fix)', () => {
  assert.deepEqual(parseVersionedFilename('bayestar.multiorder.fits,3'), {
    name: 'bayestar.multiorder.fits',
    version: 3,
  });
  assert.deepEqual(parseVersionedFilename('p_astro.json'), { name: 'p_astro.json' });
  assert.throws(() => parseVersionedFilename('a,b,1'), /invalid file name 'a,b,1'/);
  const keys = [
    'sky.fits',
    'sky.fits,0',
    'sky.fits,9',
    'sky.fits,10',
    'sky.fits.png,11',
    'other,12',
  ];
  // Lexicographic max() would answer 'sky.fits.png,11' (substring match) or 'sky.fits,9'.
  assert.equal(latestVersion(keys, 'sky.fits'), 'sky.fits,10');
  assert.equal(latestVersion(keys, 'missing.json'), undefined);
});
