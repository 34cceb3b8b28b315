/**
 * JSON text byte-identical to Python's `json.dumps(obj)` with default arguments, which is how the
 * reference writes em_bright.json and <pipeline>.p_astro.json. Consumers diff these files and
 * compare versions by content, so `{"HasNS": 1.0, ...}` must not come out as `{"HasNS":1,...}`.
 *
 * Every number is written as a Python float: the science outputs are all floats in the reference
 * (numpy scalars or float() results), never ints.
 */
import { pythonFloatRepr as pythonRepr } from '../formats/text/python-float.js';

export type PythonJsonValue =
  | number
  | string
  | boolean
  | null
  | readonly PythonJsonValue[]
  | { readonly [key: string]: PythonJsonValue };

/**
 * Python's `repr(float)` as json.dumps writes it: the same digits and layout as
 * src/formats/text/python-float.ts, but JSON's spelling of the non-finite values.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  return pythonRepr(x);
}

/** Python's json string escaping with ensure_ascii=True. */
function pythonJsonString(s: string): string {
  // JSON.stringify already uses Python's short escapes (\" \\ \b \f \n \r \t) and \u00xx for
  // other control characters; ensure_ascii additionally escapes everything above 0x7F.
  return JSON.stringify(s).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `json.dumps(value)` with default separators (", " and ": ") and insertion-ordered keys. */
export function pythonJsonDumps(value: PythonJsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonFloatRepr(value);
  if (typeof value === 'string') return pythonJsonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: PythonJsonValue });
  return `{${entries.map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}
