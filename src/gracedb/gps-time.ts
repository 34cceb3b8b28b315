/**
 * GPS ↔ UTC conversion. GraceDB derives superevent ids from the UTC date of t_0 and reports
 * latencies against GPS time, so the leap seconds must be right: GPS does not have them, UTC
 * does (GPS − UTC = 18 s since 2017-01-01).
 */

/** Unix time of the GPS epoch, 1980-01-06 00:00:00 UTC. */
const GPS_EPOCH_UNIX = 315964800;

/** UTC dates (Unix seconds) from which one more leap second separates GPS from UTC. */
const LEAP_SECONDS_UNIX = [
  '1981-07-01',
  '1982-07-01',
  '1983-07-01',
  '1985-07-01',
  '1988-01-01',
  '1990-01-01',
  '1991-01-01',
  '1992-07-01',
  '1993-07-01',
  '1994-07-01',
  '1996-01-01',
  '1997-07-01',
  '1999-01-01',
  '2006-01-01',
  '2009-01-01',
  '2012-07-01',
  '2015-07-01',
  '2017-01-01',
].map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);

/** The same instants on the GPS time scale (the n-th leap adds n seconds). */
const LEAP_SECONDS_GPS = LEAP_SECONDS_UNIX.map((unix, i) => unix - GPS_EPOCH_UNIX + i + 1);

function countUpTo(table: number[], t: number): number {
  let n = 0;
  while (n < table.length && table[n]! <= t) n++;
  return n;
}

/** GPS seconds → Unix seconds (UTC). */
export function gpsToUnix(gps: number): number {
  return gps + GPS_EPOCH_UNIX - countUpTo(LEAP_SECONDS_GPS, gps);
}

/** Unix seconds (UTC) → GPS seconds. */
export function unixToGps(unix: number): number {
  return unix - GPS_EPOCH_UNIX + countUpTo(LEAP_SECONDS_UNIX, unix);
}

/** GPS seconds → the UTC instant as a Date (millisecond precision). */
export function gpsToDate(gps: number): Date {
  return new Date(gpsToUnix(gps) * 1000);
}

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
