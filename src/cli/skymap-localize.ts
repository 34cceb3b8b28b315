import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { bayestarFits } from '../skymap/bayestar/fits-output.js';
import { coincEventFromLigoLw } from '../skymap/bayestar/ligolw-event.js';
import type { LocalizationEngine } from '../skymap/bayestar/localization-engine.js';
import { localize } from '../skymap/bayestar/localize.js';
import { WorkerPool } from '../skymap/bayestar/worker-pool.js';
import { writeFileAtomic } from '../skymap/io.js';

/**
 * `gwcelery skymap localize`: BAYESTAR from the terminal. src/cli/commands/skymap.ts adds it to
 * the skymap command group with the configured defaults.
 */

export interface LocalizeDefaults {
  /** 0: one thread per available CPU. */
  readonly threads: number;
  readonly fLow: number;
  readonly rescale: number;
  readonly disabledDetectors: readonly string[];
}

export const BUILT_IN_DEFAULTS: LocalizeDefaults = {
  threads: 0,
  fLow: 15,
  rescale: 0.83,
  disabledDetectors: [],
};

interface LocalizeCliOptions {
  output: string;
  psd?: string;
  disableDetector?: string[];
  threads?: number;
  fLow?: number;
  minDistance?: number;
  maxDistance?: number;
  priorDistancePower?: number;
  rescale?: number;
  snrSeries: boolean;
  objectId?: string;
  url?: string;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a positive number, got ${value}`);
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number ≥ 0, got ${value}`);
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected an integer ≥ 0, got ${value}`);
  return n;
}

function detectorList(value: string, previous: string[] | undefined): string[] {
  const names = value.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!/^[A-Z][0-9]$/.test(name))
      throw new InvalidArgumentError(`not a detector prefix: ${name}`);
  }
  return [...(previous ?? []), ...names];
}

export function addLocalizeCommand(
  group: Command,
  defaults: (command: Command) => Partial<LocalizeDefaults> = () => ({}),
): Command {
  return group
    .command('localize')
    .description('BAYESTAR rapid sky localization of a coinc.xml into a multi-order FITS sky map')
    .argument('<coinc>', 'coinc.xml from a search pipeline (plain or gzipped)')
    .option('-o, --output <fits>', 'sky map to write', 'bayestar.multiorder.fits')
    .option('--psd <file>', 'psd.xml(.gz) for coincs without embedded PSDs')
    .option(
      '--disable-detector <ifo>',
      'ignore this detector (repeatable, or comma-separated)',
      detectorList,
    )
    .option(
      '-j, --threads <n>',
      'worker threads (0: one per CPU; default from configuration)',
      nonNegativeInteger,
    )
    .option('--f-low <hz>', 'template low-frequency cutoff (default 15)', positiveNumber)
    .option('--min-distance <mpc>', 'distance prior lower bound (default 0)', nonNegativeNumber)
    .option(
      '--max-distance <mpc>',
      'distance prior upper bound (default: SNR-4 horizon)',
      positiveNumber,
    )
    .option('--prior-distance-power <k>', 'distance prior ∝ r^k (default 2)', nonNegativeInteger)
    .option(
      '--rescale <s>',
      'SNR prescale of the likelihood (default 0.83; 1 for ideal simulations)',
      positiveNumber,
    )
    .option('--no-snr-series', "ignore the pipeline's SNR series and synthesize zero-noise ones")
    .option('--object-id <id>', 'OBJECT card (GraceDB id)')
    .option('--url <url>', 'REFERENC card (event URL)')
    .action(async (coincPath: string, opts: LocalizeCliOptions, command: Command) => {
      const configured = { ...BUILT_IN_DEFAULTS, ...defaults(command) };
      const coinc = coincEventFromLigoLw(readFileSync(coincPath), {
        fileName: coincPath,
        psd: opts.psd ? readFileSync(opts.psd) : undefined,
        psdFileName: opts.psd,
        id: opts.objectId,
      });
      const requested = opts.threads ?? configured.threads;
      const threads = requested === 0 ? availableParallelism() : requested;
      const engine: LocalizationEngine | undefined =
        threads > 1 ? await WorkerPool.start(threads) : undefined;
      try {
        const map = await localize(coinc, {
          engine,
          fLow: opts.fLow ?? configured.fLow,
          rescale: opts.rescale ?? configured.rescale,
          disabledDetectors: opts.disableDetector ?? configured.disabledDetectors,
          minDistance: opts.minDistance,
          maxDistance: opts.maxDistance,
          distancePower: opts.priorDistancePower,
          enableSnrSeries: opts.snrSeries,
        });
        writeFileAtomic(
          opts.output,
          bayestarFits(map, {
            url: opts.url,
            commandLine: ['gwcelery', ...process.argv.slice(2)].join(' '),
          }),
        );
        const m = map.meta;
        process.stdout.write(
          `${basename(opts.output)}: ${[...m.instruments].sort().join(',')} in ${m.runtime.toFixed(2)} s ` +
            `on ${threads} thread${threads === 1 ? '' : 's'}; distance ${m.distMean.toFixed(1)} ± ${m.distStd.toFixed(1)} Mpc; ` +
            `log BSN ${m.logBsn.toFixed(2)}, log BCI ${m.logBci.toFixed(2)}\n`,
        );
      } finally {
        await engine?.close();
      }
    });
}
