/**
 * GPS time, UTC and sidereal time for sky-map headers and detector geometry. GPS runs without
 * leap seconds; UTC = GPS − (leap seconds since 1980) − 315964800 s in Unix terms. UT1 is taken
 * as UTC (|UT1 − UTC| < 0.9 s rotates a map by under 0.004°). The leap seconds are in
 * src/formats/time/gps.ts.
 */
import { gpsToUnix } from '../formats/time/gps.js';

export {
  gpsToUnix,
  leapSecondsAtGps,
  leapSecondsAtUnix,
  unixToGps,
} from '../formats/time/gps.js';

const SECONDS_PER_DAY = 86400;
/** MJD of the Unix epoch (1970-01-01). */
const MJD_UNIX_EPOCH = 40587;

/** Splits a time into whole seconds and microseconds, rounding to the nearest microsecond. */
function microseconds(t: number): { whole: number; micro: number } {
  let whole = Math.floor(t);
  let micro = Math.round((t - whole) * 1e6);
  if (micro === 1e6) {
    whole += 1;
    micro = 0;
  }
  return { whole, micro };
}

/** ISO 8601 UTC with microseconds and no zone suffix, as FITS DATE-OBS: 2022-07-22T21:57:12.384103 */
export function gpsToIsoUtc(gps: number): string {
  return unixToIsoUtc(gpsToUnix(gps));
}

export function unixToIsoUtc(unix: number): string {
  if (!Number.isFinite(unix)) throw new RangeError(`time ${unix} is not finite`);
  const { whole, micro } = microseconds(unix);
  const iso = new Date(whole * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return `${iso.slice(0, 19)}.${String(micro).padStart(6, '0')}`;
}

/** Parses ISO 8601 UTC (with or without a trailing Z, any number of fraction digits) to Unix time. */
export function isoUtcToUnix(iso: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(iso.trim());
  if (!m) throw new RangeError(`not an ISO 8601 UTC time: ${JSON.stringify(iso)}`);
  const whole = Date.parse(`${m[1]}T${m[2]}Z`) / 1000;
  if (Number.isNaN(whole)) throw new RangeError(`not a valid date: ${JSON.stringify(iso)}`);
  return whole + (m[3] ? Number(m[3]) : 0);
}

/** Modified Julian Date (UTC) of a GPS time. The whole day and the fraction are kept apart for precision. */
export function gpsToMjd(gps: number): number {
  const unix = gpsToUnix(gps);
  const day = Math.floor(unix / SECONDS_PER_DAY);
  return MJD_UNIX_EPOCH + day + (unix - day * SECONDS_PER_DAY) / SECONDS_PER_DAY;
}

/**
 * Greenwich mean sidereal time in radians, [0, 2π), from the IAU 1982 polynomial:
 * GMST = 280.46061837° + 360.98564736629°·d + 0.000387933°·T² − T³/38710000°, with d the days
 * since J2000.0 (2000-01-01T12:00 UT) and T = d/36525. The 360°·d term is reduced modulo 360°
 * before adding so that no precision is lost on large d.
 */
export function gpsToGmst(gps: number): number {
  const unix = gpsToUnix(gps);
  const d = (unix - 946728000) / SECONDS_PER_DAY;
  const t = d / 36525;
  const fraction = d - Math.floor(d);
  let deg =
    280.46061837 +
    360 * fraction +
    0.98564736629 * d +
    0.000387933 * t * t -
    (t * t * t) / 38710000;
  deg %= 360;
  if (deg < 0) deg += 360;
  return (deg * Math.PI) / 180;
}
