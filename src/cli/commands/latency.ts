import type { Command } from 'commander';
import { openAlertLedger } from '../../alerts/ledger/open-ledger.js';
import { closeGraceDbClients, gracedbFor } from '../../pipeline/gracedb.js';
import {
  collectWaterfall,
  recentSuperevents,
  type SupereventCategory,
} from '../../pipeline/latency/collect-waterfall.js';
import type { LatencyWaterfall } from '../../pipeline/latency/waterfall.js';
import { configFor } from '../command.js';
import { withLocalGraceDbToken } from '../local-gracedb.js';

interface LatencyFlags {
  data?: string;
  last: string;
  hours: string;
  category: string;
  superevent?: string;
  json?: boolean;
}

const CATEGORIES: Record<string, SupereventCategory[]> = {
  all: ['production', 'mdc', 'test'],
  production: ['production'],
  mdc: ['mdc'],
  test: ['test'],
};

function seconds(value: number | undefined): string {
  return value === undefined ? '' : `${value >= 0 ? '+' : ''}${value.toFixed(3)} s`;
}

function render(w: LatencyWaterfall): string {
  const head = [
    `${w.superevent}: t₀ ${new Date(w.t0Ms).toISOString()}`,
    w.firstAlertSinceUploadS !== undefined
      ? `, first alert ${w.firstAlertSinceUploadS.toFixed(1)} s after the first upload (${w.firstAlertS?.toFixed(1)} s after t₀)`
      : ', no alert delivered',
  ].join('');
  const rows = w.steps.map((s) => [
    seconds(s.sinceFirstUploadS),
    seconds(s.sinceT0S),
    new Date(s.at).toISOString().slice(11, 23),
    s.source,
    s.label,
  ]);
  const header = ['after upload', 'after t₀', 'UTC', 'from', 'stage'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : i < 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
      )
      .join('  ');
  return [head, `  ${line(header)}`, ...rows.map((r) => `  ${line(r)}`)].join('\n');
}

function positiveNumber(text: string, flag: string, integer: boolean): number {
  const n = Number(text);
  if (!(n > 0) || (integer && !Number.isInteger(n))) {
    throw new Error(`${flag} must be a positive ${integer ? 'whole ' : ''}number, got '${text}'`);
  }
  return n;
}

export function register(program: Command): void {
  program
    .command('latency')
    .description(
      'latency waterfalls of recent superevents: upload, superevent, annotations, locks, alert decision and each destination’s receipt, from GraceDB and the alert ledger',
    )
    .option('--last <n>', 'the n most recent superevents (by t₀)', '5')
    .option('--hours <h>', 'look this many hours back for them', '24')
    .option('--category <c>', 'production, mdc, test or all', 'all')
    .option('--superevent <id>', 'only this superevent')
    .option(
      '--data <dir>',
      'data directory of a `gwcelery start` on this machine (its GraceDB write token and alert ledger)',
    )
    .option('--json', 'print JSON')
    .action(async (flags: LatencyFlags, command: Command) => {
      const last = positiveNumber(flags.last, '--last', true);
      const hours = positiveNumber(flags.hours, '--hours', false);
      const categories = CATEGORIES[flags.category.toLowerCase()];
      if (!categories) {
        throw new Error(`--category must be production, mdc, test or all, got '${flags.category}'`);
      }
      const config = withLocalGraceDbToken(
        configFor(command, flags.data ? { data_dir: flags.data } : {}),
      );
      const gracedb = gracedbFor(config);
      const ledger = openAlertLedger(config);
      try {
        const superevents = flags.superevent
          ? [await gracedb.getSuperevent(flags.superevent)]
          : await recentSuperevents(gracedb, last, { categories, lookbackS: hours * 3600 });
        const waterfalls: LatencyWaterfall[] = [];
        for (const superevent of superevents) {
          waterfalls.push(await collectWaterfall(gracedb, ledger, superevent));
        }
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(waterfalls, null, 2)}\n`);
        } else if (waterfalls.length === 0) {
          process.stdout.write(
            `no ${flags.category === 'all' ? '' : `${flags.category} `}superevents in the last ${hours} h at ${gracedb.url}\n`,
          );
        } else {
          process.stdout.write(`${waterfalls.map(render).join('\n\n')}\n`);
        }
      } finally {
        await ledger.close();
        closeGraceDbClients();
      }
    });
}
