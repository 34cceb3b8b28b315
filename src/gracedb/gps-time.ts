/**
 * GraceDB's time conventions. The GPS ↔ UTC conversion itself (leap seconds) lives in
 * src/formats/time/gps.ts; superevent ids take the UTC date of t_0 from it.
 */
import { gpsToDate } from '../formats/time/gps.js';

export { gpsToDate, gpsToUnix, unixToGps } from '../formats/time/gps.js';

/** GraceDB's timestamp format: `2023-04-13 19:53:35 UTC` (whole seconds, truncated). */
export function formatGraceDbTime(unixMs: number): string {
  const iso = new Date(Math.floor(unixMs / 1000) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** The `YYMMDD` UTC date of a GPS time, as used in superevent ids. */
export function gpsDateCode(gps: number): string {
  const iso = gpsToDate(gps).toISOString();
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/** GraceDB stores GPS times as decimals with 6 digits after the point. */
export function roundGps(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
