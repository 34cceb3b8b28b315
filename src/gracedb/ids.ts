/**
 * GraceDB identifiers: event ids (`G435582`, `T0212`, `M394156`, `E1234`, `H…`) and superevent
 * ids (`S230413b`, `TS190425z`, `MS220722v`, `GW170817A`), as both the client (to route a call to
 * the event or the superevent resources) and the service (to allocate and look them up) need.
 */

/** Superevent categories by their GraceDB key. */
export type CategoryKey = 'P' | 'T' | 'M';

export const CATEGORY_NAMES: Record<CategoryKey, 'Production' | 'Test' | 'MDC'> = {
  P: 'Production',
  T: 'Test',
  M: 'MDC',
};

const CATEGORY_PREFIX: Record<CategoryKey, string> = { P: '', T: 'T', M: 'M' };

const EVENT_ID = /^[GEHMTC]\d+$/;
const SUPEREVENT_ID = /^([TM]?)(S|GW)(\d{6})([a-zA-Z]+)$/;

/** True for event ids; everything else a client is given is a superevent id. */
export function isEventId(id: string): boolean {
  return EVENT_ID.test(id);
}

/** `n` in bijective base 26 with digits a–z (1 → a, 26 → z, 27 → aa, 703 → aaa). */
export function toLetters(n: number, upper = false): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`superevent number must be ≥ 1: ${n}`);
  const base = (upper ? 'A' : 'a').charCodeAt(0);
  let out = '';
  let rest = n;
  while (rest > 0) {
    const r = (rest - 1) % 26;
    rest = Math.floor((rest - 1) / 26);
    out = String.fromCharCode(base + r) + out;
  }
  return out;
}

/** Inverse of toLetters (case-insensitive). */
export function fromLetters(letters: string): number {
  let n = 0;
  for (const ch of letters.toLowerCase()) {
    const digit = ch.charCodeAt(0) - 96;
    if (digit < 1 || digit > 26) throw new RangeError(`not a superevent suffix: ${letters}`);
    n = n * 26 + digit;
  }
  return n;
}

export interface SupereventIdParts {
  category: CategoryKey;
  /** True for the `GW…` form given at confirmation. */
  gw: boolean;
  /** UTC date of t_0, `YYMMDD`. */
  date: string;
  /** Counter of the (date, category): the letters, or the GW letters when gw is true. */
  number: number;
}

export function parseSupereventId(id: string): SupereventIdParts | undefined {
  const m = SUPEREVENT_ID.exec(id);
  if (!m) return undefined;
  const [, prefix, kind, date, letters] = m;
  const gw = kind === 'GW';
  // S ids carry lower-case letters and GW ids upper-case ones; a mixed id is not an id.
  if (gw ? letters !== letters!.toUpperCase() : letters !== letters!.toLowerCase()) {
    return undefined;
  }
  const category: CategoryKey = prefix === 'T' ? 'T' : prefix === 'M' ? 'M' : 'P';
  return { category, gw, date: date!, number: fromLetters(letters!) };
}

export function formatSupereventId(parts: SupereventIdParts): string {
  return (
    CATEGORY_PREFIX[parts.category] +
    (parts.gw ? 'GW' : 'S') +
    parts.date +
    toLetters(parts.number, parts.gw)
  );
}

/** The letter of an event id, checked in GraceDB's order (§4.3). */
export function eventIdPrefix(event: {
  group: string;
  search: string | null;
  pipeline: string;
}): 'T' | 'M' | 'H' | 'E' | 'G' {
  if (event.group === 'Test') return 'T';
  if (event.search === 'MDC') return 'M';
  if (event.pipeline === 'HardwareInjection') return 'H';
  if (event.group === 'External') return 'E';
  return 'G';
}

/** `G` + the row number, zero-padded to at least four digits. */
export function formatGraceId(prefix: string, n: number): string {
  return prefix + String(n).padStart(4, '0');
}

/** Which superevent category an event may join: Test events Test, MDC events MDC. */
export function eventCategory(event: { group: string; search: string | null }): CategoryKey {
  if (event.group === 'Test') return 'T';
  if (event.search === 'MDC') return 'M';
  return 'P';
}
