import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../../config/index.js';
import {
  cbcTemplate,
  classificationPlotForUpload,
  computePAstro,
  EM_BRIGHT_FILENAME,
  type EmBrightModel,
  emBrightForEvent,
  emBrightFromTemplate,
  formatProbability,
  type GraceDbEventJson,
  networkSnr,
  pAstroFilename,
  plotEmBright,
  plotPAstro,
  pythonFloatRepr,
  pythonJsonDumps,
  rankingInstruments,
  ScienceInputError,
  shouldComputePAstro,
} from '../../science/index.js';
import { configFor } from '../command.js';

function number(option: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`${option} must be a finite number, got '${raw}'`);
    }
    return value;
  };
}

/** A GraceDB event JSON file, or an IGWN alert whose `object` is the event. */
function readEvent(path: string): GraceDbEventJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ScienceInputError('event', `cannot read ${path}: ${(err as Error).message}`, path);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ScienceInputError('event', 'must be a JSON object (a GraceDB event)', path);
  }
  const record = parsed as Record<string, unknown>;
  const event =
    typeof record.object === 'object' && record.object !== null && 'alert_type' in record
      ? record.object
      : record;
  return event as GraceDbEventJson;
}

/** Writes through a temporary name so that an interrupted run leaves no truncated PNG. */
function writeAtomically(path: string, data: Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

function printTable(
  title: string,
  values: Readonly<Record<string, number>>,
  notes: readonly string[],
): void {
  const width = Math.max(...Object.keys(values).map((k) => k.length));
  const lines = [title];
  for (const [key, value] of Object.entries(values)) {
    lines.push(
      `  ${key.padEnd(width)}  ${formatProbability(value).padStart(5)}  ${pythonFloatRepr(value)}`,
    );
  }
  for (const note of notes) lines.push(note);
  process.stdout.write(`${lines.join('\n')}\n`);
}

interface EmBrightOptions {
  mass1?: number;
  mass2?: number;
  spin1z?: number;
  spin2z?: number;
  snr?: number;
  search?: string;
  method?: 'smoothed' | 'point';
  event?: string;
  json?: boolean;
  plot?: string;
}

function runEmBright(opts: EmBrightOptions, config: Config): void {
  const explicit = [opts.mass1, opts.mass2, opts.spin1z, opts.spin2z, opts.snr].some(
    (v) => v !== undefined,
  );
  let properties: Readonly<Record<string, number>>;
  let model: EmBrightModel;
  const notes: string[] = [];
  if (opts.event && !explicit) {
    const result = emBrightForEvent(readEvent(opts.event), config);
    properties = result.properties;
    model = result.model;
    const t = result.template;
    notes.push(
      `template: m1 ${t.mass1}, m2 ${t.mass2}, χ1z ${t.spin1z}, χ2z ${t.spin2z}, SNR ${t.snr ?? 'none'}`,
    );
  } else {
    const event = opts.event ? readEvent(opts.event) : undefined;
    const templateMissing = [opts.mass1, opts.mass2, opts.spin1z, opts.spin2z].includes(undefined);
    const fromEvent = event && templateMissing ? cbcTemplate(event) : undefined;
    const mass1 = opts.mass1 ?? fromEvent?.mass1;
    const mass2 = opts.mass2 ?? fromEvent?.mass2;
    if (mass1 === undefined || mass2 === undefined) {
      throw new ScienceInputError(
        '--mass1/--mass2',
        'both component masses are required',
        'classify em-bright',
      );
    }
    const snr = opts.snr ?? (event ? networkSnr(event) : undefined);
    // Without an SNR there is no scale for the smoothing: fall back to the template alone.
    const method = opts.method ?? (snr === undefined ? 'point' : config.em_bright_method);
    if (method === 'point' && snr === undefined && opts.method === undefined) {
      notes.push('no --snr: point estimate of the template (values are 0 or 1)');
    }
    const result = emBrightFromTemplate(
      {
        mass1,
        mass2,
        spin1z: opts.spin1z ?? fromEvent?.spin1z ?? 0,
        spin2z: opts.spin2z ?? fromEvent?.spin2z ?? 0,
        snr,
      },
      { ...config, em_bright_method: method },
      { search: opts.search ?? (typeof event?.search === 'string' ? event.search : undefined) },
    );
    properties = result.properties;
    model = result.model;
  }
  if (opts.plot) writeAtomically(opts.plot, plotEmBright(properties).png);
  if (opts.json) {
    process.stdout.write(`${pythonJsonDumps(properties)}\n`);
    return;
  }
  printTable(`${EM_BRIGHT_FILENAME} (${model.name})`, properties, [
    ...notes,
    `model: ${model.description}`,
  ]);
}

interface PAstroOptions {
  pipeline?: string;
  far?: number;
  snr?: number;
  mass1?: number;
  mass2?: number;
  instruments?: string;
  event?: string;
  json?: boolean;
  plot?: string;
}

function runPAstro(opts: PAstroOptions, config: Config): void {
  const event = opts.event ? readEvent(opts.event) : undefined;
  const template = event ? cbcTemplate(event) : undefined;
  const pipeline =
    opts.pipeline ?? (typeof event?.pipeline === 'string' ? event.pipeline : undefined);
  const far = opts.far ?? (typeof event?.far === 'number' ? event.far : undefined);
  const snr = opts.snr ?? (event ? networkSnr(event) : undefined);
  const mass1 = opts.mass1 ?? template?.mass1;
  const mass2 = opts.mass2 ?? template?.mass2;
  const where = 'classify p-astro';
  if (!pipeline) throw new ScienceInputError('--pipeline', 'is required', where);
  if (far === undefined) throw new ScienceInputError('--far', 'is required (Hz)', where);
  if (snr === undefined) throw new ScienceInputError('--snr', 'is required', where);
  if ((mass1 === undefined) !== (mass2 === undefined)) {
    throw new ScienceInputError(
      mass1 === undefined ? '--mass1' : '--mass2',
      'is required with the other mass (give both, or neither for no mass information)',
      where,
    );
  }
  if (mass1 === undefined) {
    process.stderr.write(
      'gwcelery: no masses given: the astrophysical probability is split over BNS, NSBH and BBH in proportion to their mean counts\n',
    );
  }
  let instruments: string[] = [];
  if (opts.instruments) instruments = opts.instruments.split(',').map((s) => s.trim());
  else if (event) instruments = rankingInstruments(event);
  else if (pipeline.toLowerCase() !== 'gstlal') {
    throw new ScienceInputError(
      '--instruments',
      `is required for ${pipeline}: its SNR cap depends on the detector set (e.g. H1,L1)`,
      where,
    );
  }
  const values = computePAstro(
    { snr, far, pipeline, instruments, ...(mass1 === undefined ? {} : { mass1, mass2 }) },
    config,
    where,
  );
  if (opts.plot) writeAtomically(opts.plot, plotPAstro(values).png);
  if (opts.json) {
    process.stdout.write(`${pythonJsonDumps(values)}\n`);
    return;
  }
  const notes: string[] = [];
  const search = typeof event?.search === 'string' ? event.search : undefined;
  if (search !== undefined && !shouldComputePAstro(pipeline, search, config)) {
    notes.push(
      `note: gwcelery does not compute p_astro for ${pipeline}/${search}; that pipeline uploads its own`,
    );
  }
  printTable(pAstroFilename(pipeline), values, notes);
}

export function register(program: Command): void {
  const classify = program
    .command('classify')
    .description('source classification: em_bright and p_astro, as the pipeline uploads them');

  classify
    .command('em-bright')
    .description('HasNS, HasRemnant, HasMassGap (HasSSM for --search ssm) from template masses')
    .option('--mass1 <M☉>', 'primary mass', number('--mass1'))
    .option('--mass2 <M☉>', 'secondary mass', number('--mass2'))
    .option('--spin1z <χ>', 'primary aligned spin (default 0)', number('--spin1z'))
    .option('--spin2z <χ>', 'secondary aligned spin (default 0)', number('--spin2z'))
    .option('--snr <ρ>', 'network SNR (without it: point estimate)', number('--snr'))
    .option('--search <name>', 'search, e.g. allsky or ssm')
    .option('--method <method>', 'smoothed or point (default: configuration)', (raw: string) => {
      if (raw !== 'smoothed' && raw !== 'point') {
        throw new InvalidArgumentError(`--method must be 'smoothed' or 'point', got '${raw}'`);
      }
      return raw;
    })
    .option('--event <file>', 'GraceDB event JSON (or IGWN alert) to read the template from')
    .option('--json', 'print em_bright.json exactly as uploaded')
    .option('--plot <file>', 'write the em_bright.png bar chart')
    .action((opts: EmBrightOptions, command: Command) => runEmBright(opts, configFor(command)));

  classify
    .command('p-astro')
    .description('BNS, NSBH, BBH, Terrestrial by the counts-based formula (SNR* 8.5, FAR* 1/30 d)')
    .option('--pipeline <name>', 'pipeline (gstlal, pycbc, spiir, mbta)')
    .option('--far <Hz>', 'false-alarm rate in Hz', number('--far'))
    .option('--snr <ρ>', 'network SNR', number('--snr'))
    .option(
      '--mass1 <M☉>',
      'primary mass (both masses, or neither: no mass information)',
      number('--mass1'),
    )
    .option('--mass2 <M☉>', 'secondary mass', number('--mass2'))
    .option('--instruments <ifos>', 'instruments in the ranking statistic, e.g. H1,L1')
    .option('--event <file>', 'GraceDB event JSON (or IGWN alert) to read the inputs from')
    .option('--json', 'print <pipeline>.p_astro.json exactly as uploaded')
    .option('--plot <file>', 'write the <pipeline>.p_astro.png bar chart')
    .action((opts: PAstroOptions, command: Command) => runPAstro(opts, configFor(command)));

  classify
    .command('plot <file>')
    .description('bar chart of an em_bright.json or <pipeline>.p_astro.json file')
    .option('-o, --output <png>', 'output file (default: the name the pipeline uploads)')
    .action((file: string, opts: { output?: string }) => {
      const name = file.split('/').pop()!;
      const plot = classificationPlotForUpload(name, readFileSync(file));
      if (!plot) {
        throw new ScienceInputError(
          'file',
          `the reference plots only em_bright.json and <pipeline>.p_astro.json files, not ${name}`,
          file,
        );
      }
      const output = opts.output ?? file.replace(/\.json$/, '.png');
      writeAtomically(output, plot.png);
      process.stdout.write(`${output}\n`);
    });
}
