/**
 * The LIGO_LW value types (the `Type` attribute of Column, Param and Array) and the conversion
 * of one Stream or Param token to and from a JavaScript value.
 *
 * Floats are written in the shortest form that reads back to the same double, so a document
 * the project writes and reads back is equal (the Python library writes `%.8g`/`%.16g`, which is
 * lossy; our output is still plain decimal that its tokenizer accepts).
 */

export const STRING_TYPES = ['lstring', 'char_s', 'char_v', 'string', 'ilwd:char'] as const;
export const BLOB_TYPES = ['blob', 'ilwd:char_u'] as const;
export const INT_TYPES = [
  'int_2s',
  'int_2u',
  'int_4s',
  'int_4u',
  'int_8s',
  'int_8u',
  'int',
] as const;
export const FLOAT_TYPES = ['real_4', 'real_8', 'float', 'double'] as const;
export const COMPLEX_TYPES = ['complex_8', 'complex_16'] as const;

export type StringType = (typeof STRING_TYPES)[number];
export type BlobType = (typeof BLOB_TYPES)[number];
export type IntType = (typeof INT_TYPES)[number];
export type FloatType = (typeof FLOAT_TYPES)[number];
export type ComplexType = (typeof COMPLEX_TYPES)[number];
export type NumericType = IntType | FloatType | ComplexType;
export type LigoLwType = StringType | BlobType | NumericType;

export type TypeCategory = 'string' | 'blob' | 'int' | 'float' | 'complex';

/** A complex_8 / complex_16 value. */
export interface Complex {
  re: number;
  im: number;
}

/**
 * One value of a table cell or Param. `null` is LIGO_LW's NULL (an empty, unquoted token),
 * which is not the same as the zero-length string `""`.
 * Integers are numbers; an int_8s/int_8u value beyond ±2^53, which a double cannot hold
 * exactly, is a bigint instead of being rounded.
 */
export type CellValue = string | number | bigint | Uint8Array | Complex | null;

const CATEGORY = new Map<string, TypeCategory>();
for (const t of STRING_TYPES) CATEGORY.set(t, 'string');
for (const t of BLOB_TYPES) CATEGORY.set(t, 'blob');
for (const t of INT_TYPES) CATEGORY.set(t, 'int');
for (const t of FLOAT_TYPES) CATEGORY.set(t, 'float');
for (const t of COMPLEX_TYPES) CATEGORY.set(t, 'complex');

export function isLigoLwType(type: string): type is LigoLwType {
  return CATEGORY.has(type);
}

export function isNumericType(type: string): type is NumericType {
  const category = CATEGORY.get(type);
  return category === 'int' || category === 'float' || category === 'complex';
}

export function typeCategory(type: LigoLwType): TypeCategory {
  return CATEGORY.get(type)!;
}

/** Inclusive bounds of each integer type. */
const INT_RANGE: Record<IntType, readonly [bigint, bigint]> = {
  int_2s: [-32768n, 32767n],
  int_2u: [0n, 65535n],
  int_4s: [-2147483648n, 2147483647n],
  int_4u: [0n, 4294967295n],
  int: [-2147483648n, 2147483647n],
  int_8s: [-(2n ** 63n), 2n ** 63n - 1n],
  int_8u: [0n, 2n ** 64n - 1n],
};

const INTEGER_TEXT = /^[+-]?(?:\d+|0[xX][0-9a-fA-F]+)$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Parse an integer token: a number, or a bigint for an int_8 value beyond ±2^53. Throws a plain
 * Error (whose message the caller places) for text that is not an integer or is out of range.
 */
