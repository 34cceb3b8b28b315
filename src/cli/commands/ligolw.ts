import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  gpsFromColumns,
  type LigoLwDocument,
  psdsFromDocument,
  readCoinc,
  readLigoLw,
  snrSeriesFromDocument,
} from '../../formats/ligolw/index.js';

/**
 * `gwcelery ligolw show FILE`: what a LIGO_LW file (plain or gzipped) holds, and for a coinc
 * upload the values GraceDB and BAYESTAR read from it. A file the reader rejects exits non-zero
 * with the reader's message, so the command doubles as a validator for a suspect upload.
 */
export function register(program: Command): void {
  const group = program
    .command('ligolw')
    .description('inspect LIGO_LW XML files (coinc.xml, psd.xml.gz)');
  group
    .command('show')
    .description('summarize a LIGO_LW file: tables, series and, for a coinc upload, the event')
    .argument('<file>', 'LIGO_LW XML file, plain or gzip-compressed')
    .option('--json', 'print the summary as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const document = readLigoLw(readFileSync(file), { fileName: basename(file) });
      const summary = summarize(document);
      process.stdout.write(
        opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary),
      );
    });
}

interface Summary {
  tables: { name: string; rows: number; columns: number }[];
  psds: { instrument: string; bins: number; deltaF: number; f0: number }[];
  snrSeries: { eventId: number; samples: number; deltaT: number }[];
  coinc: {
    gpstime: string;
    far: number | null;
    instruments: string | null;
    snr: number | null;
    mchirp: number | null;
    likelihood: number | null;
    program: string | null;
    triggers: { ifo: string; time: string; snr: number; chisq: number | null; eventId: number }[];
  } | null;
}

function gpsText(seconds: number, nanoseconds: number): string {
  const time = gpsFromColumns(seconds, nanoseconds);
  return `${time.gpsSeconds}.${String(time.gpsNanoSeconds).padStart(9, '0')}`;
}

function summarize(document: LigoLwDocument): Summary {
  const isCoinc = ['sngl_inspiral', 'coinc_event', 'coinc_inspiral'].every((t) =>
    document.findTable(t),
  );
  const coinc = isCoinc ? readCoinc(document) : null;
  return {
    tables: document
      .tables()
      .map((t) => ({ name: t.name, rows: t.rows.length, columns: t.columns.length })),
    psds: Object.values(psdsFromDocument(document)).map((p) => ({
      instrument: p.instrument,
      bins: p.data.length,
      deltaF: p.deltaF,
      f0: p.f0,
    })),
    snrSeries: snrSeriesFromDocument(document).map((s) => ({
      eventId: s.eventId,
      samples: s.real.length,
      deltaT: s.deltaT,
    })),
    coinc: coinc && {
      gpstime: gpsText(coinc.coincInspiral.end_time, coinc.coincInspiral.end_time_ns),
      far: coinc.coincInspiral.combined_far,
      instruments: coinc.coincInspiral.ifos,
      snr: coinc.coincInspiral.snr,
      mchirp: coinc.coincInspiral.mchirp,
      likelihood: coinc.coincEvent.likelihood,
      program: coinc.process?.program ?? null,
      triggers: coinc.snglInspirals.map((s) => ({
        ifo: s.ifo,
        time: gpsText(s.end_time, s.end_time_ns),
        snr: s.snr,
        chisq: s.chisq,
        eventId: s.event_id,
      })),
    },
  };
}

function formatSummary(summary: Summary): string {
  const lines: string[] = [];
  lines.push(summary.tables.length > 0 ? 'tables:' : 'tables: none');
  for (const t of summary.tables)
    lines.push(`  ${t.name.padEnd(18)} ${t.rows} rows × ${t.columns} columns`);
  if (summary.psds.length > 0) {
    lines.push('PSDs:');
    for (const p of summary.psds) {
      lines.push(`  ${p.instrument}  ${p.bins} bins, Δf = ${p.deltaF} Hz from ${p.f0} Hz`);
    }
  }
  if (summary.snrSeries.length > 0) {
    lines.push('SNR series:');
    for (const s of summary.snrSeries) {
      lines.push(`  event_id ${s.eventId}  ${s.samples} samples, Δt = ${s.deltaT} s`);
    }
  }
  const c = summary.coinc;
  if (c) {
    lines.push('coincidence:');
    lines.push(`  gpstime     ${c.gpstime}`);
    lines.push(`  far         ${c.far ?? '---'} Hz`);
    lines.push(`  instruments ${c.instruments ?? '---'}`);
    lines.push(`  snr         ${c.snr ?? '---'}`);
    lines.push(`  mchirp      ${c.mchirp ?? '---'} Msun`);
    lines.push(`  likelihood  ${c.likelihood ?? '---'}`);
    lines.push(`  program     ${c.program ?? '---'}`);
    for (const t of c.triggers) {
      lines.push(
        `  ${t.ifo}  end ${t.time}  snr ${t.snr}  chisq ${t.chisq ?? '---'}  event_id ${t.eventId}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
