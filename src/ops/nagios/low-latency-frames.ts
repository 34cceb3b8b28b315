import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Frame files are `<obs>-<description>-<GPS start>-<duration>.gwf` (LIGO-T010150). */
const FRAME_NAME = /^[^-]+-[^-]+-(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)\.gwf$/;

/** The directory two levels above the glob: whether this host receives low-latency frames. */
export function framesRoot(glob: string): string {
  return dirname(dirname(glob));
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * GPS start time of the newest frame file matching `glob` for one detector, or undefined when
 * there is none. Wildcards are allowed in the file name only (the reference's globs have none
 * elsewhere), which keeps this a single directory listing.
 */
export function newestFrameGps(glob: string, detector: string): number | undefined {
  const pattern = glob.replaceAll('{detector}', detector);
  const dir = dirname(pattern);
  if (/[*?[]/.test(dir)) {
    throw new Error(`llhoft_glob '${glob}': wildcards are only supported in the file name`);
  }
  if (!existsSync(dir)) return undefined;
  const match = globToRegExp(basename(pattern));
  let newest: number | undefined;
  for (const name of readdirSync(dir)) {
    if (!match.test(name)) continue;
    const parsed = FRAME_NAME.exec(name);
    if (!parsed) continue;
    const gps = Number(parsed[1]);
    if (newest === undefined || gps > newest) newest = gps;
  }
  return newest;
}
