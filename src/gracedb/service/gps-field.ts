import { roundGps } from '../gps-time.js';

/**
 * A GPS time field as GraceDB's DecimalField(max_digits=16, decimal_places=6) reads it: JSON
 * numbers are rounded to 6 decimals, form strings with more decimals are refused (§2.10.1).
 * Returns the value or the (flattened) validation message.
 */
export function readGpsField(raw: unknown): { value: number } | { error: string } {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { error: 'A valid number is required.' };
    return checkDigits(roundGps(raw));
  }
  if (typeof raw !== 'string' || raw.trim() === '') return { error: 'A valid number is required.' };
  const text = raw.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
    return { error: 'A valid number is required.' };
  const decimals = /^[+-]?\d*\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
  if (decimals > 6) return { error: 'Ensure that there are no more than 6 decimal places.' };
  return checkDigits(Number(text));
}

function checkDigits(value: number): { value: number } | { error: string } {
  if (Math.abs(value) >= 1e10)
    return { error: 'Ensure that there are no more than 16 digits in total.' };
  return { value };
}
