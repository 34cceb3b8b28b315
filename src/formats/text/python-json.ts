import { pythonFloatRepr } from './python-float.js';

/**
 * Pieces of Python's `json.dumps` output with default settings (separators `", "` and `": "`,
 * `ensure_ascii=True`). Writers compose them with the types they know, because JavaScript numbers
 * do not remember whether they were written as `1` or `1.0`.
 */
export function pyJsonString(text: string): string {
  // JSON.stringify already escapes quotes, backslashes and control characters the way Python
  // does; ensure_ascii additionally escapes everything outside printable ASCII, DEL included.
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function pyJsonFloat(value: number | null): string {
  if (value === null) return 'null';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return pythonFloatRepr(value);
}

export function pyJsonInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an integer`);
  return String(value);
}

export function pyJsonBool(value: boolean): string {
  return value ? 'true' : 'false';
}

/** `{"k": v, ...}` from already-encoded values, in the given order. */
export function pyJsonObject(entries: [string, string][]): string {
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, v]) => `${pyJsonString(k)}: ${v}`).join(', ')}}`;
}

export function pyJsonArray(items: string[]): string {
  return items.length === 0 ? '[]' : `[${items.join(', ')}]`;
}
