/**
 * BINTABLE extensions (FITS Standard 4.0 §7.3): rows of fixed-width big-endian fields described
 * by TFORMn (repeat count and type code), named by TTYPEn, with optional TUNITn and the
 * TSCALn/TZEROn scaling that stores unsigned integers in signed fields.
 */
import type { Card, CardValue } from './card.js';
import { FitsError } from './errors.js';
import type { FitsHeader } from './header.js';

export type ColumnData =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | (boolean | null)[]
  | string[];

export interface Column {
  name: string;
  /** TFORM, e.g. 'D', 'K', '1024E', '20A'. Inferred from the data when omitted. */
  format?: string;
  unit?: string;
  /** TSCAL and TZERO: physical = zero + scale·stored. */
  scale?: number;
  zero?: number | bigint;
  /** TNULL, TDISP, TDIM, kept so that a table reads and writes back unchanged. */
  nullValue?: number | bigint;
  display?: string;
  dim?: string;
  /**
   * rows·repeat values, row-major. 'A' columns hold one string per row, 'L' columns
   * true/false/null, 'X' columns the raw bytes of the bit field, C/M columns (re, im) pairs.
   */
  data: ColumnData;
}

export interface BinTable {
  rows: number;
  columns: Column[];
}

export interface ColumnFormat {
  repeat: number;
  code: string;
  /** Bytes the field takes in a row. */
  width: number;
}

