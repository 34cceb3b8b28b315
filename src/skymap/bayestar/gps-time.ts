/**
 * GPS time conversions BAYESTAR needs: UTC (for DATE-OBS and MJD-OBS) and Greenwich mean
 * sidereal time (to turn right ascension into an Earth-fixed hour angle).
 *
 * GPS runs without leap seconds; UTC does not. The table lists the UTC dates on which a leap
 * second was inserted since the GPS epoch; it must be extended when the IERS announces a new
 * one (none is scheduled as of 2025).
 */

const LEAP_SECOND_DATES = [
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
];

/** Unix time of the GPS epoch, 1980-01-06T00:00:00 UTC. */
const GPS_EPOCH_UNIX = 315_964_800;

/** GPS time at which each leap second took effect (GPS − UTC became index + 1). */
const LEAP_SECOND_GPS = LEAP_SECOND_DATES.map(
  (date, index) => Date.parse(`${date}T00:00:00Z`) / 1000 - GPS_EPOCH_UNIX + index + 1,
);

/** GPS − UTC in seconds at a GPS time. */
export function leapSeconds(gps: number): number {
  let count = 0;
  while (count < LEAP_SECOND_GPS.length && gps >= LEAP_SECOND_GPS[count]) count++;
  return count;
}

/** Unix (UTC) seconds at a GPS time. */
export function gpsToUnix(gps: number): number {
  return gps + GPS_EPOCH_UNIX - leapSeconds(gps);
}

/** Unix time of J2000.0 as the IAU 1982 sidereal-time polynomial counts it: 2000-01-01T12:00 UT. */
const J2000_UNIX = 946_728_000;

/**
 * Greenwich mean sidereal time in radians, [0, 2π), by the IAU 1982 polynomial. UT1 is taken
 * equal to UTC: the difference (< 0.9 s) rotates a sky map by less than 0.004°.
 */
export function greenwichMeanSiderealTime(gps: number): number {
  const days = (gpsToUnix(gps) - J2000_UNIX) / 86400;
  const centuries = days / 36525;
  // 360.98564736629·d loses digits for d ~ 10⁴; whole turns per day are split off first.
  const wholeDays = Math.floor(days);
  const dayFraction = days - wholeDays;
  let degrees =
    280.46061837 +
    360 * dayFraction +
    0.98564736629 * days +
    0.000387933 * centuries * centuries -
    (centuries * centuries * centuries) / 38710000;
  degrees %= 360;
  if (degrees < 0) degrees += 360;
  return (degrees * Math.PI) / 180;
}

/**
 * ISO 8601 UTC date with microseconds (the form of the FITS DATE-OBS card) of a GPS time given
 * as whole seconds and nanoseconds, so that no precision is lost to a double.
 */
export function gpsToIsoUtc(seconds: number, nanoseconds = 0): string {
  const micro = Math.round(nanoseconds / 1000);
  const carry = micro >= 1_000_000 ? 1 : 0;
  const unix = gpsToUnix(seconds + carry);
  const date = new Date(unix * 1000).toISOString().slice(0, 19);
  return `${date}.${String(micro - carry * 1_000_000).padStart(6, '0')}`;
}

/** Modified Julian date (UTC) of a GPS time. */
export function gpsToMjd(gps: number): number {
  return gpsToUnix(gps) / 86400 + 40587;
}
