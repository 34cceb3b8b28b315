import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  gpsToIsoUtc,
  gpsToMjd,
  gpsToUnix,
  greenwichMeanSiderealTime,
  leapSeconds,
} from '../../../src/skymap/bayestar/gps-time.js';

test('GMST matches end_time_gmst written by LAL to ~2e-9 rad', () => {
  // gwcelery's coinc.xml and MS220722v: GPS time → end_time_gmst (mod 2π).
  assert.ok(Math.abs(greenwichMeanSiderealTime(1358062124.746942) - 4.0066780339) < 3e-9);
  assert.ok(Math.abs(greenwichMeanSiderealTime(1342562250.382076) - 4.7112371999) < 3e-9);
});

test('GMST advances by one sidereal day per 86164.0905 s and stays in [0, 2π)', () => {
  const t = 1e9;
  const later = greenwichMeanSiderealTime(t + 86164.0905);
  assert.ok(Math.abs(later - greenwichMeanSiderealTime(t)) < 1e-6);
  for (let gps = 9e8; gps < 1.4e9; gps += 3.3e7) {
    const g = greenwichMeanSiderealTime(gps);
    assert.ok(g >= 0 && g < 2 * Math.PI);
  }
});

test('leap seconds: GPS − UTC is 0 at the GPS epoch, 15 in 2010, 18 since 2017', () => {
  assert.equal(leapSeconds(0), 0);
  assert.equal(leapSeconds(946_000_000), 15);
  assert.equal(leapSeconds(1_167_264_017), 17); // just before 2017-01-01
  assert.equal(leapSeconds(1_167_264_018), 18); // 2017-01-01T00:00:00 UTC
  assert.equal(gpsToUnix(1_167_264_018), Date.parse('2017-01-01T00:00:00Z') / 1000);
});

test('UTC dates: GW170817 and the DATE-OBS form with microseconds', () => {
  assert.equal(gpsToIsoUtc(1187008882, 400_000_000), '2017-08-17T12:41:04.400000');
  assert.equal(gpsToIsoUtc(1342562250, 382_076_000), '2022-07-22T21:57:12.382076');
  // Rounding to the microsecond carries into the seconds.
  assert.equal(gpsToIsoUtc(1342562250, 999_999_600), '2022-07-22T21:57:13.000000');
  assert.ok(Math.abs(gpsToMjd(1342562250.384103) - 59782.91472666786) < 1e-9);
});
