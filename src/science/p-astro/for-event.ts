import type { ClassificationFile } from '../classification-file.js';
import { ScienceInputError } from '../errors.js';
import {
  cbcTemplate,
  eventFar,
  eventPipeline,
  eventSearch,
  eventSource,
  type GraceDbEventJson,
  networkSnr,
  rankingInstruments,
} from '../gracedb-event.js';
import { type PlotOptions, plotPAstro } from '../plots/classification-plots.js';
import { pythonJsonDumps } from '../python-json.js';
import { computePAstro, type PAstroInput, type PAstroValues } from './counts-p-astro.js';
import type { PAstroSettings } from './settings.js';

export interface PAstroForEvent extends ClassificationFile {
  values: PAstroValues;
  /** The inputs of the formula, for the task's log line. */
  input: Omit<PAstroInput, 'instruments'> & { instruments: string[] };
}

/** `<pipeline>.p_astro.json`, pipeline lower-cased as the reference names it. */
export function pAstroFilename(pipeline: string): string {
  return `${pipeline.toLowerCase()}.p_astro.json`;
}

/**
 * Whether gwcelery computes p_astro itself for this pipeline and search (the reference: spiir
 * and pycbc early warning, gstlal MDC, i.e. the mock events); every other pipeline uploads its
 * own `<pipeline>.p_astro.json`. Case-insensitive, like the reference.
 */
export function shouldComputePAstro(
  pipeline: string,
  search: string,
  settings: Pick<PAstroSettings, 'p_astro_fallback_searches'>,
): boolean {
  const p = pipeline.toLowerCase();
  const s = search.toLowerCase();
  return settings.p_astro_fallback_searches.some(
    (entry) => entry.pipeline.toLowerCase() === p && entry.search.toLowerCase() === s,
  );
}

/**
 * `<pipeline>.p_astro.json` and its figure for a new CBC event the fallback applies to: network
 * SNR, FAR, SingleInspiral[0] masses and the instruments in the ranking statistic.
 */
export function pAstroForEvent(
  event: GraceDbEventJson,
  settings: PAstroSettings,
  options: PlotOptions = {},
): PAstroForEvent {
  const source = eventSource(event);
  const pipeline = eventPipeline(event);
  const search = eventSearch(event);
  if (!shouldComputePAstro(pipeline, search, settings)) {
    throw new ScienceInputError(
      'search',
      `gwcelery does not compute p_astro for ${pipeline}/${search}: that pipeline uploads its own`,
      source,
    );
  }
  const { mass1, mass2 } = cbcTemplate(event);
  const input = {
    snr: networkSnr(event),
    far: eventFar(event),
    mass1,
    mass2,
    pipeline,
    instruments: rankingInstruments(event),
  };
  const values = computePAstro(input, settings, source);
  const filename = pAstroFilename(pipeline);
  return {
    filename,
    json: pythonJsonDumps(values),
    pngFilename: filename.replace(/\.json$/, '.png'),
    png: plotPAstro(values, options).png,
    values,
    input,
  };
}
