import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonFloatRepr, pythonJsonDumps } from '../../src/science/python-json.js';

test('floats are written as Python repr() writes them', () => {
  const cases: [number, string][] = [
    [1, '1.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.5, '0.5'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.000012345, '1.2345e-05'],
    [2.5587532586346996e-18, '2.5587532586346996e-18'],
    [123456789, '123456789.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.5e300, '1.5e+300'],
    [0.9404040404040404, '0.9404040404040404'],
    [1 / 3, '0.3333333333333333'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ];
  for (const [x, expected] of cases) assert.equal(pythonFloatRepr(x), expected, `repr(${x})`);
});

test('every repr reads back as the same double', () => {
  for (const x of [Math.PI, 1e-7, 6.02214076e23, 0.1 + 0.2, 5e-324, 1.7976931348623157e308]) {
    assert.equal(Number(pythonFloatRepr(x)), x);
  }
});

test("dicts use json.dumps' separators and keep insertion order", () => {
  assert.equal(
    pythonJsonDumps({ HasNS: 1, HasRemnant: 0.25, HasMassGap: 0 }),
    '{"HasNS": 1.0, "HasRemnant": 0.25, "HasMassGap": 0.0}',
  );
  assert.equal(pythonJsonDumps({ a: [1, true, null, 'x'] }), '{"a": [1.0, true, null, "x"]}');
  assert.equal(pythonJsonDumps({}), '{}');
});

test('strings are escaped as with ensure_ascii', () => {
  assert.equal(pythonJsonDumps('M☉ "q"\n'), '"M\\u2609 \\"q\\"\\n"');
  assert.equal(pythonJsonDumps('\u0001é'), '"\\u0001\\u00e9"');
});
