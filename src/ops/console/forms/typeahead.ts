import type { EventJson, GraceDbClient } from '../../../gracedb/client.js';
import { GraceDbError } from '../../../gracedb/errors.js';
import { unixToGps } from '../../../gracedb/gps-time.js';
import type { EventRanking } from '../superevents/event-ranking.js';

const MAX_SUGGESTIONS = 8;
const SEARCH_BATCH = 32;
const DAY_MS = 86_400_000;
const CATEGORY: Record<string, 'Production' | 'MDC' | 'Test'> = {
  S: 'Production',
  MS: 'MDC',
  TS: 'Test',
};

/** The date range a partial `YYMMDD` covers, or undefined when no date can match it. */
export function dateRange(digits: string): { start: number; end: number } | undefined {
  if (!/^\d{0,6}$/.test(digits)) return undefined;
  const low = digits.padEnd(6, '0');
  const high = digits.padEnd(6, '9');
  const year = (s: string) => 2000 + Number(s.slice(0, 2));
  const clampMonth = (m: number) => Math.min(12, Math.max(1, m));
  const lowMonth = clampMonth(Number(low.slice(2, 4)));
  const highMonth = clampMonth(Number(high.slice(2, 4)));
  if (Number(low.slice(2, 4)) > 12) return undefined;
  const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lowDay = Math.max(1, Number(low.slice(4, 6)));
  const highDay = Math.min(lastDay(year(high), highMonth), Number(high.slice(4, 6)));
  if (lowDay > lastDay(year(low), lowMonth)) return undefined;
  const start = Date.UTC(year(low), lowMonth - 1, lowDay);
  const end = Date.UTC(year(high), highMonth - 1, highDay) + DAY_MS;
  return end > start ? { start, end } : undefined;
}

/**
 * Superevent ids starting with what the operator typed (gwcelery-spec §8.3): `MS2305`, `S230518`,
 * `TS2305`... The prefix picks the category, the date digits a t₀ range (padded by a day on each
 * side), the letters filter. Nothing typed (or nothing parsable): production, the last 7 days.
 */
export async function suggestSupereventIds(
  gracedb: GraceDbClient,
  term: string,
  now = Date.now(),
): Promise<string[]> {
  const match = /^([MT]?S)(\d{0,6})([a-z]*)$/i.exec(term.trim());
  let category: 'Production' | 'MDC' | 'Test' = 'Production';
  let range: { start: number; end: number } | undefined = { start: now - 7 * DAY_MS, end: now };
  let prefix = '';
  if (match) {
    category = CATEGORY[match[1].toUpperCase()];
    prefix = `${match[1].toUpperCase()}${match[2]}${match[3].toLowerCase()}`;
    if (match[2]) range = dateRange(match[2]);
    if (!range) return [];
    if (match[2].length < 6 && match[3]) return []; // letters only follow a full date
  }
  const from = unixToGps((range.start - DAY_MS) / 1000);
  const to = unixToGps((range.end + DAY_MS) / 1000);
  const found = await gracedb.getSuperevents(
    `category: ${category} t_0: ${from.toFixed(0)} .. ${to.toFixed(0)}`,
    { count: SEARCH_BATCH, sort: '-t_0' },
  );
  return found
    .map((s) => s.superevent_id)
    .filter((id) => id.startsWith(prefix))
    .slice(0, MAX_SUGGESTIONS);
}

/** The superevent's complete events, best first, each with its SNR; unknown superevent: []. */
export async function suggestEvents(
  gracedb: GraceDbClient,
  ranking: EventRanking,
  supereventId: string,
): Promise<(EventJson & { snr: number | null })[]> {
  try {
    const superevent = await gracedb.getSuperevent(supereventId);
    const ids = superevent.gw_events.slice(0, 64);
    const events = await Promise.all(ids.map((id) => gracedb.getEvent(id)));
    return ranking
      .sort(events.filter((e) => ranking.isComplete(e)))
      .map((e) => ({ ...e, snr: ranking.snr(e) }));
  } catch (err) {
    if (err instanceof GraceDbError) return [];
    throw err;
  }
}

/**
 * `name,version` of the files in an event's or superevent's log with this tag and extension
 * whose name starts with `filename`, newest first; an unknown id gives [].
 */
export async function suggestFiles(
  gracedb: GraceDbClient,
  id: string,
  filename: string,
  extension: string,
  tag: string,
): Promise<string[]> {
  try {
    const log = await gracedb.getLog(id);
    const out: string[] = [];
    for (const entry of [...log].reverse()) {
      if (!entry.filename || entry.file_version === null) continue;
      if (!entry.tag_names.includes(tag)) continue;
      if (!entry.filename.startsWith(filename) || !entry.filename.endsWith(extension)) continue;
      const versioned = `${entry.filename},${entry.file_version}`;
      if (!out.includes(versioned)) out.push(versioned);
    }
    return out;
  } catch (err) {
    if (err instanceof GraceDbError && err.status === 404) return [];
    throw err;
  }
}

/** Answers reused per query string for a few seconds (the reference cached them 30 s). */
export class TypeaheadCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(private readonly ttlMs: number) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = compute();
    if (this.ttlMs > 0) {
      this.entries.set(key, { at: now, value });
      value.catch(() => this.entries.delete(key));
      if (this.entries.size > 1000) {
        for (const [k, v] of this.entries) if (now - v.at >= this.ttlMs) this.entries.delete(k);
      }
    }
    return value;
  }
}
