/**
 * FITS header cards (FITS Standard 4.0 §4): 80-character ASCII records. A value card has the
 * keyword in columns 1–8, "= " in columns 9–10 and a value, optionally followed by "/ comment";
 * commentary cards (COMMENT, HISTORY, blank keyword) carry free text from column 9; string values
 * longer than one card continue on CONTINUE cards (the long-string convention, §4.2.1.2).
 */

export const CARD_LENGTH = 80;

export type CardValue = string | number | bigint | boolean | null;

export interface ValueCard {
  kind: 'value';
  key: string;
  value: CardValue;
  comment: string;
  /** Write a number as a real ("2.0") rather than an integer; set when read from a real. */
  real?: boolean;
  /** The card images this card was read from; written back verbatim while the card is unchanged. */
  image?: string;
}

export interface CommentaryCard {
  kind: 'commentary';
  key: string;
  text: string;
  image?: string;
}

export type Card = ValueCard | CommentaryCard;

const COMMENTARY_KEYS = new Set(['COMMENT', 'HISTORY', '']);
const KEYWORD = /^[A-Z0-9_-]{1,8}$/;
const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/;

export class CardError extends Error {}

export function isCommentaryKey(key: string): boolean {
  return COMMENTARY_KEYS.has(key);
}

/** Parses consecutive card images (the first one plus any CONTINUE cards already joined). */
export function parseCard(images: string[]): Card {
  const first = images[0];
  const image = images.join('');
  for (const card of images) {
    if (/[^\x20-\x7e]/.test(card)) throw new CardError('contains non-printable or non-ASCII bytes');
  }
  const rawKey = first.slice(0, 8).trimEnd();
  if (rawKey === 'HIERARCH') return parseHierarch(first, image);
  if (rawKey !== '' && !KEYWORD.test(rawKey)) {
    throw new CardError(`invalid keyword ${JSON.stringify(rawKey)}`);
  }
  if (isCommentaryKey(rawKey) || first.slice(8, 10) !== '= ') {
    return { kind: 'commentary', key: rawKey, text: first.slice(8).trimEnd(), image };
  }
  const field = first.slice(10);
  const parsed = parseValueField(field, rawKey);
  if (typeof parsed.value === 'string' && parsed.quoted && images.length > 1) {
    // Long-string convention: each piece but the last ends with '&'.
    let value = parsed.value;
    let comment = parsed.comment;
    for (const next of images.slice(1)) {
      if (!value.endsWith('&')) break;
      const piece = parseValueField(next.slice(10), 'CONTINUE');
      if (typeof piece.value !== 'string')
        throw new CardError(`CONTINUE card of ${rawKey} has no string`);
      value = value.slice(0, -1) + piece.value;
      if (piece.comment) comment = comment ? `${comment} ${piece.comment}` : piece.comment;
    }
    return { kind: 'value', key: rawKey, value, comment, image };
  }
  return {
    kind: 'value',
    key: rawKey,
    value: parsed.value,
    comment: parsed.comment,
    real: parsed.real,
    image,
  };
}

function parseHierarch(first: string, image: string): Card {
  const eq = first.indexOf('=');
  if (eq < 0) return { kind: 'commentary', key: 'HIERARCH', text: first.slice(8).trimEnd(), image };
  const key = first.slice(8, eq).trim();
  const parsed = parseValueField(first.slice(eq + 1), key);
  return {
    kind: 'value',
    key,
    value: parsed.value,
    comment: parsed.comment,
    real: parsed.real,
    image,
  };
}

interface ParsedField {
  value: CardValue;
  comment: string;
  real: boolean;
  quoted: boolean;
}

function parseValueField(field: string, key: string): ParsedField {
  const start = field.search(/\S/);
  if (start < 0) return { value: null, comment: '', real: false, quoted: false };
  if (field[start] === "'") {
    let i = start + 1;
    let text = '';
    for (;;) {
      if (i >= field.length) throw new CardError(`string value of ${key} has no closing quote`);
      if (field[i] === "'") {
        if (field[i + 1] === "'") {
          text += "'";
          i += 2;
          continue;
        }
        break;
      }
      text += field[i];
      i++;
    }
    const rest = field.slice(i + 1);
    return { value: text.trimEnd(), comment: commentOf(rest, key), real: false, quoted: true };
  }
  const slash = field.indexOf('/');
  const text = (slash < 0 ? field : field.slice(0, slash)).trim();
  const comment = slash < 0 ? '' : field.slice(slash + 1).trim();
  if (text === '') return { value: null, comment, real: false, quoted: false };
  if (text === 'T' || text === 'F')
    return { value: text === 'T', comment, real: false, quoted: false };
  if (INTEGER.test(text)) {
    const big = BigInt(text);
    const value =
      big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(big)
        : big;
    return { value, comment, real: false, quoted: false };
  }
  if (REAL.test(text)) {
    return { value: Number(text.replace(/[Dd]/, 'E')), comment, real: true, quoted: false };
  }
  if (/^\(.*\)$/.test(text)) {
    // Complex values are kept as their text; nothing in the sky-map world uses them.
    return { value: text, comment, real: false, quoted: false };
  }
  throw new CardError(
    `value of ${key} is not a FITS string, logical, integer or real: ${JSON.stringify(text)}`,
  );
}

