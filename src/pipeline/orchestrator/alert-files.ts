import { parseVersionedFilename } from '../../gracedb/versioned-filename.js';

/**
 * Which files an alert is made of (gwcelery-spec §4.4 step 1, §4.5 step 2): the names the
 * preferred event's annotations are uploaded under, and the versions found on the superevent.
 */

export class AlertFilesError extends Error {
  override name = 'AlertFilesError';
}

/** File names on the preferred event; each is copied to the superevent under the same name. */
export interface AlertFilenames {
  skymap: string;
  emBright?: string;
  pAstro?: string;
}

interface EventNames {
  graceid?: unknown;
  group?: unknown;
  pipeline?: unknown;
  search?: unknown;
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');

/**
 * cWB's BBH search: cwb.multiorder.fits with p_astro and em_bright; CBC: BAYESTAR's map,
 * `<pipeline>.p_astro.json` (none for the sub-solar-mass search) and em_bright.json; Burst: the
 * pipeline's multi-order map only.
 */
export function alertFilenames(event: EventNames): AlertFilenames {
  const group = lower(event.group);
  const pipeline = lower(event.pipeline);
  const search = lower(event.search);
  if (pipeline === 'cwb' && search === 'bbh') {
    return {
      skymap: 'cwb.multiorder.fits',
      pAstro: 'cwb.p_astro.json',
      emBright: 'em_bright.json',
    };
  }
  if (group === 'cbc') {
    if (!pipeline) throw new AlertFilesError(`event ${String(event.graceid)} has no pipeline`);
    return {
      skymap: 'bayestar.multiorder.fits',
      emBright: 'em_bright.json',
      ...(search === 'ssm' ? {} : { pAstro: `${pipeline}.p_astro.json` }),
    };
  }
  if (group === 'burst') {
    if (!pipeline) throw new AlertFilesError(`event ${String(event.graceid)} has no pipeline`);
    return { skymap: `${pipeline}.multiorder.fits` };
  }
  throw new AlertFilesError(
    `event ${String(event.graceid)}: no alert files are defined for group '${String(event.group)}'`,
  );
}

/** A GraceDB log entry as far as file discovery reads it. */
export interface LogFile {
  filename?: string | null;
  file_version?: number | null;
  tag_names?: readonly string[] | null;
}

/** Versioned names (`name,N`) found in a superevent's log; the last matching entry wins. */
export interface DiscoveredFiles {
  skymap?: string;
  emBright?: string;
  pAstro?: string;
  rapidPePAstro?: string;
  combinedSkymap?: string;
}

export const RAPIDPE_P_ASTRO = 'RapidPE_RIFT.p_astro.json';

/**
 * The files an initial or update alert uses when the caller did not name them (§4.5 step 2):
 * the newest public multi-order sky map that is not a combined one, the newest em_bright JSON,
 * the newest public p_astro JSON (not for SSM), the RapidPE p_astro, and the combined
 * GW × external map.
 */
export function discoverAlertFiles(
  log: readonly LogFile[],
  options: { ssm?: boolean } = {},
): DiscoveredFiles {
  const found: DiscoveredFiles = {};
  for (const entry of log) {
    const name = entry.filename;
    if (!name || entry.file_version === null || entry.file_version === undefined) continue;
    const tags = new Set(entry.tag_names ?? []);
    const versioned = `${name},${entry.file_version}`;
    if (
      tags.has('sky_loc') &&
      tags.has('public') &&
      name.endsWith('.multiorder.fits') &&
      !name.includes('combined')
    ) {
      found.skymap = versioned;
    }
    if (tags.has('em_bright') && name.endsWith('.json')) found.emBright = versioned;
    if (tags.has('p_astro') && tags.has('public') && name.endsWith('.json')) {
      // RapidPE's file replaces the pipeline's only after renormalisation against it, so it is
      // kept apart (the reference lets it win the p_astro slot too and then renormalises it
      // against itself, which changes nothing).
      if (name === RAPIDPE_P_ASTRO) found.rapidPePAstro = versioned;
      else if (!options.ssm) found.pAstro = versioned;
    }
    if (
      tags.has('sky_loc') &&
      tags.has('ext_coinc') &&
      name.startsWith('combined-ext.') &&
      name.includes('fit')
    ) {
      found.combinedSkymap = versioned;
    }
  }
  return found;
}

/**
 * `skymap_type` of the notice: the file name without `.multiorder`, `.fits…` and the version
 * (`bayestar.multiorder.fits,1` → `bayestar`).
 */
export function skymapType(filename: string): string {
  return filename.replace(/(\.multiorder)?\.fits(\..+)?(,[0-9]+)?$/, '');
}

/**
 * The combined GW × external map a RAVEN alert carries (§4.5 step 3): multi-order when the GW
 * map is multi-order, else the flat gzipped one. (The reference names an undefined constant for
 * the flat case, §13; `combined-ext.fits.gz` is what it means.)
 */
export function combinedSkymapFilename(gwSkymap: string): string {
  return parseVersionedFilename(gwSkymap).name.endsWith('.multiorder.fits')
    ? 'combined-ext.multiorder.fits'
    : 'combined-ext.fits.gz';
}
