import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  displayValue,
  FitsHeader,
  headersToHtml,
  headersToText,
  readFits,
  writeFits,
} from '../../../src/formats/fits/index.js';
import { pythonFloatRepr as pythonFloat } from '../../../src/formats/text/python-float.js';
import { needsShared, sharedData } from '../../helpers/shared.js';

/** The file gwcelery's own test renders: two D columns, a few cards, a comment and a history. */
function testFits(): Uint8Array {
  const header = new FitsHeader()
    .set('OBJECT', 'T12345')
    .set('LOGBCI', 3.5)
    .set('ORDERING', 'NESTED')
    .addComment('This is a comment.')
    .addHistory('This is a history line. <This should be escaped.>');
  return writeFits([
    {
      table: {
        rows: 3,
        columns: [
          { name: 'foo', data: new Float64Array(3) },
          { name: 'bar', data: new Float64Array(3) },
        ],
      },
      header,
    },
  ]);
}

test('header HTML: one row per card, HDU separators, escaped text', () => {
  const html = headersToHtml(readFits(testFits()), 'test.fits');
  assert.match(html, /<title>FITS headers for test\.fits<\/title>/);
  assert.match(html, /<strong>HDU #1 in test\.fits<\/strong>/);
  assert.match(
    html,
    /<td style="font-family: monospace">SIMPLE<\/td>\n<td style="font-family: monospace">True<\/td>\n<td>conforms to FITS standard<\/td>/,
  );
  assert.match(
    html,
    /<td colspan=2 style="font-family: monospace">This is a history line\. &lt;This should be escaped\.&gt;<\/td>/,
  );
  assert.doesNotMatch(html, /<This/);
});

test(
  'header HTML is identical to the reference rendering',
  needsShared('gwcelery/tests/fits_header_result.html'),
  () => {
    const expected = readFileSync(sharedData('gwcelery/tests/fits_header_result.html')!, 'utf8');
    assert.equal(headersToHtml(readFits(testFits()), 'test.fits'), expected);
  },
);

test('values shown as Python shows them; text rendering', () => {
  assert.equal(displayValue(true), 'True');
  assert.equal(displayValue(42), '42');
  assert.equal(displayValue(9223372036854775808n), '9223372036854775808');
  assert.equal(pythonFloat(1e-5), '1e-05');
  assert.equal(pythonFloat(2), '2.0');
  assert.equal(pythonFloat(1.5e16), '1.5e+16');
  assert.equal(pythonFloat(-0.25), '-0.25');
  const text = headersToText(readFits(testFits()), 'test.fits');
  assert.match(text, /^# HDU 0 in test\.fits:\nSIMPLE {3}= True \/ conforms to FITS standard\n/);
  assert.match(text, /LOGBCI {3}= 3\.5\n/);
  assert.match(text, /HISTORY {2}This is a history line\. <This should be escaped\.>\n/);
});
