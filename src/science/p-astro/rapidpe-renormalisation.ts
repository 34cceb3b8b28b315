/**
 * RapidPE–RIFT computes its own source-category split but its Terrestrial probability is less
 * trustworthy than the search pipeline's. Before an alert uses the RapidPE p_astro, gwcelery
 * rescales it so that its Terrestrial equals the preferred pipeline's, keeping the astrophysical
 * categories in RapidPE's proportions (gwcelery-spec §4.5 step 6):
 *
 *   p_c' = (1 − p_terr^pipeline) · p_c / (1 − p_terr^RapidPE),  p_terr' = p_terr^pipeline
 */

import { ScienceInputError } from '../errors.js';
import { parseProbabilityJson } from '../probability-json.js';
import { pythonJsonDumps } from '../python-json.js';

export const RAPIDPE_P_ASTRO_FILENAME = 'RapidPE_RIFT.p_astro.json';

export interface RapidPERenormalisation {
  /** False when the two Terrestrial values were already equal: nothing to upload. */
  changed: boolean;
  /** The p_astro to use in alerts, keys in RapidPE's order with Terrestrial last when changed. */
  values: Record<string, number>;
  /** The JSON text to upload as RapidPE_RIFT.p_astro.json (the input text when unchanged). */
  json: string;
}

function terrestrial(values: Record<string, number>, source: string): number {
  const t = values.Terrestrial;
  if (t === undefined) throw new ScienceInputError('Terrestrial', 'is missing', source);
  return t;
}

/** Renormalises parsed p_astro objects; see the module comment. */
export function renormaliseRapidPEValues(
  rapidpe: Record<string, number>,
  pipeline: Record<string, number>,
  pipelineSource = 'pipeline p_astro',
): Record<string, number> {
  const rapidpeTerr = terrestrial(rapidpe, RAPIDPE_P_ASTRO_FILENAME);
  const pipelineTerr = terrestrial(pipeline, pipelineSource);
  const complement = 1.0 - rapidpeTerr;
  const astro = Object.entries(rapidpe).filter(([k]) => k !== 'Terrestrial');
  // Source-category shares given that the event is astrophysical; RapidPE's p_terr = 1 leaves
  // no share to rescale.
  const shares = astro.map(([k, v]) => [k, rapidpeTerr !== 1.0 ? v / complement : 0.0] as const);
  if (shares.reduce((sum, [, v]) => sum + v, 0) === 0) {
    throw new ScienceInputError(
      'Terrestrial',
      `cannot be replaced by the pipeline's ${pipelineTerr}: every astrophysical category is zero`,
      RAPIDPE_P_ASTRO_FILENAME,
    );
  }
  const out: Record<string, number> = {};
  for (const [k, share] of shares) out[k] = (1 - pipelineTerr) * share;
  out.Terrestrial = pipelineTerr;
  return out;
}

/**
 * The RapidPE substitution on file contents: parse both files (errors name the file), keep the
 * RapidPE file untouched when its Terrestrial already equals the pipeline's, else renormalise.
 */
export function renormaliseRapidPEPAstro(
  rapidpeContents: string | Uint8Array,
  pipelineContents: string | Uint8Array,
  pipelineFilename = 'pipeline p_astro',
): RapidPERenormalisation {
  const rapidpe = parseProbabilityJson(rapidpeContents, RAPIDPE_P_ASTRO_FILENAME);
  const pipeline = parseProbabilityJson(pipelineContents, pipelineFilename);
  if (terrestrial(rapidpe, RAPIDPE_P_ASTRO_FILENAME) === terrestrial(pipeline, pipelineFilename)) {
    const text =
      typeof rapidpeContents === 'string'
        ? rapidpeContents
        : Buffer.from(rapidpeContents).toString('utf8');
    return { changed: false, values: rapidpe, json: text };
  }
  const values = renormaliseRapidPEValues(rapidpe, pipeline, pipelineFilename);
  return { changed: true, values, json: pythonJsonDumps(values) };
}
