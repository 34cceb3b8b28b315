import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  coincDocument,
  formatLigoLw,
  LigoLwArray,
  LigoLwComment,
  LigoLwContainer,
  LigoLwDocument,
  LigoLwParam,
  LigoLwTable,
  LigoLwTime,
  type Psd,
  psdDocument,
  readCoinc,
  readLigoLw,
  readPsds,
  writeLigoLw,
} from '../../../src/formats/ligolw/index.js';
import { needsShared, sharedData } from '../../helpers/shared.js';
import { FIXTURE_COINC, FIXTURE_PSD, fixtureCoincInput, fixtureFiles } from './fixture-coinc.js';

function roundTrip(document: LigoLwDocument, gzip: boolean): LigoLwDocument {
  const bytes = writeLigoLw(document, { gzip });
  assert.equal(bytes[0] === 0x1f && bytes[1] === 0x8b, gzip);
  return readLigoLw(bytes);
}

/** A document exercising every value type, NULLs, escapes and the layout corner cases. */
function awkwardDocument(): LigoLwDocument {
  const table = LigoLwTable.fromColumns(
    'awkward',
    [
      { name: 'text', type: 'lstring' },
      { name: 'code', type: 'char_s' },
      { name: 'i2', type: 'int_2s' },
      { name: 'u4', type: 'int_4u' },
      { name: 'i8', type: 'int_8s' },
      { name: 'r4', type: 'real_4' },
      { name: 'r8', type: 'real_8' },
      { name: 'z', type: 'complex_16' },
      { name: 'bytes', type: 'blob' },
      { name: 'id', type: 'ilwd:char' },
      { name: 'u8', type: 'int_8u' },
      { name: 'last', type: 'real_8' },
    ],
    [
      [
        'quote " backslash \\ comma , amp & lt < gt > newline\nand tab\t',
        '',
        -32768,
        4294967295,
        Number.MAX_SAFE_INTEGER,
        Math.fround(0.1),
        1 / 3,
        { re: 1.5, im: -2.25 },
        new Uint8Array([0, 1, 254, 255]),
        'awkward:id:0',
        18446744073709551615n,
        Number.NaN,
      ],
      [
        '',
        null,
        32767,
        0,
        -9007199254740991,
        -0,
        5e-324,
        { re: 0, im: 0 },
        new Uint8Array(),
        null,
        0,
        Number.POSITIVE_INFINITY,
      ],
      [null, null, null, null, null, null, 1.7976931348623157e308, null, null, null, null, null],
    ],
  );
  table.comment = 'rows that test every rule';
  const base64 = new LigoLwArray(
    'cube',
    'real_4',
    [
      { name: 'a', n: 2, start: 0, scale: 1, unit: 's' },
      { name: 'b', n: 3, start: null, scale: null, unit: null },
      { name: 'c', n: 2, start: null, scale: null, unit: null },
    ],
    Float64Array.from({ length: 12 }, (_, i) => Math.fround(i * 0.1 - 0.5)),
    'strain',
    'base64,BigEndian',
  );
  const complexArray = new LigoLwArray(
    'z',
    'complex_8',
    [{ name: 'Time', n: 2, start: 0, scale: 0.5, unit: 's' }],
    new Float64Array([1, -1, 0.5, 2]),
  );
  const ints = new LigoLwArray(
    'counts',
    'int_8s',
    [{ name: null, n: 3, start: null, scale: null, unit: null }],
    new Float64Array([-1, 0, 2 ** 40]),
  );
  return new LigoLwDocument(
    new LigoLwContainer(null, [
      new LigoLwComment('made by the round-trip test <&>'),
      table,
      new LigoLwTable('empty', [{ name: 'x', xmlName: 'x', type: 'real_8' }]),
      new LigoLwContainer('series', [
        LigoLwTime.fromGps('epoch', { gpsSeconds: 1000000000, gpsNanoSeconds: 1 }),
        new LigoLwTime('when', 'ISO-8601', '2023-04-13T19:53:33'),
        new LigoLwParam('empty_string', 'lstring', ''),
        new LigoLwParam('missing', 'real_8', null),
        new LigoLwParam('name', 'lstring', 'a & b <c>'),
        new LigoLwParam('count', 'int_4s', -7, 'counts'),
        base64,
        complexArray,
        ints,
      ]),
    ]),
  );
}

