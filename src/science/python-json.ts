/**
 * JSON text byte-identical to Python's `json.dumps(obj)` with default arguments, which is how the
 * reference writes em_bright.json and <pipeline>.p_astro.json. Consumers diff these files and
 * compare versions by content, so `{"HasNS": 1.0, ...}` must not come out as `{"HasNS":1,...}`.
 *
 * Every number is written as a Python float: the science outputs are all floats in the reference
 * (numpy scalars or float() results), never ints.
 */

export type PythonJsonValue =
  | number
  | string
  | boolean
  | null
  | readonly PythonJsonValue[]
  | { readonly [key: string]: PythonJsonValue };

/** Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';

  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest digits that round-trip, the same
  // digits Python's repr chooses; only the layout differs.
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa!.replace('.', '');
  const exponent = Number(exponentText);

  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const expSign = exponent < 0 ? '-' : '+';
    const expDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${expSign}${expDigits}`;
  }
  if (exponent < 0) {
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const integerDigits = exponent + 1;
  if (digits.length <= integerDigits) {
    return `${sign}${digits.padEnd(integerDigits, '0')}.0`;
  }
  return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
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
