import { LigoLwError, readLigoLw } from '../../formats/ligolw/index.js';
import { roundGps } from '../gps-time.js';
import {
  emptyParsedEvent,
  formatExponent,
  type ParsedEvent,
  PayloadError,
} from './parsed-event.js';

/**
 * The coinc.xml → event mapping of CBC pipelines (§4.1): the first coinc_inspiral row, the first
 * coinc_event row and every sngl_inspiral row. src/formats/ligolw reads the document; this
 * module decides what GraceDB keeps of its tables.
 */

/** One table row keyed by bare column name (`snr`, not `coinc_inspiral:snr`). */
export type TableRow = Record<string, unknown>;

export interface CoincTables {
  /** Undefined when the document has no such table. */
  coinc_inspiral?: TableRow[];
  coinc_event?: TableRow[];
  sngl_inspiral?: TableRow[];
}

/** SingleInspiral keys in GraceDB's order; a column the file lacks is null, never 0. */
export const SINGLE_INSPIRAL_COLUMNS = [
  'ifo',
  'search',
  'channel',
  'end_time',
  'end_time_ns',
  'end_time_gmst',
  'impulse_time',
  'impulse_time_ns',
  'template_duration',
  'event_duration',
  'amplitude',
  'eff_distance',
  'coa_phase',
  'mass1',
  'mass2',
  'mchirp',
  'mtotal',
  'eta',
  'kappa',
  'chi',
  'tau0',
  'tau2',
  'tau3',
  'tau4',
  'tau5',
  'ttotal',
  'psi0',
  'psi3',
  'alpha',
  'alpha1',
  'alpha2',
  'alpha3',
  'alpha4',
  'alpha5',
  'alpha6',
  'beta',
  'f_final',
  'snr',
  'chisq',
  'chisq_dof',
  'bank_chisq',
  'bank_chisq_dof',
  'cont_chisq',
  'cont_chisq_dof',
  'sigmasq',
  'rsqveto_duration',
  'Gamma0',
  'Gamma1',
  'Gamma2',
  'Gamma3',
  'Gamma4',
  'Gamma5',
  'Gamma6',
  'Gamma7',
  'Gamma8',
  'Gamma9',
  'spin1x',
  'spin1y',
  'spin1z',
  'spin2x',
  'spin2y',
  'spin2z',
] as const;

/** Reads the three tables GraceDB uses; a document the LIGO_LW reader rejects is a PayloadError. */
export function eventFromCoinc(
  data: Uint8Array,
  context: { pipeline: string; search: string | null; filename?: string },
): ParsedEvent {
  let tables: CoincTables;
  try {
    const doc = readLigoLw(data, { fileName: context.filename });
    tables = {
      coinc_inspiral: doc.findTable('coinc_inspiral')?.records(),
      coinc_event: doc.findTable('coinc_event')?.records(),
      sngl_inspiral: doc.findTable('sngl_inspiral')?.records(),
    };
  } catch (err) {
    if (err instanceof LigoLwError) {
      throw new PayloadError(err.line ? `line ${err.line}: ${err.problem}` : err.problem);
    }
    throw err;
  }
  return eventFromCoincTables(tables, context, data);
}

function value(row: TableRow, column: string): unknown {
  const v = row[column];
  return v === undefined ? null : v;
}

function finiteOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function numberOrNull(v: unknown, table: string, column: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number') {
    throw new PayloadError(`${table}.${column}: expected a number, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** The mapping itself, on tables already read. `original` becomes the derived coinc.xml. */
export function eventFromCoincTables(
  tables: CoincTables,
  context: { pipeline: string; search: string | null },
  original: Uint8Array,
): ParsedEvent {
  const parsed = emptyParsedEvent();
  const coinc = tables.coinc_inspiral?.[0];
  const coincEvent = tables.coinc_event?.[0];
  if (!coinc) parsed.warnings.push('Could not extract coinc inspiral table.');
  if (!coincEvent) parsed.warnings.push('Could not extract coinc event table.');

  if (coincEvent) {
    const nevents = numberOrNull(value(coincEvent, 'nevents'), 'coinc_event', 'nevents');
    parsed.nevents = nevents === null ? null : Math.trunc(nevents);
    const likelihood = numberOrNull(value(coincEvent, 'likelihood'), 'coinc_event', 'likelihood');
    // GraceDB's column cannot hold ±infinity and stores the largest value it can instead.
    parsed.likelihood =
      likelihood === null || Number.isNaN(likelihood)
        ? null
        : Number.isFinite(likelihood)
          ? likelihood
          : Math.sign(likelihood) * Number.MAX_VALUE;
  }

  if (coinc && coincEvent) {
    const endTime = numberOrNull(value(coinc, 'end_time'), 'coinc_inspiral', 'end_time');
    const endTimeNs =
      numberOrNull(value(coinc, 'end_time_ns'), 'coinc_inspiral', 'end_time_ns') ?? 0;
    const far = numberOrNull(value(coinc, 'combined_far'), 'coinc_inspiral', 'combined_far');
    const ifos = value(coinc, 'ifos');
    parsed.gpstime =
      endTime === null ? null : roundGps(endTime + Math.round(endTimeNs / 1000) / 1e6);
    parsed.far = far;
    parsed.instruments = typeof ifos === 'string' ? ifos : '';
    parsed.attributes.CoincInspiral = {
      ifos: typeof ifos === 'string' ? ifos : '',
      end_time: endTime,
      end_time_ns: endTimeNs,
      mass: numberOrNull(value(coinc, 'mass'), 'coinc_inspiral', 'mass'),
      mchirp: numberOrNull(value(coinc, 'mchirp'), 'coinc_inspiral', 'mchirp'),
      minimum_duration: numberOrNull(
        value(coinc, 'minimum_duration'),
        'coinc_inspiral',
        'minimum_duration',
      ),
      snr: finiteOrNull(numberOrNull(value(coinc, 'snr'), 'coinc_inspiral', 'snr')),
      false_alarm_rate: numberOrNull(
        value(coinc, 'false_alarm_rate'),
        'coinc_inspiral',
        'false_alarm_rate',
      ),
      combined_far: far,
    };
  }

  const singles = tables.sngl_inspiral ?? [];
  if (singles.length) {
    parsed.attributes.SingleInspiral = singles.map((row) => {
      const out: Record<string, unknown> = {};
      for (const column of SINGLE_INSPIRAL_COLUMNS) {
        let v = value(row, column);
        if (typeof v === 'number' && Number.isNaN(v)) v = null;
        out[column] = v;
      }
      return out;
    });
  }

  parsed.derivedFiles.push(
    {
      name: 'event.log',
      data: new TextEncoder().encode(eventLogText(parsed, context)),
      comment: 'Log File Created',
    },
    { name: 'coinc.xml', data: original, comment: 'Coinc Table Created' },
  );
  return parsed;
}

/** GraceDB's short text summary of a CBC event (§4.1), `---` for what is missing. */
function eventLogText(
  parsed: ParsedEvent,
  context: { pipeline: string; search: string | null },
): string {
  const coinc = parsed.attributes.CoincInspiral as
    | Record<string, number | string | null>
    | undefined;
  const fixed = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : '---');
  const endTime =
    coinc && typeof coinc.end_time === 'number'
      ? `${coinc.end_time}.${String(coinc.end_time_ns ?? 0).padStart(9, '0')}`
      : '---';
  return [
    `Pipeline: ${context.pipeline}`,
    `Search: ${context.search ?? '---'}`,
    `MChirp: ${fixed(coinc?.mchirp)}`,
    `MTot: ${fixed(coinc?.mass)}`,
    `End Time: ${endTime}`,
    `SNR: ${fixed(coinc?.snr)}`,
    `IFOs: ${coinc?.ifos || '---'}`,
    `FAR: ${parsed.far === null ? '---' : formatExponent(parsed.far)}`,
    '',
  ].join('\n');
}
