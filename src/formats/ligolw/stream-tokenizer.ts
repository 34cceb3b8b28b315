/**
 * The Stream text format shared by Table and Array streams.
 *
 * Tokens are separated by a one-character delimiter. Whitespace around a token is ignored. A
 * token is either quoted (`"..."` or `'...'`, where a backslash escapes the quote character
 * and itself) or a run of characters that are neither whitespace nor the delimiter. Nothing
 * but whitespace between two delimiters is a NULL token, which differs from the zero-length
 * quoted string `""`. Line breaks carry no meaning. After the last delimiter, whitespace alone
 * is not a token: that is why writers end a stream whose final token is NULL with an extra
 * delimiter. A whitespace delimiter (Arrays use " ") makes any run of whitespace one delimiter.
 */

/** A Stream token: its unquoted, unescaped text, or null for an empty (NULL) token. */
export type StreamToken = string | null;

/** A tokenizing problem, with its offset inside the Stream text. */
export class StreamSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const BACKSLASH = 92;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

export function tokenizeStream(text: string, delimiter: string): StreamToken[] {
  if (delimiter.length !== 1) {
    throw new StreamSyntaxError(`Delimiter must be one character, got '${delimiter}'`, 0);
  }
  const delim = delimiter.charCodeAt(0);
  const spaceDelimited = isSpace(delim);
  const tokens: StreamToken[] = [];
  const n = text.length;
  let pos = 0;

  for (;;) {
    while (pos < n && isSpace(text.charCodeAt(pos))) pos++;
    if (pos >= n) break;
    const c = text.charCodeAt(pos);
    let token: StreamToken;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const open = pos;
      let escaped = false;
      pos++;
      const start = pos;
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d === BACKSLASH) {
          escaped = true;
          pos += 2;
          continue;
        }
        if (d === c) break;
        pos++;
      }
      if (pos >= n) throw new StreamSyntaxError('quoted string is never closed', open);
      token = escaped ? unescapeQuoted(text.slice(start, pos), c, start) : text.slice(start, pos);
      pos++;
    } else {
      const start = pos;
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d === delim || isSpace(d)) break;
        pos++;
      }
      token = pos === start ? null : text.slice(start, pos);
    }
    // After a token: optional whitespace, then the delimiter or the end of the text.
    const afterToken = pos;
    while (pos < n && isSpace(text.charCodeAt(pos))) pos++;
    if (pos >= n) {
      tokens.push(token);
      break;
    }
    if (text.charCodeAt(pos) === delim) {
      pos++;
    } else if (!spaceDelimited || pos === afterToken) {
      throw new StreamSyntaxError(
        `expected '${delimiter}' after a token, found '${text.slice(afterToken, afterToken + 20).trim()}'`,
        afterToken,
      );
    }
    tokens.push(token);
  }
  return tokens;
}

function unescapeQuoted(raw: string, quote: number, offset: number): string {
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i !== -1; i = raw.indexOf('\\', from)) {
    const next = raw.charCodeAt(i + 1);
    if (next !== BACKSLASH && next !== quote) {
      throw new StreamSyntaxError(
        `unrecognized escape sequence '\\${raw[i + 1] ?? ''}' in a quoted string`,
        offset + i,
      );
    }
    out += raw.slice(from, i) + raw[i + 1];
    from = i + 2;
  }
  return out + raw.slice(from);
}

/**
 * Quote a string token for a Stream: wrap in double quotes, escaping backslashes and double
 * quotes with a backslash (XML escaping is the writer's separate step).
 */
export function quoteToken(value: string): string {
  if (value.indexOf('\\') === -1 && value.indexOf('"') === -1) return `"${value}"`;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
