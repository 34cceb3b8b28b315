/**
 * Choosing a recorded coincidence for "now" without moving it on the sky. A coincidence's
 * detector-frame data (arrival-time differences, antenna-pattern amplitudes and phases) belong
 * to one direction relative to the rotating Earth; moving it in time by a whole number of
 * sidereal days keeps that direction at the same right ascension and declination. So, as the
 * reference does, take the coincidence whose sidereal time was passed most recently and move it
 * forward by whole sidereal days: it lands shortly before now (by at most the largest gap
 * between the set's sidereal times) with its sky position intact.
 */
import { gpsToGmst } from '../../skymap/time.js';

/** Length of a mean sidereal day in seconds of UT: 360° at the GMST polynomial's 360.98564736629°/day. */
export const SIDEREAL_DAY_S = (86400 * 360) / 360.98564736629;
/** Earth's rotation rate relative to the stars, rad per SI second. */
const SIDEREAL_RATE = (2 * Math.PI) / SIDEREAL_DAY_S;
const TWO_PI = 2 * Math.PI;

/** The angle in [0, 2π). */
function wrap(angle: number): number {
  const wrapped = angle % TWO_PI;
  return wrapped < 0 ? wrapped + TWO_PI : wrapped;
}

/** The angle in (−π, π]. */
function wrapSigned(angle: number): number {
  const wrapped = wrap(angle);
  return wrapped > Math.PI ? wrapped - TWO_PI : wrapped;
}

/**
 * The latest GPS time not after `notAfterGps` whose Greenwich mean sidereal time equals that of
 * `eventGps`: the event moved forward (or back) by a whole number of sidereal days of Earth
 * rotation (which follows UTC, so the GPS shift also holds the leap seconds in between).
 */
export function siderealShift(eventGps: number, notAfterGps: number): number {
  const target = gpsToGmst(eventGps);
  let t = notAfterGps - wrap(gpsToGmst(notAfterGps) - target) / SIDEREAL_RATE;
  // The rate is the mean one; two corrections bring the sidereal phase to well under a
  // microsecond of rotation.
  for (let i = 0; i < 2; i++) t -= wrapSigned(gpsToGmst(t) - target) / SIDEREAL_RATE;
  if (t > notAfterGps) {
    t -= SIDEREAL_DAY_S;
    for (let i = 0; i < 2; i++) t -= wrapSigned(gpsToGmst(t) - target) / SIDEREAL_RATE;
  }
  return t;
}

/** A stretch of GPS time already used by an earlier mock event (a superevent's window). */
export interface TakenInterval {
  start: number;
  end: number;
}

export interface SiderealPick {
  /** Index of the coincidence in the list given. */
  index: number;
  /** Its new GPS time. */
  gps: number;
  /** New minus old GPS time (a whole number of sidereal days, in seconds). */
  shiftS: number;
  /** Whole sidereal days moved. */
  siderealDays: number;
}

export interface SiderealPickOptions {
  /**
   * Intervals already used by MDC superevents between `fromGps` and `toGps` (fetched lazily, one
   * sidereal day at a time, most recent first).
   */
  taken?: (fromGps: number, toGps: number) => Promise<readonly TakenInterval[]>;
  /** Seconds kept clear around a taken interval, so that a new event cannot join it. */
  marginS?: number;
  /** How many sidereal days back to look for a free slot before giving up. */
  maxDays?: number;
}

/**
 * The coincidence to upload now: the most recent sidereal match of any of `eventTimes` that
 * does not fall on an earlier mock event's superevent. When mock events come faster than the
 * set's sidereal times (short intervals in development), two events would otherwise share one
 * time and join one superevent; the next-most-recent free match is taken instead.
 */
export async function pickSiderealMatch(
  eventTimes: readonly number[],
  nowGps: number,
  options: SiderealPickOptions = {},
): Promise<SiderealPick> {
  if (eventTimes.length === 0) throw new Error('no coincidences to choose a mock event from');
  const margin = options.marginS ?? 5;
  const maxDays = options.maxDays ?? 30;
  for (let day = 0; day < maxDays; day++) {
    const notAfter = nowGps - day * SIDEREAL_DAY_S;
    const candidates = eventTimes
      .map((gps, index) => ({ index, gps: siderealShift(gps, notAfter) }))
      .sort((a, b) => b.gps - a.gps);
    const taken = options.taken
      ? await options.taken(notAfter - SIDEREAL_DAY_S - margin, notAfter + margin)
      : [];
    const free = candidates.find(
      (c) => !taken.some((t) => c.gps >= t.start - margin && c.gps <= t.end + margin),
    );
    if (free) {
      const shiftS = free.gps - eventTimes[free.index]!;
      return { ...free, shiftS, siderealDays: Math.round(shiftS / SIDEREAL_DAY_S) };
    }
  }
  throw new Error(
    `every sidereal match of the ${eventTimes.length} coincidences in the last ${maxDays} sidereal days already has an MDC superevent: mock events come faster than the set allows (lower the rate, mock_events_interval_s)`,
  );
}
