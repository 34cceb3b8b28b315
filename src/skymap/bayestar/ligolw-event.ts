import {
  type Coinc,
  type GpsTime,
  type Psd,
  readCoinc,
  readPsds,
  type SnglInspiral,
} from '../../formats/ligolw/index.js';
import type { CoincEvent, DetectorTrigger } from './coinc-event.js';

/**
 * A pipeline upload (coinc.xml, optionally with a separate psd.xml.gz) as the CoincEvent
 * BAYESTAR localizes: one trigger per sngl_inspiral row, with its PSD and SNR series.
 */

export interface CoincFromLigoLwOptions {
  /** Name of the coinc file, for error messages. */
  readonly fileName?: string;
  /** A psd.xml(.gz) document, for uploads whose PSDs are not embedded. */
  readonly psd?: Uint8Array | string;
  readonly psdFileName?: string;
  /** Event identifier (GraceDB id) for messages and the FITS OBJECT card. */
  readonly id?: string;
}

export function coincEventFromLigoLw(
  coincXml: Uint8Array | string,
  options: CoincFromLigoLwOptions = {},
): CoincEvent {
  const coinc = readCoinc(coincXml, { fileName: options.fileName });
  const external =
    options.psd !== undefined ? readPsds(options.psd, { fileName: options.psdFileName }) : {};
  return coincEventFromCoinc(coinc, external, options);
}

/** The same from a document already read (GraceDB's service reads uploads once). */
export function coincEventFromCoinc(
  coinc: Coinc,
  externalPsds: Record<string, Psd> = {},
  options: Pick<CoincFromLigoLwOptions, 'fileName' | 'id'> = {},
): CoincEvent {
  const file = options.fileName ?? coinc.document.source ?? 'coinc.xml';
  const rows = coinc.snglInspirals;
  const first = rows[0];
  const program = coinc.process?.program ?? programOfRow(coinc, first);
  if (!program) {
    throw new Error(
      `${file}: no process.program for the coincidence: the phase convention is unknown`,
    );
  }
  for (const field of [
    'mass1',
    'mass2',
    'f_final',
    'spin1x',
    'spin1y',
    'spin1z',
    'spin2x',
    'spin2y',
    'spin2z',
  ] as const) {
    for (const row of rows) {
      if (row[field] !== first[field]) {
        throw new Error(
          `${file}: sngl_inspiral ${field} differs between ${first.ifo} (${first[field]}) and ${row.ifo} (${row[field]}); BAYESTAR needs one template`,
        );
      }
    }
  }
  if (first.mass1 === null || first.mass2 === null) {
    throw new Error(`${file}: sngl_inspiral for ${first.ifo} has no mass1/mass2`);
  }
  const triggers = rows.map((row): DetectorTrigger => {
    const what = `${file}: sngl_inspiral ${row.ifo} (event_id ${row.event_id})`;
    const psd = coinc.psds[row.ifo] ?? externalPsds[row.ifo];
    if (!psd) throw new Error(`${what}: no PSD for ${row.ifo} in the coinc or the PSD file`);
    if (row.coa_phase === null) throw new Error(`${what}: coa_phase is missing`);
    const offsetNs = BigInt(Math.round((coinc.offsets[row.ifo] ?? 0) * 1e9));
    const series = coinc.snrSeries.filter((s) => s.eventId === row.event_id);
    if (series.length > 1) throw new Error(`${what}: ${series.length} SNR series for one trigger`);
    const snr = series[0];
    return {
      detector: row.ifo,
      timeNs: BigInt(row.end_time) * 1_000_000_000n + BigInt(row.end_time_ns) + offsetNs,
      snr: row.snr,
      phase: row.coa_phase,
      psd: { f0: psd.f0, deltaF: psd.deltaF, values: psd.data },
      sigmasq: row.sigmasq ?? undefined,
      snrSeries: snr
        ? { epochNs: gpsToNs(snr.epoch) + offsetNs, deltaT: snr.deltaT, re: snr.real, im: snr.imag }
        : undefined,
    };
  });
  return {
    id: options.id,
    program,
    template: { mass1: first.mass1, mass2: first.mass2, fFinal: first.f_final ?? undefined },
    triggers,
  };
}

function programOfRow(coinc: Coinc, row: SnglInspiral): string | null {
  return coinc.processes.find((p) => p.process_id === row.process_id)?.program ?? null;
}

function gpsToNs(time: GpsTime): bigint {
  return BigInt(time.gpsSeconds) * 1_000_000_000n + BigInt(time.gpsNanoSeconds);
}
