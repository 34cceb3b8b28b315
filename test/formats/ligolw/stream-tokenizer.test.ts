import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  quoteToken,
  StreamSyntaxError,
  tokenizeStream,
} from '../../../src/formats/ligolw/stream-tokenizer.js';

test('tokens are split on the delimiter, whitespace around them ignored', () => {
  assert.deepEqual(tokenizeStream('\n\t\t\t1, 2.5 ,"H1",\n\t\t\t3,4,"L1"\n\t\t', ','), [
    '1',
    '2.5',
    'H1',
    '3',
    '4',
    'L1',
  ]);
});

test('nothing between delimiters is NULL; a quoted empty string is a zero-length string', () => {
  assert.deepEqual(tokenizeStream(',"",x,,', ','), [null, '', 'x', null]);
});

test('a trailing delimiter followed by whitespace ends the stream without an extra token', () => {
  assert.deepEqual(tokenizeStream('1,2,\n\t\t', ','), ['1', '2']);
  // A final NULL is written with an extra delimiter, so it survives.
  assert.deepEqual(tokenizeStream('1,,', ','), ['1', null]);
});

test('backslash escapes the quote and itself inside quoted strings; both quote styles work', () => {
  assert.deepEqual(tokenizeStream(String.raw`"say \"hi\"","C:\\dir"`, ','), [
    'say "hi"',
    'C:\\dir',
  ]);
  assert.deepEqual(tokenizeStream(String.raw`'it\'s'`, ','), ["it's"]);
  assert.deepEqual(tokenizeStream('"a,b"', ','), ['a,b']);
});

test('a whitespace delimiter treats any whitespace run as one delimiter', () => {
  assert.deepEqual(tokenizeStream('\n\t0 1.5 \n\t0.25 2e-3 \n\t', ' '), [
    '0',
    '1.5',
    '0.25',
    '2e-3',
  ]);
  assert.deepEqual(tokenizeStream('0 1\n2', ' '), ['0', '1', '2']);
});

test('syntax errors carry the offset of the problem', () => {
  assert.throws(
    () => tokenizeStream('1,"open', ','),
    (e: unknown) =>
      e instanceof StreamSyntaxError && e.offset === 2 && /never closed/.test(e.message),
  );
  assert.throws(() => tokenizeStream('1 2,3', ','), /expected ',' after a token/);
  assert.throws(() => tokenizeStream('"a\\n"', ','), /unrecognized escape sequence/);
  assert.throws(() => tokenizeStream('"a"b,', ','), /expected ','/);
});

test('quoteToken escapes what the tokenizer unescapes', () => {
  for (const value of ['plain', 'with "quotes"', 'back\\slash', '', 'a,b']) {
    assert.deepEqual(tokenizeStream(quoteToken(value), ','), [value]);
  }
});