test('every value type, NULL, escape and array layout survives a write and read, plain and gzipped', () => {
  const document = awkwardDocument();
  for (const gzip of [false, true]) assert.deepStrictEqual(roundTrip(document, gzip), document);
});

test('the writer follows ligo.lw layout: Stream rows, final NULL delimiter, Column names and types', () => {
  const text = formatLigoLw(awkwardDocument());
  assert.ok(text.startsWith("<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE LIGO_LW SYSTEM"));
  assert.match(
    text,
    /<Table Name="awkward:table">\n\t\t<Comment>rows that test every rule<\/Comment>/,
  );
  assert.match(text, /<Column Name="awkward:i8" Type="int_8s"\/>/);
  assert.match(
    text,
    /<Stream Delimiter="," Name="awkward:table" Type="Local">\n\t\t\t"quote \\" backslash \\\\ comma , amp &amp; lt &lt; gt &gt; newline/,
  );
  // The last row ends in a NULL, so the stream ends with an extra delimiter.
  assert.match(text, /,,,,,,1\.7976931348623157e\+308,,,,,,\n\t\t<\/Stream>/);
  assert.match(text, /<Param Name="empty_string:param" Type="lstring"> <\/Param>/);
  assert.match(text, /<Param Name="missing:param" Type="real_8"><\/Param>/);
  assert.match(text, /<Stream Delimiter=" " Encoding="base64,BigEndian" Type="Local">/);
});

test('the writer refuses values that do not fit their column, writing nothing', () => {
  const table = LigoLwTable.fromColumns('t', [{ name: 'n', type: 'int_4s' }], [[1.5]]);
  assert.throws(
    () => writeLigoLw(new LigoLwDocument(new LigoLwContainer(null, [table]))),
    /table t, row 1, column n: int_4s needs an integer, got number 1.5/,
  );
  const overflow = LigoLwTable.fromColumns('t', [{ name: 'n', type: 'int_2u' }], [[70000]]);
  assert.throws(
    () => writeLigoLw(new LigoLwDocument(new LigoLwContainer(null, [overflow]))),
    /out of range/,
  );
  const shortRow = LigoLwTable.fromColumns(
    't',
    [
      { name: 'a', type: 'lstring' },
      { name: 'b', type: 'lstring' },
    ],
    [['x']],
  );
  assert.throws(
    () => writeLigoLw(new LigoLwDocument(new LigoLwContainer(null, [shortRow]))),
    /1 values for 2 columns/,
  );
  const control = LigoLwTable.fromColumns('t', [{ name: 's', type: 'lstring' }], [['bell\u0007']]);
  assert.throws(
    () => writeLigoLw(new LigoLwDocument(new LigoLwContainer(null, [control]))),
    /control character/,
  );
  const badArray = new LigoLwArray(
    'a',
    'real_8',
    [{ name: null, n: 3, start: null, scale: null, unit: null }],
    new Float64Array(2),
  );
  assert.throws(
    () => writeLigoLw(new LigoLwDocument(new LigoLwContainer(null, [badArray]))),
    /2 values for Dims 3/,
  );
  const paddedParam = new LigoLwParam('p', 'lstring', ' padded');
  assert.throws(
    () => writeLigoLw(new LigoLwDocument(new LigoLwContainer(null, [paddedParam]))),
    /whitespace/,
  );
});

test('the committed fixtures are exactly what the writer produces', () => {
  const files = fixtureFiles();
  assert.ok(
    readFileSync(FIXTURE_COINC).equals(files.coinc),
    'test/fixtures/ligolw/coinc.xml is stale: rerun fixture-coinc.ts',
  );
  assert.ok(
    gunzipSync(readFileSync(FIXTURE_PSD)).equals(files.psdXml),
    'test/fixtures/ligolw/psd.xml.gz is stale',
  );
});

