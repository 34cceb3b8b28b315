import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  type BinTable,
  FitsError,
  FitsHeader,
  readBinTable,
  readFits,
  readFitsFile,
  writeFits,
} from '../../../src/formats/fits/index.js';
import { needsShared, sharedData } from '../../helpers/shared.js';

function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function everyType(): BinTable {
  const rows = 5;
  return {
    rows,
    columns: [
      { name: 'K', data: BigInt64Array.from([0n, -1n, 2n ** 62n, -(2n ** 63n), 2n ** 63n - 1n]) },
      { name: 'UK', data: BigUint64Array.from([0n, 1n, 2n ** 63n, 2n ** 64n - 1n, 12345n]) },
      { name: 'J', data: Int32Array.from([0, -1, 2 ** 31 - 1, -(2 ** 31), 7]) },
      { name: 'UJ', data: Uint32Array.from([0, 1, 2 ** 32 - 1, 2 ** 31, 9]) },
      { name: 'I', data: Int16Array.from([0, -1, 32767, -32768, 3]) },
      { name: 'UI', data: Uint16Array.from([0, 1, 65535, 32768, 4]) },
      { name: 'B', data: Uint8Array.from([0, 1, 255, 128, 5]) },
      { name: 'SB', data: Int8Array.from([0, -1, 127, -128, 6]) },
      {
        name: 'E',
        unit: 'sr-1',
        data: Float32Array.from([0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY]),
      },
      {
        name: 'D',
        unit: 'Mpc',
        data: Float64Array.from([0, -0, Math.PI, Number.NaN, -Number.MAX_VALUE]),
      },
      { name: 'V', format: '3D', data: Float64Array.from({ length: 15 }, (_, i) => i / 7) },
      {
        name: 'L',
        format: '2L',
        data: [true, false, null, true, false, false, true, true, null, null],
      },
      { name: 'A', format: '6A', data: ['', 'a', 'abc', "it's", 'sixsix'] },
      {
        name: 'X',
        format: '12X',
        data: Uint8Array.from({ length: 10 }, (_, i) => (i * 37) & 0xff),
      },
      {
        name: 'S',
        format: 'J',
        scale: 0.5,
        zero: 10,
        data: Float64Array.from([10, 10.5, 0, -100, 1e6]),
      },
    ],
  };
}

test('every column type writes and reads back bit-exact (with units, repeats and scaling)', () => {
  const table = everyType();
  const header = new FitsHeader()
    .set('OBJECT', 'T12345', { comment: 'id' })
    .addHistory('made by a test');
  const bytes = writeFits([{ table, header }]);
  assert.equal(bytes.length % 2880, 0);
  const hdus = readFits(bytes);
  assert.equal(hdus.length, 2);
  assert.equal(hdus[1].kind, 'bintable');
  assert.equal(hdus[1].header.get('OBJECT'), 'T12345');
  assert.deepEqual(hdus[1].header.commentary('HISTORY'), ['made by a test']);
  assert.equal(hdus[1].header.get('TZERO2'), 9223372036854775808n);
  const back = readBinTable(hdus[1]);
  assert.equal(back.rows, table.rows);
  table.columns.forEach((c, i) => {
    const got = back.columns[i];
    assert.equal(got.name, c.name);
    assert.equal(got.unit, c.unit);
    assert.equal(got.data.constructor, c.data.constructor, c.name);
    if (ArrayBuffer.isView(c.data)) {
      assert.ok(bytesOf(got.data as ArrayBufferView).equals(bytesOf(c.data)), `${c.name} bytes`);
    } else {
      assert.deepEqual(got.data, c.data, c.name);
    }
  });
  // Writing what was read gives the same file again.
  const again = writeFits([{ table: back, header: hdus[1].header }]);
  assert.ok(Buffer.from(again).equals(Buffer.from(bytes)));
});

test('several tables, primary cards, gzip output; files read back from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fits-'));
  const a: BinTable = { rows: 2, columns: [{ name: 'X', data: Float64Array.from([1, 2]) }] };
  const b: BinTable = { rows: 0, columns: [{ name: 'Y', data: new Int32Array(0) }] };
  const primary = new FitsHeader().set('ORIGIN', 'test');
  const bytes = writeFits([{ table: a }, { table: b }], { primary, gzip: true });
  assert.equal(bytes[0], 0x1f);
  const path = join(dir, 'two.fits.gz');
  writeFileSync(path, bytes);
  const hdus = readFitsFile(path);
  assert.deepEqual(
    hdus.map((h) => h.kind),
    ['primary', 'bintable', 'bintable'],
  );
  assert.equal(hdus[0].header.get('ORIGIN'), 'test');
  assert.deepEqual(Array.from(readBinTable(hdus[1]).columns[0].data as Float64Array), [1, 2]);
  assert.equal(readBinTable(hdus[2]).rows, 0);
  // primary header, then header and data of the first table, then the empty table's header
  assert.equal(gunzipSync(bytes).length, 2880 * 4);
});

