/**
 * Python's `repr(float)`: the shortest string that reads back to the same double (the same digits
 * JavaScript chooses), laid out the way Python lays it out. GraceDB writes VOEvent Params and the
 * reference writes JSON alert packets with Python, so byte-compatible output needs this layout:
 * scientific notation below 1e-4 or from 1e16 up, a two-digit exponent (`1e-05`), and `.0` on
 * whole numbers (`1.0`), where JavaScript would write `0.00001`, `1e-7` and `1`.
 */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';

  // toExponential() without an argument yields the shortest round-trip digits.
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';

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
    return `${sign}${digits}${'0'.repeat(integerDigits - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
}

/** Python's `str(int)` for a JavaScript number that must be an integer. */
export function pythonIntRepr(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an integer`);
  return String(value);
}
