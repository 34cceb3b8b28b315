import type { ClassificationFile } from '../classification-file.js';
import { ScienceInputError } from '../errors.js';
import {
  cbcTemplate,
  cwbChirpMass,
  cwbSnr,
  eventSource,
  type GraceDbEventJson,
  networkSnr,
} from '../gracedb-event.js';
import { type PlotOptions, plotEmBright } from '../plots/classification-plots.js';
import { pythonJsonDumps } from '../python-json.js';
import {
  type EmBrightProperties,
  emBrightFromTemplate,
  type TemplateParameters,
} from './from-template.js';
import type { EmBrightModel } from './model.js';
import type { EmBrightSettings } from './settings.js';

export const EM_BRIGHT_FILENAME = 'em_bright.json';

export interface EmBrightForEvent extends ClassificationFile {
  properties: EmBrightProperties;
  model: EmBrightModel;
  /** The template the numbers came from, for the task's log line. */
  template: TemplateParameters;
}

function lower(v: unknown): string {
  return typeof v === 'string' ? v.toLowerCase() : '';
}

/**
 * Whether a new event gets em_bright (gwcelery-spec §4.1): every CBC event except the
 * VTInjection search, and cWB's BBH search (from its chirp mass).
 */
export function shouldComputeEmBright(event: GraceDbEventJson): boolean {
  const search = lower(event.search);
  if (search === 'vtinjection') return false;
  if (lower(event.group) === 'cbc') return true;
  return lower(event.pipeline) === 'cwb' && search === 'bbh';
}

/**
 * em_bright.json and em_bright.png for a new event. CBC: SingleInspiral[0]'s masses and aligned
 * spins with the network SNR (HasSSM/HasNS/HasMassGap for the SSM search). cWB BBH: equal
 * components of 2^0.2 × the reported chirp mass (30 M☉ when absent or 0), no spin, its SNR.
 */
export function emBrightForEvent(
  event: GraceDbEventJson,
  settings: EmBrightSettings,
  options: PlotOptions = {},
): EmBrightForEvent {
  const source = eventSource(event);
  if (!shouldComputeEmBright(event)) {
    throw new ScienceInputError(
      'search',
      `em_bright is computed for CBC events (not VTInjection) and cWB BBH only, not ${event.group}/${event.pipeline}/${event.search}`,
      source,
    );
  }
  let template: TemplateParameters;
  let search: string;
  if (lower(event.group) === 'cbc') {
    template = { ...cbcTemplate(event), snr: networkSnr(event) };
    search = lower(event.search);
  } else {
    const mchirp = cwbChirpMass(event);
    const m = mchirp === undefined ? settings.em_bright_cwb_fallback_mass : 2 ** 0.2 * mchirp;
    const snr = cwbSnr(event);
    if (snr === undefined && settings.em_bright_method === 'smoothed') {
      throw new ScienceInputError(
        'extra_attributes.MultiBurst.snr',
        "is missing: the smoothed em_bright method needs an SNR (or set em_bright_method to 'point')",
        source,
      );
    }
    template = { mass1: m, mass2: m, spin1z: 0, spin2z: 0, snr };
    search = 'allsky';
  }
  const result = emBrightFromTemplate(template, settings, { search, source });
  return {
    filename: EM_BRIGHT_FILENAME,
    json: pythonJsonDumps(result.properties),
    pngFilename: 'em_bright.png',
    png: plotEmBright(result.properties, options).png,
    properties: result.properties,
    model: result.model,
    template,
  };
}