const ELEMENT_BYTES: Record<string, number> = {
  L: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

export function parseFormat(tform: string): ColumnFormat {
  const m = /^\s*(\d*)([LXBIJKAEDCMPQ])(.*)$/.exec(tform);
  if (!m) throw new Error(`unknown TFORM ${JSON.stringify(tform)}`);
  const repeat = m[1] === '' ? 1 : Number(m[1]);
  const code = m[2];
  const width = code === 'X' ? Math.ceil(repeat / 8) : repeat * ELEMENT_BYTES[code];
  return { repeat, code, width };
}

const TWO_63 = 9223372036854775808n;

/** Stored ranges of the integer codes (K is checked against exact doubles separately). */
const INTEGER_RANGE: Record<string, [number, number]> = {
  B: [0, 255],
  I: [-32768, 32767],
  J: [-2147483648, 2147483647],
  K: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
const COLUMN_KEY = /^T(TYPE|FORM|UNIT|NULL|SCAL|ZERO|DISP|DIM)(\d+)$/;

/** Keywords that describe the table's layout: regenerated on write, never copied. */
export function isTableStructureKey(key: string): boolean {
  return (
    COLUMN_KEY.test(key) ||
    [
      'XTENSION',
      'BITPIX',
      'NAXIS',
      'NAXIS1',
      'NAXIS2',
      'PCOUNT',
      'GCOUNT',
      'TFIELDS',
      'THEAP',
    ].includes(key)
  );
}

function zeroIs(zero: number | bigint | undefined, expected: bigint): boolean {
  if (zero === undefined) return false;
  return typeof zero === 'bigint'
    ? zero === expected
    : Number.isInteger(zero) && BigInt(zero) === expected;
}

/** Which unsigned (or signed-byte) representation a scaled integer field stands for. */
function offsetKind(
  code: string,
  scale: number,
  zero: number | bigint | undefined,
): string | undefined {
  if (scale !== 1) return undefined;
  if (code === 'B' && zeroIs(zero, -128n)) return 'int8';
  if (code === 'I' && zeroIs(zero, 32768n)) return 'uint16';
  if (code === 'J' && zeroIs(zero, 2147483648n)) return 'uint32';
  if (code === 'K' && zeroIs(zero, TWO_63)) return 'uint64';
  return undefined;
}

function numberOf(value: CardValue | undefined, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new Error(`${what} is not a number: ${JSON.stringify(value)}`);
}

/** Decodes the data part of a BINTABLE HDU (without padding). */
export function decodeBinTable(header: FitsHeader, data: Uint8Array, source: string): BinTable {
  const fail = (msg: string): never => {
    throw new FitsError(source, msg);
  };
  const rowBytes = header.get('NAXIS1');
  const rows = header.get('NAXIS2');
  const nfields = header.get('TFIELDS');
  if (typeof rowBytes !== 'number' || typeof rows !== 'number' || typeof nfields !== 'number') {
    return fail('BINTABLE header lacks NAXIS1, NAXIS2 or TFIELDS');
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.byteLength < rowBytes * rows) {
    fail(`table data is truncated: ${data.byteLength} bytes for ${rows} rows of ${rowBytes}`);
  }
  const columns: Column[] = [];
  let offset = 0;
  for (let n = 1; n <= nfields; n++) {
    const tform = header.get(`TFORM${n}`);
    if (typeof tform !== 'string') return fail(`column ${n} has no TFORM${n}`);
    const name = String(header.get(`TTYPE${n}`) ?? `COL${n}`);
    let format: ColumnFormat;
    try {
      format = parseFormat(tform);
    } catch (err) {
      return fail(`column ${name}: ${(err as Error).message}`);
    }
    if (format.code === 'P' || format.code === 'Q') {
      fail(`column ${name}: variable-length arrays (TFORM ${tform}) are not supported`);
    }
    let scale: number | undefined;
    let nullValue: number | bigint | undefined;
    try {
      scale = numberOf(header.get(`TSCAL${n}`), `TSCAL${n}`);
      const tnull = header.get(`TNULL${n}`);
      nullValue = typeof tnull === 'number' || typeof tnull === 'bigint' ? tnull : undefined;
    } catch (err) {
      return fail((err as Error).message);
    }
    const rawZero = header.get(`TZERO${n}`);
    if (rawZero !== undefined && typeof rawZero !== 'number' && typeof rawZero !== 'bigint') {
      fail(`TZERO${n} is not a number`);
    }
    const zero = rawZero as number | bigint | undefined;
    const column: Column = {
      name,
      format: tform.trim(),
      data: decodeField(view, rows, rowBytes, offset, format, scale ?? 1, zero),
    };
    const unit = header.get(`TUNIT${n}`);
    if (typeof unit === 'string' && unit !== '') column.unit = unit;
    if (scale !== undefined) column.scale = scale;
    if (zero !== undefined) column.zero = zero;
    if (nullValue !== undefined) column.nullValue = nullValue;
    const disp = header.get(`TDISP${n}`);
    if (typeof disp === 'string') column.display = disp;
    const dim = header.get(`TDIM${n}`);
    if (typeof dim === 'string') column.dim = dim;
    columns.push(column);
    offset += format.width;
  }
  if (offset !== rowBytes) fail(`columns take ${offset} bytes per row but NAXIS1 is ${rowBytes}`);
  return { rows, columns };
}

function decodeField(
  view: DataView,
  rows: number,
  rowBytes: number,
  offset: number,
  f: ColumnFormat,
  scale: number,
  zero: number | bigint | undefined,
): ColumnData {
  const { repeat, code } = f;
  const n = rows * repeat;
  const at = (i: number) =>
    Math.floor(i / repeat) * rowBytes + offset + (i % repeat) * ELEMENT_BYTES[code];
  const kind = offsetKind(code, scale, zero);
  const scaled = !kind && (scale !== 1 || (zero !== undefined && Number(zero) !== 0));
  const z = zero === undefined ? 0 : Number(zero);
  switch (code) {
    case 'A': {
      const out: string[] = [];
      for (let r = 0; r < rows; r++) {
        let s = '';
        const base = r * rowBytes + offset;
        for (let k = 0; k < repeat; k++) {
          const c = view.getUint8(base + k);
          if (c === 0) break;
          s += String.fromCharCode(c);
        }
        out.push(s.trimEnd());
      }
      return out;
    }
    case 'L': {
      const out: (boolean | null)[] = [];
      for (let i = 0; i < n; i++) {
        const c = view.getUint8(at(i));
        out.push(c === 84 ? true : c === 70 ? false : null);
      }
      return out;
    }
    case 'X': {
      const out = new Uint8Array(rows * f.width);
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < f.width; k++)
          out[r * f.width + k] = view.getUint8(r * rowBytes + offset + k);
      }
      return out;
    }
    case 'B': {
      if (kind === 'int8') {
        const out = new Int8Array(n);
        for (let i = 0; i < n; i++) out[i] = view.getUint8(at(i)) - 128;
        return out;
      }
      if (scaled) return physical(n, (i) => view.getUint8(at(i)), scale, z);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getUint8(at(i));
      return out;
    }
    case 'I': {
      if (kind === 'uint16') {
        const out = new Uint16Array(n);
        for (let i = 0; i < n; i++) out[i] = view.getUint16(at(i)) ^ 0x8000;
        return out;
      }
      if (scaled) return physical(n, (i) => view.getInt16(at(i)), scale, z);
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(at(i));
      return out;
    }
    case 'J': {
      if (kind === 'uint32') {
        const out = new Uint32Array(n);
        for (let i = 0; i < n; i++) out[i] = (view.getUint32(at(i)) ^ 0x80000000) >>> 0;
        return out;
      }
      if (scaled) return physical(n, (i) => view.getInt32(at(i)), scale, z);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(at(i));
      return out;
    }
    case 'K': {
      if (kind === 'uint64') {
        const out = new BigUint64Array(n);
        for (let i = 0; i < n; i++) out[i] = view.getBigUint64(at(i)) ^ TWO_63;
        return out;
      }
      if (scaled) return physical(n, (i) => Number(view.getBigInt64(at(i))), scale, z);
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getBigInt64(at(i));
      return out;
    }
    case 'E': {
      if (scaled) return physical(n, (i) => view.getFloat32(at(i)), scale, z);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(at(i));
      return out;
    }
    case 'D': {
      if (scaled) return physical(n, (i) => view.getFloat64(at(i)), scale, z);
      const out = new Float64Array(n);
      if (repeat === 1) {
        for (let i = 0, p = offset; i < n; i++, p += rowBytes) out[i] = view.getFloat64(p);
      } else {
        for (let i = 0; i < n; i++) out[i] = view.getFloat64(at(i));
      }
      return out;
    }
    case 'C': {
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        out[2 * i] = view.getFloat32(at(i));
        out[2 * i + 1] = view.getFloat32(at(i) + 4);
      }
      return out;
    }
    case 'M': {
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        out[2 * i] = view.getFloat64(at(i));
        out[2 * i + 1] = view.getFloat64(at(i) + 8);
      }
      return out;
    }
  }
  throw new Error(`unsupported TFORM code ${code}`);
}

