import { roundGps } from '../../gps-time.js';
import { QuerySyntaxError, type TokenStream } from './tokens.js';

/**
 * Terms shared by event and superevent queries: numbers and ranges, creation times, label
 * expressions and FAR comparisons, each compiled to an SQL condition with parameters.
 */
export interface Condition {
  sql: string;
  params: unknown[];
}

export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isNumber(text: string | undefined): boolean {
  return text !== undefined && NUMBER.test(text);
}

export function readNumber(stream: TokenStream, what: string): number {
  const text = stream.expectWord(what);
  if (!NUMBER.test(text)) throw new QuerySyntaxError(`expected ${what}, got '${text}'`);
  return Number(text);
}

/** `A .. B` (inclusive) or a single value, on a GPS column. */
export function gpsRange(stream: TokenStream, column: string): Condition {
  const first = roundGps(readNumber(stream, 'a GPS time'));
  if (stream.eat('..')) {
    const last = roundGps(readNumber(stream, 'a GPS time'));
    return {
      sql: `${column} BETWEEN ? AND ?`,
      params: [Math.min(first, last), Math.max(first, last)],
    };
  }
  return { sql: `${column} = ?`, params: [first] };
}

const COMPARISONS: Record<string, string> = {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '=': '=',
};

/** `far < 1e-7`, `far: 3.6e-4`, `far: a .. b`, `far in a, b` (after the `far` word/keyword). */
export function farCondition(stream: TokenStream, column: string): Condition {
  const t = stream.peek();
  if (t?.kind === 'op' && COMPARISONS[t.text]) {
    stream.next();
    return { sql: `${column} ${COMPARISONS[t.text]} ?`, params: [readNumber(stream, 'a FAR')] };
  }
  if (t?.kind === 'word' && t.text.toLowerCase() === 'in') {
    stream.next();
    const a = readNumber(stream, 'a FAR');
    if (!stream.eat(',')) throw new QuerySyntaxError("expected ',' in 'far in A, B'");
    const b = readNumber(stream, 'a FAR');
    return { sql: `${column} BETWEEN ? AND ?`, params: [Math.min(a, b), Math.max(a, b)] };
  }
  const first = readNumber(stream, 'a FAR');
  if (stream.eat('..')) {
    const last = readNumber(stream, 'a FAR');
    return {
      sql: `${column} BETWEEN ? AND ?`,
      params: [Math.min(first, last), Math.max(first, last)],
    };
  }
  return { sql: `${column} = ?`, params: [first] };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const UNITS: Record<string, number> = {
  second: 1e3,
  minute: 60e3,
  hour: 3600e3,
  day: 86400e3,
  week: 7 * 86400e3,
  month: 30 * 86400e3,
  year: 365 * 86400e3,
};

export function looksLikeDate(stream: TokenStream): boolean {
  const t = stream.peek();
  if (t?.kind !== 'word') return false;
  const lower = t.text.toLowerCase();
  return DATE.test(t.text) || lower === 'now' || lower === 'today' || lower === 'yesterday';
}

/** One creation-time point: a UTC date [time], now/today/yesterday or `N units ago`. */
function datePoint(stream: TokenStream, now: number): { start: number; end: number } {
  const text = stream.expectWord('a date');
  const lower = text.toLowerCase();
  const dayStart = Math.floor(now / 86400e3) * 86400e3;
  if (lower === 'now') return { start: now, end: now };
  if (lower === 'today') return { start: dayStart, end: dayStart + 86400e3 - 1 };
  if (lower === 'yesterday') return { start: dayStart - 86400e3, end: dayStart - 1 };
  if (DATE.test(text)) {
    const next = stream.peek();
    if (next?.kind === 'word' && TIME.test(next.text)) {
      stream.next();
      const t = Date.parse(`${text}T${next.text}Z`);
      if (Number.isNaN(t)) throw new QuerySyntaxError(`invalid date '${text} ${next.text}'`);
      return { start: t, end: t };
    }
    const t = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(t)) throw new QuerySyntaxError(`invalid date '${text}'`);
    return { start: t, end: t + 86400e3 - 1 };
  }
  if (isNumber(text)) {
    const unit = stream.expectWord('a time unit').toLowerCase().replace(/s$/, '');
    const ago = stream.expectWord("'ago'").toLowerCase();
    if (!UNITS[unit] || ago !== 'ago') throw new QuerySyntaxError(`expected 'N ${unit}s ago'`);
    const t = now - Number(text) * UNITS[unit]!;
    return { start: t, end: t };
  }
  throw new QuerySyntaxError(`expected a date, got '${text}'`);
}

export function createdCondition(stream: TokenStream, column: string, now: number): Condition {
  const first = datePoint(stream, now);
  if (stream.eat('..')) {
    const last = datePoint(stream, now);
    return { sql: `${column} BETWEEN ? AND ?`, params: [first.start, last.end] };
  }
  return { sql: `${column} BETWEEN ? AND ?`, params: [first.start, first.end] };
}

/**
 * A label expression: names joined by `&`/`,` (and) or `|` (or), each optionally negated with
 * `~` or a leading `-`; N labels need N−1 operators (§6.1).
 */
export function labelCondition(
  stream: TokenStream,
  kind: 'event' | 'superevent',
  idColumn: string,
  canonical: (name: string) => string | undefined,
): Condition {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (;;) {
    let negate = false;
    while (stream.eat('~')) negate = !negate;
    let name = stream.expectWord('a label name');
    if (name.startsWith('-')) {
      negate = !negate;
      name = name.slice(1);
    }
    const label = canonical(name);
    if (!label) throw new QuerySyntaxError(`unknown label '${name}'`);
    parts.push(
      `${negate ? 'NOT ' : ''}EXISTS (SELECT 1 FROM labels l WHERE l.parent_kind = '${kind}' AND l.parent_id = ${idColumn} AND l.name = ?)`,
    );
    params.push(label);
    if (stream.eat('&') || stream.eat(',')) parts.push('AND');
    else if (stream.eat('|')) parts.push('OR');
    else break;
  }
  return { sql: `(${parts.join(' ')})`, params };
}

export function readBoolean(stream: TokenStream): boolean {
  const text = stream.expectWord('true or false').toLowerCase();
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  throw new QuerySyntaxError(`expected true or false, got '${text}'`);
}

/** Terms grouped by kind: ORed within a kind, ANDed across kinds (§6). */
export class TermSet {
  readonly #terms = new Map<string, Condition[]>();

  add(kind: string, condition: Condition): void {
    const list = this.#terms.get(kind) ?? [];
    list.push(condition);
    this.#terms.set(kind, list);
  }

  has(kind: string): boolean {
    return this.#terms.has(kind);
  }

  toCondition(): Condition {
    const parts: string[] = [];
    const params: unknown[] = [];
    for (const conditions of this.#terms.values()) {
      parts.push(`(${conditions.map((c) => `(${c.sql})`).join(' OR ')})`);
      for (const c of conditions) params.push(...c.params);
    }
    return { sql: parts.length ? parts.join(' AND ') : '1', params };
  }
}
