import { gpsToUnix } from '../../formats/time/gps.js';

/** Truncated Julian Day = MJD − 40000; the Unix epoch is MJD 40587. */
const TJD_AT_UNIX_EPOCH = 587;

/** A time as GCN notices give it: Truncated Julian Day and seconds of that UTC day. */
export function tjdAndSod(gpstime: number): { tjd: number; sod: number } {
  const unix = gpsToUnix(gpstime);
  const day = Math.floor(unix / 86400);
  return { tjd: day + TJD_AT_UNIX_EPOCH, sod: unix - day * 86400 };
}