function physical(
  n: number,
  read: (i: number) => number,
  scale: number,
  zero: number,
): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = zero + scale * read(i);
  return out;
}

/** The TFORM and scaling a column is written with, inferred from its data when not given. */
export function resolveFormat(column: Column): {
  format: string;
  scale?: number;
  zero?: number | bigint;
} {
  if (column.format) return { format: column.format, scale: column.scale, zero: column.zero };
  const d = column.data;
  if (d instanceof Float64Array) return { format: 'D' };
  if (d instanceof Float32Array) return { format: 'E' };
  if (d instanceof BigInt64Array) return { format: 'K' };
  if (d instanceof BigUint64Array) return { format: 'K', zero: TWO_63 };
  if (d instanceof Int32Array) return { format: 'J' };
  if (d instanceof Uint32Array) return { format: 'J', zero: 2147483648 };
  if (d instanceof Int16Array) return { format: 'I' };
  if (d instanceof Uint16Array) return { format: 'I', zero: 32768 };
  if (d instanceof Uint8Array) return { format: 'B' };
  if (d instanceof Int8Array) return { format: 'B', zero: -128 };
  if (d.length > 0 && typeof d[0] === 'string') {
    const width = Math.max(1, ...(d as string[]).map((s) => s.length));
    return { format: `${width}A` };
  }
  return { format: 'L' };
}

/** Cards TTYPEn … TDIMn of one column (after TFIELDS), as astropy orders them. */
export function columnCards(n: number, column: Column): Card[] {
  const { format, scale, zero } = resolveFormat(column);
  const cards: Card[] = [
    { kind: 'value', key: `TTYPE${n}`, value: column.name, comment: '' },
    { kind: 'value', key: `TFORM${n}`, value: format, comment: '' },
  ];
  const add = (key: string, value: CardValue | undefined, real = false) => {
    if (value !== undefined)
      cards.push({ kind: 'value', key: `${key}${n}`, value, comment: '', real });
  };
  add('TUNIT', column.unit);
  add('TNULL', column.nullValue);
  add('TSCAL', scale, scale !== undefined && !Number.isInteger(scale));
  add('TZERO', zero);
  add('TDISP', column.display);
  add('TDIM', column.dim);
  return cards;
}

/** Encodes the rows of a table (without padding). */
export function encodeBinTable(
  table: BinTable,
  source: string,
): { rowBytes: number; data: Uint8Array } {
  const layouts = table.columns.map((column) => {
    const { format, scale, zero } = resolveFormat(column);
    let f: ColumnFormat;
    try {
      f = parseFormat(format);
    } catch (err) {
      throw new FitsError(source, `column ${column.name}: ${(err as Error).message}`);
    }
    if (f.code === 'P' || f.code === 'Q') {
      throw new FitsError(
        source,
        `column ${column.name}: variable-length arrays are not supported`,
      );
    }
    const expected =
      f.code === 'A'
        ? table.rows
        : f.code === 'X'
          ? table.rows * f.width
          : table.rows * f.repeat * (f.code === 'C' || f.code === 'M' ? 2 : 1);
    if (column.data.length !== expected) {
      throw new FitsError(
        source,
        `column ${column.name} holds ${column.data.length} values where ${table.rows} rows of ${format} need ${expected}`,
      );
    }
    return { column, f, scale: scale ?? 1, zero };
  });
  const rowBytes = layouts.reduce((s, l) => s + l.f.width, 0);
  const data = new Uint8Array(rowBytes * table.rows);
  const view = new DataView(data.buffer);
  let offset = 0;
  for (const { column, f, scale, zero } of layouts) {
    encodeField(view, table.rows, rowBytes, offset, f, column, scale, zero, source);
    offset += f.width;
  }
  return { rowBytes, data };
}