export function parseInteger(type: IntType, text: string): number | bigint {
  if (!INTEGER_TEXT.test(text)) throw new Error(`'${text}' is not a valid ${type} value`);
  const negative = text.charCodeAt(0) === 45;
  const digits = text.charCodeAt(0) === 43 || negative ? text.slice(1) : text;
  // Number() reads leading zeros as decimal (C's strtoll would read octal; nobody writes that).
  const magnitude = Number(digits);
  const value = negative ? -magnitude : magnitude;
  const [min, max] = INT_RANGE[type];
  if (Number.isSafeInteger(value)) {
    if (value < Number(min) || value > Number(max)) {
      throw new Error(`${type} value ${text} is out of range [${min}, ${max}]`);
    }
    return Object.is(value, -0) ? 0 : value;
  }
  const exact = negative ? -BigInt(digits) : BigInt(digits);
  if (exact < min || exact > max)
    throw new Error(`${type} value ${text} is out of range [${min}, ${max}]`);
  return exact;
}

/** Parse a float token, accepting the C library's inf/nan spellings. */
export function parseFloatToken(type: string, text: string): number {
  const value = Number(text);
  // Number('') and Number(' ') are 0: a blank token is not a number.
  if (!Number.isNaN(value) && text.length > 0 && text.charCodeAt(0) > 32) return value;
  const special = SPECIAL_FLOAT.exec(text);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  throw new Error(`'${text}' is not a valid ${type} value`);
}

/** Parse a complex token written as `re+iim` (e.g. `1.5+i-2`). */
export function parseComplex(type: ComplexType, text: string): Complex {
  const split = text.indexOf('+i');
  if (split <= 0) throw new Error(`'${text}' is not a valid ${type} value (expected re+iim)`);
  return {
    re: parseFloatToken(type, text.slice(0, split)),
    im: parseFloatToken(type, text.slice(split + 2)),
  };
}

/** Convert the text of one non-null token (already unquoted) into a value of the given type. */
export function parseValue(type: LigoLwType, text: string): CellValue {
  switch (CATEGORY.get(type)) {
    case 'string':
      return text;
    case 'int':
      return parseInteger(type as IntType, text);
    case 'float':
      return parseFloatToken(type, text);
    case 'complex':
      return parseComplex(type as ComplexType, text);
    case 'blob':
      return parseBase64(type, text);
    default:
      throw new Error(`unknown type ${type}`);
  }
}

const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

function parseBase64(type: string, text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64_TEXT.test(compact)) {
    throw new Error(`${type} value is not valid base64`);
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** Shortest decimal text that reads back to the same double; inf/nan as C's strtod spells them. */
export function formatFloat(value: number): string {
  if (Number.isFinite(value)) return Object.is(value, -0) ? '-0' : String(value);
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

/**
 * Check that a value fits a column/Param type and return its text, unquoted. Strings come back
 * raw: quoting and escaping belong to the Stream writer.
 */
export function formatValue(type: LigoLwType, value: Exclude<CellValue, null>): string {
  switch (CATEGORY.get(type)) {
    case 'string':
      if (typeof value !== 'string')
        throw new Error(`${type} needs a string, got ${describe(value)}`);
      return value;
    case 'int': {
      const integer =
        typeof value === 'bigint'
          ? value
          : typeof value === 'number' && Number.isSafeInteger(value)
            ? BigInt(value)
            : undefined;
      if (integer === undefined) {
        throw new Error(`${type} needs an integer, got ${describe(value)}`);
      }
      const [min, max] = INT_RANGE[type as IntType];
      if (integer < min || integer > max)
        throw new Error(`${type} value ${integer} is out of range`);
      return String(integer);
    }
    case 'float':
      if (typeof value !== 'number')
        throw new Error(`${type} needs a number, got ${describe(value)}`);
      return formatFloat(value);
    case 'complex':
      if (typeof value !== 'object' || value instanceof Uint8Array) {
        throw new Error(`${type} needs {re, im}, got ${describe(value)}`);
      }
      return `${formatFloat(value.re)}+i${formatFloat(value.im)}`;
    case 'blob':
      if (!(value instanceof Uint8Array)) {
        throw new Error(`${type} needs a Uint8Array, got ${describe(value)}`);
      }
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    default:
      throw new Error(`unknown type ${type}`);
  }
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && Number.isInteger(value)) return `the unsafe integer ${value}`;
  return `${typeof value} ${String(value)}`;
}