test('the project coinc fixture reads back into the views it was built from', () => {
  const input = fixtureCoincInput();
  const coinc = readCoinc(readFileSync(FIXTURE_COINC), { fileName: 'coinc.xml' });
  assert.equal(coinc.process?.program, 'gstlal_inspiral');
  assert.deepEqual(
    coinc.snglInspirals.map((s) => s.ifo),
    ['H1', 'L1', 'V1'],
  );
  assert.deepEqual(
    coinc.snglInspirals.map((s) => [s.snr, s.chisq, s.mass1, s.end_time_gmst]),
    input.snglInspirals.map((s) => [s.snr, s.chisq ?? null, s.mass1, null]),
  );
  assert.deepEqual(coinc.coincInspiral, { ...coinc.coincInspiral, ...input.coincInspiral });
  assert.deepEqual(
    coinc.coincEventMap.map((m) => m.event_id),
    [10, 11, 12],
  );
  assert.equal(coinc.processParams[2]!.value, 'say "hi", \\ & <bye>');
  assert.deepEqual(Object.keys(coinc.psds), ['H1', 'L1', 'V1']);
  const psds = input.psds as readonly Psd[];
  for (const psd of psds) assert.deepEqual(coinc.psds[psd.instrument]!.data, psd.data);
  for (const [i, series] of coinc.snrSeries.entries()) {
    const expected = input.snrSeries![i]!;
    assert.equal(series.ifo, ['H1', 'L1', 'V1'][i]);
    assert.deepEqual(series.real, expected.real);
    assert.deepEqual(series.imag, expected.imag);
    assert.deepEqual(series.epoch, expected.epoch);
    assert.equal(series.deltaT, expected.deltaT);
  }
  const psdFile = readPsds(readFileSync(FIXTURE_PSD), { fileName: 'psd.xml.gz' });
  assert.deepEqual(Object.keys(psdFile), ['H1', 'L1', 'V1']);
  assert.deepEqual(psdFile, coinc.psds);
});

test('a coinc document built from views of a coinc document is the same document', () => {
  const document = coincDocument(fixtureCoincInput());
  const coinc = readCoinc(document);
  const rebuilt = coincDocument({
    processes: coinc.processes,
    processParams: coinc.processParams,
    snglInspirals: coinc.snglInspirals,
    coincDefiners: coinc.coincDefiners,
    coincEvent: coinc.coincEvent,
    coincEventMap: coinc.coincEventMap,
    timeSlides: coinc.timeSlides,
    coincInspiral: coinc.coincInspiral,
    psds: coinc.psds,
    snrSeries: coinc.snrSeries.map(({ ifo: _ifo, ...series }) => series),
  });
  assert.deepStrictEqual(rebuilt, document);
  assert.deepStrictEqual(
    psdDocument(coinc.psds).root.children,
    document.root.children.filter((c) => c.kind === 'LIGO_LW' && c.name === 'REAL8FrequencySeries'),
  );
});

for (const [label, path] of [
  ['coinc.xml', 'gwcelery/tests/coinc.xml'],
  ['psd.xml.gz', 'gwcelery/tests/psd.xml.gz'],
  ['first-two-years gstlal.xml.gz', 'gwcelery/first2years/gstlal.xml.gz'],
] as const) {
  test(`${label} written and read back is equal, plain and gzipped`, needsShared(path), () => {
    const document = readLigoLw(readFileSync(sharedData(path)!), { fileName: label });
    for (const gzip of [false, true]) assert.deepStrictEqual(roundTrip(document, gzip), document);
  });
}

test(
  "re-writing gwcelery's coinc.xml reproduces ligo.lw's output line for line, up to number spelling",
  needsShared('gwcelery/tests/coinc.xml'),
  () => {
    const original = readFileSync(sharedData('gwcelery/tests/coinc.xml')!, 'utf8')
      // ligo.lw puts Param values on their own line; both spellings read the same.
      .replace(/<Param([^>]*)>\s*([^<]*?)\s*<\/Param>/g, '<Param$1>$2</Param>');
    const rewritten = formatLigoLw(readLigoLw(original));
    const lines = (text: string) => text.split('\n').filter((line) => line.trim().length > 0);
    const expected = lines(original);
    const actual = lines(rewritten);
    assert.equal(actual.length, expected.length);
    for (let i = 0; i < expected.length; i++) {
      if (actual[i] === expected[i]) continue;
      // Only numbers may be spelled differently (2.5e-07 vs 2.5e-7, %.16g vs shortest digits).
      const tokens = (line: string) => line.split(/([ ,])/);
      const a = tokens(actual[i]!);
      const e = tokens(expected[i]!);
      assert.equal(a.length, e.length, `line ${i + 1}: ${actual[i]} vs ${expected[i]}`);
      for (let k = 0; k < e.length; k++) {
        if (a[k] === e[k]) continue;
        const relative = Math.abs(Number(a[k]) - Number(e[k])) / Math.abs(Number(e[k]));
        assert.ok(relative < 1e-15, `line ${i + 1}: ${a[k]} vs ${e[k]}`);
      }
    }
  },
);