function encodeField(
  view: DataView,
  rows: number,
  rowBytes: number,
  offset: number,
  f: ColumnFormat,
  column: Column,
  scale: number,
  zero: number | bigint | undefined,
  source: string,
): void {
  const { repeat, code } = f;
  const n = rows * repeat;
  const at = (i: number) =>
    Math.floor(i / repeat) * rowBytes + offset + (i % repeat) * ELEMENT_BYTES[code];
  const d = column.data;
  const kind = offsetKind(code, scale, zero);
  const z = zero === undefined ? 0 : Number(zero);
  const scaled = !kind && (scale !== 1 || z !== 0);
  const bad = (why: string): never => {
    throw new FitsError(source, `column ${column.name}: ${why}`);
  };
  const [lo, hi] = INTEGER_RANGE[code] ?? [-Infinity, Infinity];
  const num = (i: number): number => {
    const v = Number(d[i]);
    const s = scaled ? Math.round((v - z) / scale) : v;
    if (!Number.isInteger(s) || s < lo || s > hi) {
      bad(`value ${String(d[i])} at index ${i} cannot be stored as TFORM ${code}`);
    }
    return s;
  };
  switch (code) {
    case 'A':
      for (let r = 0; r < rows; r++) {
        const s = String(d[r]);
        if (s.length > repeat || /[^\x20-\x7e]/.test(s))
          bad(`row ${r} does not fit ${repeat} ASCII characters`);
        for (let k = 0; k < repeat; k++)
          view.setUint8(r * rowBytes + offset + k, k < s.length ? s.charCodeAt(k) : 32);
      }
      return;
    case 'L':
      for (let i = 0; i < n; i++)
        view.setUint8(at(i), d[i] === true ? 84 : d[i] === false ? 70 : 0);
      return;
    case 'X':
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < f.width; k++)
          view.setUint8(r * rowBytes + offset + k, Number(d[r * f.width + k]));
      }
      return;
    case 'B':
      for (let i = 0; i < n; i++)
        view.setUint8(at(i), kind === 'int8' ? Number(d[i]) + 128 : num(i));
      return;
    case 'I':
      for (let i = 0; i < n; i++) {
        if (kind === 'uint16') view.setUint16(at(i), Number(d[i]) ^ 0x8000);
        else view.setInt16(at(i), num(i));
      }
      return;
    case 'J':
      for (let i = 0; i < n; i++) {
        if (kind === 'uint32') view.setUint32(at(i), (Number(d[i]) ^ 0x80000000) >>> 0);
        else view.setInt32(at(i), num(i));
      }
      return;
    case 'K':
      for (let i = 0; i < n; i++) {
        const v = d[i];
        if (kind === 'uint64') view.setBigUint64(at(i), BigInt(v as bigint) ^ TWO_63);
        else if (typeof v === 'bigint' && !scaled) view.setBigInt64(at(i), v);
        else {
          const s = num(i);
          if (!Number.isSafeInteger(s))
            bad(`row value ${String(v)} is not an exact 64-bit integer`);
          view.setBigInt64(at(i), BigInt(s));
        }
      }
      return;
    case 'E':
      for (let i = 0; i < n; i++)
        view.setFloat32(at(i), scaled ? (Number(d[i]) - z) / scale : Number(d[i]));
      return;
    case 'D':
      for (let i = 0; i < n; i++)
        view.setFloat64(at(i), scaled ? (Number(d[i]) - z) / scale : Number(d[i]));
      return;
    case 'C':
      for (let i = 0; i < n; i++) {
        view.setFloat32(at(i), Number(d[2 * i]));
        view.setFloat32(at(i) + 4, Number(d[2 * i + 1]));
      }
      return;
    case 'M':
      for (let i = 0; i < n; i++) {
        view.setFloat64(at(i), Number(d[2 * i]));
        view.setFloat64(at(i) + 8, Number(d[2 * i + 1]));
      }
      return;
  }
  bad(`unsupported TFORM code ${code}`);
}
