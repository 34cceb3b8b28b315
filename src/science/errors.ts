/**
 * Bad input to a science function: a missing field, a negative mass, a malformed p_astro file.
 * `field` names what was wrong (e.g. `mass1`, `extra_attributes.SingleInspiral[0].spin1z`) and
 * `source` says where it came from (a GraceDB id, a file name), so that the task that called us
 * can log and upload a message an operator can act on.
 */
export class ScienceInputError extends Error {
  override name = 'ScienceInputError';
  readonly field: string;
  readonly source: string | undefined;

  constructor(field: string, problem: string, source?: string) {
    super(`${source ? `${source}: ` : ''}${field}: ${problem}`);
    this.field = field;
    this.source = source;
  }
}

/** A finite number, or a ScienceInputError naming the field. */
export function requireFinite(value: unknown, field: string, source?: string): number {
  if (value === undefined || value === null) {
    throw new ScienceInputError(field, 'is missing', source);
  }
  if (typeof value !== 'number') {
    throw new ScienceInputError(field, `must be a number, got ${JSON.stringify(value)}`, source);
  }
  if (!Number.isFinite(value)) {
    throw new ScienceInputError(field, `must be a finite number, got ${value}`, source);
  }
  return value;
}

/** A finite number > 0 (masses, SNRs, radii). */
export function requirePositive(value: unknown, field: string, source?: string): number {
  const x = requireFinite(value, field, source);
  if (x <= 0) throw new ScienceInputError(field, `must be positive, got ${x}`, source);
  return x;
}

/** A finite number ≥ 0 (FARs: a FAR of exactly 0 is legal in GraceDB). */
export function requireNonNegative(value: unknown, field: string, source?: string): number {
  const x = requireFinite(value, field, source);
  if (x < 0) throw new ScienceInputError(field, `must not be negative, got ${x}`, source);
  return x;
}
