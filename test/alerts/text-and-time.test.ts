import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonFloatRepr } from '../../src/formats/text/python-float.js';
import { pyJsonString } from '../../src/formats/text/python-json.js';
import { gpsToIsoUtc, isoUtcToGps, leapSecondsAtGps } from '../../src/formats/time/gps.js';

test('floats are written as Python repr writes them', () => {
  const cases: [number, string][] = [
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [0.5, '0.5'],
    [1, '1.0'],
    [0, '0.0'],
    [-2.5, '-2.5'],
    [9.110699364861297e-14, '9.110699364861297e-14'],
    [5.3e-9, '5.3e-09'],
    [1e16, '1e+16'],
    [1234567890123456, '1234567890123456.0'],
    [123.456, '123.456'],
    [1.5e300, '1.5e+300'],
    [-1e-7, '-1e-07'],
  ];
  for (const [value, text] of cases) assert.equal(pythonFloatRepr(value), text, String(value));
  for (const value of [Math.PI, 1 / 3, 6.94635e-10, 3.168e-10, 61.417622]) {
    assert.equal(Number(pythonFloatRepr(value)), value, 'reads back to the same double');
  }
});

test('JSON strings are ASCII-escaped as Python json.dumps escapes them', () => {
  assert.equal(pyJsonString('a"b\\c\n'), '"a\\"b\\\\c\\n"');
  assert.equal(pyJsonString('é✓'), '"\\u00e9\\u2713"');
  assert.equal(pyJsonString('😀'), '"\\ud83d\\ude00"');
  assert.equal(pyJsonString('\u007f'), '"\\u007f"');
});

test('GPS times convert to UTC across leap seconds', () => {
  // GW170817: GraceDB's notice says 2017-08-17T12:41:04.445710Z for G298048.
  assert.equal(gpsToIsoUtc(1187008882.44571, 6), '2017-08-17T12:41:04.445710Z');
  assert.equal(gpsToIsoUtc(1187008882.44571, 3), '2017-08-17T12:41:04.446Z');
  assert.equal(leapSecondsAtGps(1187008882), 18);
  // The 2017-01-01 leap second: 17 s before it, 18 s after.
  assert.equal(gpsToIsoUtc(1167264016, 0), '2016-12-31T23:59:59Z');
  assert.equal(gpsToIsoUtc(1167264018, 0), '2017-01-01T00:00:00Z');
  assert.equal(leapSecondsAtGps(0), 0);
  assert.equal(gpsToIsoUtc(0, 0), '1980-01-06T00:00:00Z');
  // A fraction that rounds up carries into the seconds.
  assert.equal(gpsToIsoUtc(1187008882.9996, 3), '2017-08-17T12:41:05.000Z');
  assert.equal(gpsToIsoUtc(1187008882, 6, { trimZeroFraction: true }), '2017-08-17T12:41:04Z');
  assert.equal(isoUtcToGps('2017-08-17T12:41:04.5Z'), 1187008882.5);
  assert.equal(isoUtcToGps('2017-08-17T12:41:04.5'), 1187008882.5, 'no zone reads as UTC');
  assert.throws(() => isoUtcToGps('yesterday'), /not an ISO 8601/);
  assert.throws(() => gpsToIsoUtc(Number.NaN, 3), /not a finite number/);
});
