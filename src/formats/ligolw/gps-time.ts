/**
 * GPS times as LIGO_LW stores them: integer seconds plus integer nanoseconds (LAL's
 * LIGOTimeGPS). A double holds a GPS time to about 0.2 µs only, so times stay split until the
 * caller chooses to combine them.
 */
export interface GpsTime {
  /** Whole GPS seconds. */
  gpsSeconds: number;
  /** Nanoseconds, 0 ≤ ns < 1e9. */
  gpsNanoSeconds: number;
}

const GPS_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/** Parse `1000071999.971191406` (or `967264162`) exactly; throws a plain Error when malformed. */
export function parseGpsTime(text: string): GpsTime {
  const match = GPS_TEXT.exec(text.trim());
  if (!match) throw new Error(`'${text.trim()}' is not a GPS time`);
  const seconds = Number(match[2]);
  const fraction = (match[3] ?? '').padEnd(10, '0');
  let nanoseconds = Number(fraction.slice(0, 9));
  // Round the tenth digit half-up, like LAL's string parser.
  let wholeSeconds = seconds;
  if (fraction.charCodeAt(9) >= 53) nanoseconds++;
  if (nanoseconds === 1e9) {
    nanoseconds = 0;
    wholeSeconds++;
  }
  if (!Number.isSafeInteger(wholeSeconds))
    throw new Error(`GPS time '${text.trim()}' is out of range`);
  if (match[1] === '-' && (wholeSeconds > 0 || nanoseconds > 0)) {
    return normalizeGps(-wholeSeconds, -nanoseconds);
  }
  return { gpsSeconds: wholeSeconds, gpsNanoSeconds: nanoseconds };
}

/** Bring nanoseconds into [0, 1e9). */
export function normalizeGps(seconds: number, nanoseconds: number): GpsTime {
  const carry = Math.floor(nanoseconds / 1e9);
  return { gpsSeconds: seconds + carry, gpsNanoSeconds: nanoseconds - carry * 1e9 };
}

/** `967264162` or `1000071999.971191406` (trailing zeros of the fraction dropped). */
export function formatGpsTime(time: GpsTime): string {
  const { gpsSeconds, gpsNanoSeconds } = normalizeGps(time.gpsSeconds, time.gpsNanoSeconds);
  if (gpsNanoSeconds === 0) return String(gpsSeconds);
  if (gpsSeconds < 0) {
    // -0.5 s is {-1 s, 5e8 ns}: write it as a signed decimal.
    const total = BigInt(gpsSeconds) * 1_000_000_000n + BigInt(gpsNanoSeconds);
    const magnitude = -total;
    const whole = magnitude / 1_000_000_000n;
    const frac = (magnitude % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
    return `-${whole}.${frac}`;
  }
  return `${gpsSeconds}.${String(gpsNanoSeconds).padStart(9, '0').replace(/0+$/, '')}`;
}

/** GPS seconds as one double (about 0.2 µs resolution at current epochs). */
export function gpsToSeconds(time: GpsTime): number {
  return time.gpsSeconds + time.gpsNanoSeconds * 1e-9;
}

/** The GPS time of an integer seconds + nanoseconds column pair (end_time, end_time_ns). */
export function gpsFromColumns(seconds: number, nanoseconds: number): GpsTime {
  return normalizeGps(seconds, nanoseconds);
}