function commentOf(rest: string, key: string): string {
  const t = rest.trim();
  if (t === '') return '';
  if (!t.startsWith('/'))
    throw new CardError(`unexpected text after the string value of ${key}: ${JSON.stringify(t)}`);
  return t.slice(1).trim();
}

/**
 * A real in the shortest text that reads back to the same double. Astropy keeps reals within
 * the 20 characters of fixed format; the few doubles that need 17 digits and an exponent or
 * leading zeros get a longer free-format value rather than losing their last digit.
 */
export function formatReal(v: number): string {
  if (!Number.isFinite(v)) throw new CardError(`${v} cannot be written as a FITS real`);
  const plain = realText(v, false);
  if (plain.length <= 20) return plain;
  const scientific = realText(v, true);
  return scientific.length < plain.length ? scientific : plain;
}

/** Python-repr layout (fixed notation for exponents −4 … 15, else d.dddE±XX), upper-case E. */
function realText(v: number, forceScientific: boolean): string {
  const [mantissa, expText] = v.toExponential().split('e');
  const e = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  const sign = negative ? '-' : '';
  if (!forceScientific && e >= -4 && e < 16) {
    if (e >= 0) {
      const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
      const frac = digits.slice(e + 1);
      return `${sign}${whole}.${frac || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  }
  const frac = digits.slice(1) || '0';
  const expSign = e < 0 ? '-' : '+';
  return `${sign}${digits[0]}.${frac}E${expSign}${String(Math.abs(e)).padStart(2, '0')}`;
}

function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function checkAscii(s: string, what: string): void {
  if (/[^\x20-\x7e]/.test(s))
    throw new CardError(`${what} contains characters outside printable ASCII`);
}

/** The 80-character image(s) of a card; several for long strings and long commentary. */
export function formatCard(card: Card): string[] {
  if (card.image !== undefined) return splitImages(card.image);
  if (card.kind === 'commentary') {
    checkAscii(card.text, `${card.key || 'blank'} card`);
    const key = card.key.padEnd(8);
    if (card.text === '') return [key.padEnd(CARD_LENGTH)];
    const out: string[] = [];
    for (let i = 0; i < card.text.length; i += 72) {
      out.push((key + card.text.slice(i, i + 72)).padEnd(CARD_LENGTH));
    }
    return out;
  }
  const { key, value, comment } = card;
  if (!KEYWORD.test(key) || isCommentaryKey(key)) {
    throw new CardError(`invalid keyword for a value card: ${JSON.stringify(key)}`);
  }
  checkAscii(comment, `comment of ${key}`);
  const head = `${key.padEnd(8)}= `;
  if (typeof value === 'string') {
    checkAscii(value, `value of ${key}`);
    return formatString(head, value, comment);
  }
  let text: string;
  if (value === null) text = '';
  else if (typeof value === 'boolean') text = value ? 'T' : 'F';
  else if (typeof value === 'bigint') text = value.toString();
  else if (card.real || !Number.isInteger(value)) text = formatReal(value);
  else if (Number.isSafeInteger(value)) text = String(value);
  else throw new CardError(`integer value of ${key} is not exact: ${value}`);
  let line = head + text.padStart(20);
  if (comment) line += ` / ${comment}`;
  if (line.length > CARD_LENGTH && value !== null && line.length - comment.length > CARD_LENGTH) {
    throw new CardError(`value of ${key} does not fit in one card`);
  }
  return [line.slice(0, CARD_LENGTH).padEnd(CARD_LENGTH)];
}

function formatString(head: string, value: string, comment: string): string[] {
  const quoted = quote(value.padEnd(8));
  let single = head + quoted.padEnd(20);
  if (comment) single += ` / ${comment}`;
  if (head.length + quoted.length <= CARD_LENGTH) {
    // Fits on one card; a comment that does not fit is cut rather than continued.
    return [single.slice(0, CARD_LENGTH).padEnd(CARD_LENGTH)];
  }
  // Long string: pieces of at most 67 characters (after quote doubling), each but the last
  // followed by '&', on the first card and then CONTINUE cards.
  const pieces: string[] = [];
  let piece = '';
  for (const ch of value) {
    const cost = ch === "'" ? 2 : 1;
    if (quote(piece).length - 2 + cost > 67) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  pieces.push(piece);
  const out: string[] = [];
  pieces.forEach((p, i) => {
    const last = i === pieces.length - 1;
    const prefix = i === 0 ? head : 'CONTINUE  ';
    out.push(prefix + quote(last ? p : `${p}&`));
  });
  if (comment) {
    const withComment = `${out[out.length - 1]} / ${comment}`;
    if (withComment.length <= CARD_LENGTH) out[out.length - 1] = withComment;
    else {
      out[out.length - 1] = out[out.length - 1].slice(0, -1) + "&'";
      out.push(`CONTINUE  '' / ${comment}`.slice(0, CARD_LENGTH));
    }
  }
  return out.map((c) => c.padEnd(CARD_LENGTH));
}

function splitImages(image: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < image.length; i += CARD_LENGTH) out.push(image.slice(i, i + CARD_LENGTH));
  return out;
}
