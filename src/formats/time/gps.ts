/**
 * GPS ↔ UTC conversion. GPS time has no leap seconds; UTC has had 18 since the GPS epoch
 * (1980-01-06T00:00:00Z). The table lists the UTC instants at which each one took effect
 * (IERS Bulletin C). A new leap second needs a new line here: none has been announced since
 * 2017 and the IERS decides six months ahead.
 */
const GPS_EPOCH_UNIX = 315964800;

const LEAP_SECONDS_UTC = [
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

/** Each leap second as the Unix time of its date and the GPS time of the same instant. */
const LEAPS = LEAP_SECONDS_UTC.map((date, i) => {
  const unix = Date.parse(`${date}T00:00:00Z`) / 1000;
  return { unix, gps: unix - GPS_EPOCH_UNIX + i + 1 };
});

/** GPS − UTC in seconds at a GPS time. */
export function leapSecondsAtGps(gps: number): number {
  let n = 0;
  for (const leap of LEAPS) if (gps >= leap.gps) n++;
  return n;
}

/** GPS − UTC in seconds at a Unix time. */
export function leapSecondsAtUnix(unix: number): number {
  let n = 0;
  for (const leap of LEAPS) if (unix >= leap.unix) n++;
  return n;
}

/** Unix time (UTC seconds since 1970, leap seconds not counted) of a GPS time. */
export function gpsToUnix(gps: number): number {
  return gps + GPS_EPOCH_UNIX - leapSecondsAtGps(gps);
}

/** GPS time of a Unix time. */
export function unixToGps(unix: number): number {
  return unix - GPS_EPOCH_UNIX + leapSecondsAtUnix(unix);
}

/** The UTC instant of a GPS time as a Date (millisecond precision). */
export function gpsToDate(gps: number): Date {
  return new Date(gpsToUnix(gps) * 1000);
}

/**
 * ISO 8601 UTC text of a GPS time with `fractionDigits` decimals (rounded), e.g.
 * `2022-07-22T21:57:12.382Z`. With `trimZeroFraction`, a fraction that rounds to zero is left out
 * altogether, the way Python's `datetime.isoformat()` writes whole seconds.
 */
export function gpsToIsoUtc(
  gps: number,
  fractionDigits: number,
  options: { trimZeroFraction?: boolean; suffix?: string } = {},
): string {
  if (!Number.isFinite(gps)) throw new RangeError(`GPS time ${gps} is not a finite number`);
  const scale = 10 ** fractionDigits;
  // Split before scaling: a GPS time near 1.4e9 keeps only ~7 decimals as a double, and rounding
  // the fraction on its own keeps those instead of amplifying the error of the whole value.
  let whole = Math.floor(gps);
  let fraction = Math.round((gps - whole) * scale);
  if (fraction >= scale) {
    whole += 1;
    fraction -= scale;
  }
  const unix = gpsToUnix(whole);
  const base = new Date(unix * 1000).toISOString().slice(0, 19);
  const suffix = options.suffix ?? 'Z';
  if (fractionDigits === 0 || (options.trimZeroFraction && fraction === 0)) {
    return `${base}${suffix}`;
  }
  return `${base}.${String(fraction).padStart(fractionDigits, '0')}${suffix}`;
}

/** GPS time of an ISO 8601 UTC text; a text without a zone is read as UTC. */
export function isoUtcToGps(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    text.trim(),
  );
  if (!match) throw new RangeError(`'${text}' is not an ISO 8601 date-time`);
  const zone = match[3] ?? 'Z';
  const unixWhole = Date.parse(`${match[1]}${zone}`) / 1000;
  if (Number.isNaN(unixWhole)) throw new RangeError(`'${text}' is not a valid date-time`);
  const fraction = match[2] ? Number(match[2]) : 0;
  return unixToGps(unixWhole) + fraction;
}
