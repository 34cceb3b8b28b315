import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  gpsToGmst,
  gpsToIsoUtc,
  gpsToMjd,
  gpsToUnix,
  isoUtcToUnix,
  leapSecondsAtGps,
  unixToGps,
  unixToIsoUtc,
} from '../../src/skymap/time.js';

test('GPS ↔ UTC across leap seconds', () => {
  assert.equal(gpsToIsoUtc(0), '1980-01-06T00:00:00.000000');
  assert.equal(leapSecondsAtGps(0), 0);
  assert.equal(leapSecondsAtGps(1342562250), 18);
  // 2016-12-31T23:59:60 was the last leap second: GPS 1167264017 is its first instant.
  assert.equal(gpsToIsoUtc(1167264016), '2016-12-31T23:59:59.000000');
  assert.equal(gpsToIsoUtc(1167264018), '2017-01-01T00:00:00.000000');
  assert.equal(unixToGps(isoUtcToUnix('2017-01-01T00:00:00')), 1167264018);
  for (const gps of [1e8, 630720013, 1e9, 1342562250.384103]) {
    assert.ok(Math.abs(unixToGps(gpsToUnix(gps)) - gps) < 1e-6);
  }
  assert.equal(unixToIsoUtc(1.9999999), '1970-01-01T00:00:02.000000');
  assert.throws(() => isoUtcToUnix('yesterday'), /not an ISO 8601/);
});

test('DATE-OBS and MJD-OBS of the MS220722v BAYESTAR map from its GPS time', () => {
  const gps = 1342562250.384103;
  assert.equal(gpsToIsoUtc(gps), '2022-07-22T21:57:12.384103');
  assert.equal(gpsToMjd(gps), 59782.91472666786);
});

test('GMST matches LAL end_time_gmst to 2e−9 rad (science-spec §2.4)', () => {
  assert.ok(Math.abs(gpsToGmst(1342562250.382076) - 4.7112371999) < 2e-9);
  assert.ok(Math.abs(gpsToGmst(1358062124.746942) - 4.0066780339) < 2e-9);
  // One sidereal day later, the same angle.
  const g = 1e9;
  assert.ok(Math.abs(gpsToGmst(g + 86164.0905) - gpsToGmst(g)) < 1e-6);
});