test('bad input: an error naming the file and what is wrong', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fits-bad-'));
  const good = Buffer.from(
    writeFits([
      { table: { rows: 3, columns: [{ name: 'UNIQ', data: BigInt64Array.from([4n, 5n, 6n]) }] } },
    ]),
  );
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty.fits', new Uint8Array(0), /not a FITS file/],
    ['text.fits', Buffer.from('hello world'.repeat(400)), /not a FITS file/],
    ['short-header.fits', good.subarray(0, 2880 + 1000), /truncated: header of HDU 1 has no END/],
    [
      'short-data.fits',
      good.subarray(0, 2880 * 2 + 10),
      /truncated: HDU 1 declares 24 data bytes but only 10 remain/,
    ],
    ['bad.fits.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]), /corrupt gzip stream/],
  ];
  for (const [name, bytes, pattern] of cases) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    assert.throws(
      () => readFitsFile(path),
      (err: Error) =>
        err instanceof FitsError && err.message.startsWith(path) && pattern.test(err.message),
      name,
    );
  }
  assert.throws(() => readFitsFile(join(dir, 'missing.fits')), /missing\.fits: cannot read/);
  // A header card that is not valid FITS names the HDU, card and keyword.
  const broken = Buffer.from(good);
  broken.write("TTYPE1  = 'UNIQ".padEnd(80), 2880 + 8 * 80, 'latin1');
  assert.throws(
    () => readFits(broken, { source: 'broken.fits' }),
    /broken\.fits: HDU 1, card 9 \(TTYPE1\): string value of TTYPE1 has no closing quote/,
  );
  // Row width that disagrees with the columns.
  const wide = Buffer.from(good);
  wide.write('NAXIS1  =                    9', 2880 + 3 * 80, 'latin1');
  assert.throws(
    () => readBinTable(readFits(wide, { source: 'w.fits' })[1], 'w.fits'),
    /columns take 8 bytes per row but NAXIS1 is 9/,
  );
  // Writing refuses inconsistent columns and values that do not fit their field.
  assert.throws(
    () =>
      writeFits([{ table: { rows: 2, columns: [{ name: 'P', data: Float64Array.from([1]) }] } }], {
        source: 'out.fits',
      }),
    /out\.fits: column P holds 1 values where 2 rows of D need 2/,
  );
  assert.throws(
    () =>
      writeFits([
        {
          table: {
            rows: 1,
            columns: [{ name: 'Q', format: 'I', data: Float64Array.from([40000]) }],
          },
        },
      ]),
    /column Q: value 40000 at index 0 cannot be stored as TFORM I/,
  );
  assert.throws(
    () =>
      writeFits([
        {
          table: {
            rows: 1,
            columns: [{ name: 'V', format: '1PD(3)', data: Float64Array.from([1]) }],
          },
        },
      ]),
    /variable-length arrays are not supported/,
  );
});

const REAL_FILES = [
  'gwcelery/tests/MS220722v_bayestar.multiorder.fits',
  'gwcelery/tests/swift_skymap.multiorder.fits',
  'gwcelery/tests/rrt_small_area.fits',
  'gwcelery/tests/fermi_skymap.fits.gz',
];

test(
  'real files (BAYESTAR, Swift, cWB, Fermi) read and write back byte for byte',
  needsShared(...REAL_FILES),
  () => {
    for (const name of REAL_FILES) {
      const path = sharedData(name)!;
      const original = readFileSync(path);
      const hdus = readFitsFile(path);
      const table = readBinTable(hdus[1], path);
      const out = writeFits([{ table, header: hdus[1].header }], { primary: hdus[0].header });
      const plain = name.endsWith('.gz') ? gunzipSync(original) : original;
      assert.ok(Buffer.from(out).equals(plain), name);
    }
    const swift = readBinTable(readFitsFile(sharedData(REAL_FILES[1])!)[1]);
    assert.equal(swift.rows, 322233);
    assert.equal(swift.columns[0].data.constructor, Int32Array);
    assert.equal(swift.columns[1].data.constructor, Float32Array);
  },
);
