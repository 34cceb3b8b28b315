import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { FitsError, headersToHtml, headersToText, readFits } from '../../formats/fits/index.js';
import { searched } from '../../skymap/credible.js';
import { flatten, reorder, unflatten } from '../../skymap/flat.js';
import { nsideToOrder } from '../../skymap/healpix/index.js';
import {
  readSkyMapFilePath,
  readSkyMapPath,
  writeFileAtomic,
  writeFlatSkyMap,
  writeSkyMap,
} from '../../skymap/io.js';
import { maxOrder } from '../../skymap/multiorder.js';
import { plotSkyMap } from '../../skymap/plot/render.js';
import { formatArea, formatSummary, summarize } from '../../skymap/summary.js';
import { configFor } from '../command.js';
import { addLocalizeCommand } from '../skymap-localize.js';

/**
 * `gwcelery skymap ...`: read, measure, draw and convert sky maps from the terminal. One
 * function per subcommand; a new one (e.g. `localize`) is one more function called from
 * register().
 */
export function register(program: Command): void {
  const group = program
    .command('skymap')
    .description('HEALPix sky maps: statistics, plots, conversions');
  registerStats(group);
  registerPlot(group);
  registerFlatten(group);
  registerUnflatten(group);
  registerHeader(group);
  addLocalizeCommand(group, (command) => {
    const config = configFor(command);
    return {
      threads: config.bayestar_threads,
      fLow: config.bayestar_f_low,
      rescale: config.bayestar_rescale_loglikelihood,
      disabledDetectors: config.bayestar_disabled_detectors,
    };
  });
}

function percentList(value: string, previous: number[] | undefined): number[] {
  const n = Number(value);
  if (!(n > 0 && n < 100))
    throw new InvalidArgumentError(`credible level must be a percentage in (0, 100), got ${value}`);
  return [...(previous ?? []), n];
}

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`not a number: ${value}`);
  return n;
}

function parseRadec(values: string[] | undefined): { ra: number; dec: number } | undefined {
  if (!values) return undefined;
  const [ra, dec] = values.map(Number);
  if (values.length !== 2 || !Number.isFinite(ra) || !(dec >= -90 && dec <= 90)) {
    throw new Error(`--radec takes RA and Dec in degrees, got ${values.join(' ')}`);
  }
  return { ra, dec };
}

function registerStats(group: Command): void {
  group
    .command('stats')
    .description('credible areas, most probable position and distance of a sky map')
    .argument('<fits>', 'sky map (multi-order or flat, plain or gzipped)')
    .option('--json', 'print JSON')
    .option(
      '--contour <percent>',
      'credible level to report (repeatable; default 50 and 90)',
      percentList,
    )
    .option(
      '--radec <deg...>',
      'also report searched area and probability at this RA and Dec (degrees)',
    )
    .action((file: string, opts: { json?: boolean; contour?: number[]; radec?: string[] }) => {
      const map = readSkyMapPath(file);
      const levels = (opts.contour ?? [50, 90]).map((c) => c / 100);
      const summary = summarize(map, levels);
      const position = parseRadec(opts.radec);
      const hit = position
        ? searched(map, (position.ra * Math.PI) / 180, (position.dec * Math.PI) / 180)
        : undefined;
      if (opts.json) {
        const out = hit ? { ...summary, searched: { ...position, ...hit } } : summary;
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      let text = formatSummary(summary);
      if (hit && position) {
        text += `${'searched area:'.padEnd(22)}${formatArea(hit.searchedArea)} deg² at RA ${position.ra}°, Dec ${position.dec}°\n`;
        text += `${'searched probability:'.padEnd(22)}${hit.searchedProbability.toFixed(4)}\n`;
      }
      process.stdout.write(text);
    });
}

function registerPlot(group: Command): void {
  group
    .command('plot')
    .description('Mollweide PNG of the probability density with credible contours')
    .argument('<fits>', 'sky map (multi-order or flat, plain or gzipped)')
    .requiredOption('-o, --output <png>', 'PNG file to write')
    .option('--width <pixels>', 'image width (height is 3/4 of it)', number, 2400)
    .option('--contour <percent>', 'credible contour (repeatable; default 50 and 90)', percentList)
    .option('--no-annotate', 'leave out the event id, instruments and areas')
    .option('--radec <deg...>', 'mark a position: RA and Dec in degrees')
    .action(
      async (
        file: string,
        opts: {
          output: string;
          width: number;
          contour?: number[];
          annotate: boolean;
          radec?: string[];
        },
      ) => {
        const map = readSkyMapPath(file);
        const png = await plotSkyMap(map, {
          width: opts.width,
          contours: opts.contour ?? [50, 90],
          annotate: opts.annotate,
          marker: parseRadec(opts.radec),
        });
        writeFileAtomic(opts.output, png);
        process.stderr.write(`wrote ${opts.output}\n`);
      },
    );
}

function registerFlatten(group: Command): void {
  group
    .command('flatten')
    .description('resample a multi-order map onto one nside (probability conserved)')
    .argument('<fits>', 'sky map (multi-order or flat)')
    .requiredOption('-o, --output <fits>', 'output FITS file (gzipped when it ends in .gz)')
    .option(
      '--nside <n>',
      "output nside, a power of two up to 8192 (default: the map's finest)",
      number,
    )
    .option('--ring', 'write RING ordering instead of NESTED')
    .action((file: string, opts: { output: string; nside?: number; ring?: boolean }) => {
      const map = readSkyMapPath(file);
      let order: number;
      try {
        order = opts.nside === undefined ? maxOrder(map) : nsideToOrder(opts.nside);
      } catch (err) {
        throw new Error(`--nside: ${(err as Error).message}`);
      }
      const flat = reorder(flatten(map, order), !opts.ring);
      writeFileAtomic(opts.output, writeFlatSkyMap(flat, { gzip: opts.output.endsWith('.gz') }));
      process.stderr.write(
        `wrote ${opts.output} (nside ${flat.nside}, ${opts.ring ? 'RING' : 'NESTED'})\n`,
      );
    });
}

function registerUnflatten(group: Command): void {
  group
    .command('unflatten')
    .description('convert a flat map to multi-order, merging identical sibling pixels')
    .argument('<fits>', 'flat sky map (NESTED or RING, plain or gzipped)')
    .requiredOption('-o, --output <fits>', 'output multi-order FITS file')
    .action((file: string, opts: { output: string }) => {
      const stored = readSkyMapFilePath(file);
      const map = stored.kind === 'flat' ? unflatten(stored.map) : stored.map;
      writeFileAtomic(opts.output, writeSkyMap(map, { gzip: opts.output.endsWith('.gz') }));
      process.stderr.write(`wrote ${opts.output} (${map.uniq.length} pixels)\n`);
    });
}

function registerHeader(group: Command): void {
  group
    .command('header')
    .description('print the FITS headers of a file as text or HTML')
    .argument('<fits>', 'FITS file (plain or gzipped)')
    .option('--html', 'the HTML page gwcelery uploads beside each sky map')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action((file: string, opts: { html?: boolean; output?: string }) => {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw new FitsError(file, `cannot read: ${(err as Error).message}`);
      }
      const hdus = readFits(bytes, { source: file });
      const text = opts.html
        ? headersToHtml(hdus, basename(file))
        : headersToText(hdus, basename(file));
      if (opts.output) writeFileSync(opts.output, text);
      else process.stdout.write(opts.html ? `${text}\n` : text);
    });
}
