/** The result of reading an uploaded event file, whatever the pipeline. */

/** What GraceDB takes from an uploaded event file (§4): the searchable attributes and more. */
export interface ParsedEvent {
  gpstime: number | null;
  far: number | null;
  instruments: string;
  nevents: number | null;
  likelihood: number | null;
  /** `extra_attributes`, keyed by event subclass (`CoincInspiral`, `MultiBurst`, ...). */
  attributes: Record<string, unknown>;
  /** Problems the real service reports while still creating the event. */
  warnings: string[];
  /** Files GraceDB derives from the upload (event.log, coinc.xml), each with its log comment. */
  derivedFiles: { name: string; data: Uint8Array; comment: string }[];
  /** Further log comments (links GraceDB finds in the upload). */
  notes: string[];
}

/** An upload that cannot be read at all: a 400, and nothing is stored. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}

export function emptyParsedEvent(): ParsedEvent {
  return {
    gpstime: null,
    far: null,
    instruments: '',
    nevents: null,
    likelihood: null,
    attributes: {},
    warnings: [],
    derivedFiles: [],
    notes: [],
  };
}

/** A finite number from a payload value, or null; throws for non-numeric junk. */
export function numberOrNull(value: unknown, field: string): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new PayloadError(`${field}: expected a number, got ${JSON.stringify(value)}`);
  }
  if (Number.isNaN(n)) {
    if (typeof value === 'string' && /^nan$/i.test(value.trim())) return null;
    throw new PayloadError(`${field}: expected a number, got ${JSON.stringify(value)}`);
  }
  return Number.isFinite(n) ? n : null;
}

/** Python's `%0.3e` (two-digit exponent at least), as GraceDB's event.log writes FARs. */
export function formatExponent(value: number, digits = 3): string {
  const [mantissa, exponent] = value.toExponential(digits).split('e');
  const sign = exponent!.startsWith('-') ? '-' : '+';
  const magnitude = exponent!.replace(/^[-+]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${magnitude}`;
}
