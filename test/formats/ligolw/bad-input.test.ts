import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { LigoLwError, readCoinc, readLigoLw, readPsds } from '../../../src/formats/ligolw/index.js';
import { FIXTURE_COINC } from './fixture-coinc.js';

const COINC = readFileSync(FIXTURE_COINC, 'utf8');
const FILE = 'upload.xml';

/** Assert that reading fails with a LigoLwError whose message names the file and matches. */
function rejects(
  input: Uint8Array | string,
  pattern: RegExp,
  read: (bytes: Uint8Array, options: { fileName: string }) => unknown = readLigoLw,
): LigoLwError {
  let caught: unknown;
  try {
    read(typeof input === 'string' ? Buffer.from(input) : input, { fileName: FILE });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof LigoLwError, `expected a LigoLwError, got ${String(caught)}`);
  assert.ok(
    caught.message.startsWith(`${FILE}`),
    `message should name the file: ${caught.message}`,
  );
  assert.match(caught.message, pattern);
  return caught;
}

test('not XML: empty input, plain text, JSON, binary', () => {
  rejects('', /not XML: the input is empty/);
  rejects('hello, world', /not XML: the document does not start with a tag/);
  rejects('{"graceid": "G1"}', /not XML/);
  rejects(new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0x3c]), /not XML: the bytes are not UTF-8 text/);
  rejects(
    '<html><body>503 Service Unavailable</body></html>',
    /the root element is <html>, not <LIGO_LW>/,
  );
});

test('truncated documents name the element left open', () => {
  const cut = COINC.slice(0, COINC.indexOf('</Stream>', COINC.indexOf('sngl_inspiral:table')));
  const error = rejects(cut, /truncated document: <Stream> opened at line \d+ is never closed/);
  assert.ok(error.line !== undefined);
  rejects(
    COINC.slice(0, COINC.lastIndexOf('</LIGO_LW>')),
    /truncated document: <LIGO_LW> opened at line 3/,
  );
  rejects(
    COINC.slice(0, COINC.indexOf('Type="int_8s"') + 8),
    /truncated document: attribute Type of <Column> is cut off/,
  );
});

test('corrupt or truncated gzip data is reported as such', () => {
  const gz = gzipSync(Buffer.from(COINC));
  rejects(gz.subarray(0, gz.length >> 1), /gzip data is corrupt \(unexpected end of file\)/);
  const flipped = Buffer.from(gz);
  for (let i = 20; i < 60; i++) flipped[i] = flipped[i]! ^ 0x5a;
  rejects(flipped, /gzip data is corrupt/);
});

test('malformed XML: mismatched tags, bad entities, text where none belongs', () => {
  rejects(
    COINC.replace('</Table>', '</Tabel>'),
    /end tag <\/Tabel> does not match <Table> opened at line \d+/,
  );
  rejects(COINC.replace('&amp;', '&nbsp;'), /unknown entity &nbsp;/);
  rejects(
    COINC.replace('<Table Name="process:table">', '<Table Name="process:table">stray'),
    /<Table> holds no text/,
  );
  rejects(`${COINC}<LIGO_LW/>`, /a second root element <LIGO_LW>/);
  rejects(
    COINC.replace(
      '<Column Name="process:program" Type="lstring"/>',
      '<Column Name="process:program" Type=lstring/>',
    ),
    /attribute Type of <Column> is not quoted/,
  );
});

test('an unknown column type names the table, column and type', () => {
  const error = rejects(
    COINC.replace(
      '<Column Name="sngl_inspiral:snr" Type="real_4"/>',
      '<Column Name="sngl_inspiral:snr" Type="real_16"/>',
    ),
    /table sngl_inspiral, column sngl_inspiral:snr has unknown type 'real_16'/,
  );
  assert.equal(error.line, COINC.slice(0, COINC.indexOf('sngl_inspiral:snr"')).split('\n').length);
});

test('a Stream with the wrong number of fields says how many and where', () => {
  // Drop one value from the first sngl_inspiral row.
  const start = COINC.indexOf('"GDS-CALIB_STRAIN",');
  const broken = COINC.slice(0, start) + COINC.slice(start + '"GDS-CALIB_STRAIN",'.length);
  rejects(
    broken,
    /table sngl_inspiral: Stream has 191 values, not a whole number of rows of 64 columns \(63 left over\)/,
  );
  const array = COINC.replace(
    '<Dim Name="Time,Real,Imaginary">3</Dim>',
    '<Dim Name="Time,Real,Imaginary">4</Dim>',
  );
  rejects(array, /Array snr: Stream has 27 values, but its Dims \(9×4\) need 36/);
  const value = COINC.replace(
    '"bns","GDS-CALIB_STRAIN",1300000000',
    '"bns","GDS-CALIB_STRAIN",soon',
  );
  rejects(value, /table sngl_inspiral, row 1, column end_time: 'soon' is not a valid int_4s value/);
  rejects(
    COINC.replace(',"H1,L1,V1",42.125,', ',"H1,L1,V1"42.125,'),
    /table coinc_event: expected ',' after a token/,
  );
});

test('a missing required table is an error naming the file and the table', () => {
  const withoutSngl = COINC.replace(/\t<Table Name="sngl_inspiral:table">[\s\S]*?<\/Table>\n/, '');
  rejects(withoutSngl, /^upload\.xml: missing required table sngl_inspiral$/, readCoinc);
  const withoutCoincEvent = COINC.replace(
    /\t<Table Name="coinc_event:table">[\s\S]*?<\/Table>\n/,
    '',
  );
  rejects(withoutCoincEvent, /missing required table coinc_event$/, readCoinc);
  const noPsd = COINC.replace(/\t<LIGO_LW Name="REAL8FrequencySeries">[\s\S]*?<\/LIGO_LW>\n/g, '');
  rejects(noPsd, /no PSD found/, readPsds);
});

test('series with broken structure are named', () => {
  rejects(
    COINC.replace('<Time Name="epoch" Type="GPS">1299999984</Time>', ''),
    /PSD for H1: REAL8FrequencySeries has no Time named epoch/,
    readPsds,
  );
  rejects(
    COINC.replace('Scale="16"', 'Scale="0"'),
    /PSD for H1: REAL8FrequencySeries Array PSD has no positive Dim Scale/,
    readPsds,
  );
  rejects(
    COINC.replace(
      '<Time Name="epoch" Type="GPS">1299999984</Time>',
      '<Time Name="epoch" Type="GPS">yesterday</Time>',
    ),
    /Time epoch: 'yesterday' is not a GPS time/,
  );
});
