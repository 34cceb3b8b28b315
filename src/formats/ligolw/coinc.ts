/**
 * Compact-binary coincidence documents (coinc.xml): the typed tables, the PSDs and the SNR
 * series of a pipeline upload, and the grouping of a many-coincidence file (such as the
 * first-two-years mock data) into one record per coincidence.
 */
import type { LigoLwDocument } from './document.js';
import { LigoLwError } from './errors.js';
import { type ReadOptions, readLigoLw } from './read.js';
import { type Psd, psdsFromDocument } from './series/psd.js';
import { type SnrSeries, snrSeriesFromDocument } from './series/snr-series.js';
import { COINC_DEFINER, type CoincDefiner } from './tables/coinc-definer.js';
import { COINC_EVENT, type CoincEvent } from './tables/coinc-event.js';
import { COINC_EVENT_MAP, type CoincEventMap } from './tables/coinc-event-map.js';
import { COINC_INSPIRAL, type CoincInspiral } from './tables/coinc-inspiral.js';
import { PROCESS, type Process } from './tables/process.js';
import { PROCESS_PARAMS, type ProcessParams } from './tables/process-params.js';
import { SNGL_INSPIRAL, type SnglInspiral } from './tables/sngl-inspiral.js';
import { readTable } from './tables/table-schema.js';
import { TIME_SLIDE, type TimeSlide } from './tables/time-slide.js';

/** An SNR series with the detector of the sngl_inspiral row it belongs to. */
export interface LinkedSnrSeries extends SnrSeries {
  ifo: string;
}

/** Every coincidence-related table of a document, typed. Optional tables read as []. */
export interface CoincTables {
  processes: Process[];
  processParams: ProcessParams[];
  snglInspirals: SnglInspiral[];
  coincDefiners: CoincDefiner[];
  coincEvents: CoincEvent[];
  coincEventMap: CoincEventMap[];
  timeSlides: TimeSlide[];
  coincInspirals: CoincInspiral[];
}

/** One pipeline upload, as GraceDB and BAYESTAR read it. */
export interface Coinc {
  /** The first coinc_inspiral row: GraceDB's gpstime, far, instruments, CoincInspiral. */
  coincInspiral: CoincInspiral;
  /** The coinc_event row coincInspiral refers to: GraceDB's nevents and likelihood. */
  coincEvent: CoincEvent;
  /** Every sngl_inspiral row in file order (GraceDB's SingleInspiral). */
  snglInspirals: SnglInspiral[];
  coincEventMap: CoincEventMap[];
  coincDefiners: CoincDefiner[];
  /** The process that made the coincidence (coinc_event.process_id), null if not in the file. */
  process: Process | null;
  processes: Process[];
  processParams: ProcessParams[];
  timeSlides: TimeSlide[];
  /**
   * Time-slide offset per instrument of coincEvent's time slide, s, to add to the trigger
   * times ({} when the file has no such time slide; zero for real, zero-lag events).
   */
  offsets: Record<string, number>;
  /** PSDs embedded in the document, by instrument (empty when there are none). */
  psds: Record<string, Psd>;
  /** SNR series, each linked to its sngl_inspiral row's detector. */
  snrSeries: LinkedSnrSeries[];
  /** The whole document, for anything the views do not cover. */
  document: LigoLwDocument;
}

/** One coincidence of a many-coincidence document. */
export interface Coincidence {
  coincEvent: CoincEvent;
  coincInspiral: CoincInspiral;
  /** Its sngl_inspiral rows, in coinc_event_map order. */
  snglInspirals: SnglInspiral[];
  /** Time-slide offset per instrument, s ({} when the coincidence has no time slide). */
  offsets: Record<string, number>;
  process: Process | null;
}

function asDocument(
  input: Uint8Array | string | LigoLwDocument,
  options: ReadOptions,
): LigoLwDocument {
  return typeof input === 'string' || input instanceof Uint8Array
    ? readLigoLw(input, options)
    : input;
}

/** The typed tables of a document; sngl_inspiral, coinc_event and coinc_inspiral are required. */
export function coincTablesFromDocument(document: LigoLwDocument): CoincTables {
  return {
    processes: readTable(document, PROCESS, { optional: true }),
    processParams: readTable(document, PROCESS_PARAMS, { optional: true }),
    snglInspirals: readTable(document, SNGL_INSPIRAL),
    coincDefiners: readTable(document, COINC_DEFINER, { optional: true }),
    coincEvents: readTable(document, COINC_EVENT),
    coincEventMap: readTable(document, COINC_EVENT_MAP, { optional: true }),
    timeSlides: readTable(document, TIME_SLIDE, { optional: true }),
    coincInspirals: readTable(document, COINC_INSPIRAL),
  };
}

/**
 * Read a pipeline upload (plain or gzipped coinc.xml, or a document already read). The first
 * coinc_inspiral row is the event, as in GraceDB; every sngl_inspiral row is a trigger of it.
 */
export function readCoinc(
  input: Uint8Array | string | LigoLwDocument,
  options: ReadOptions = {},
): Coinc {
  const document = asDocument(input, options);
  const file = document.source ?? options.fileName;
  const tables = coincTablesFromDocument(document);
  const coincInspiral = tables.coincInspirals[0];
  if (!coincInspiral) throw new LigoLwError('table coinc_inspiral has no rows', { file });
  const coincEvent = tables.coincEvents.find(
    (e) => e.coinc_event_id === coincInspiral.coinc_event_id,
  );
  if (!coincEvent) {
    throw new LigoLwError(
      `coinc_inspiral refers to coinc_event_id ${coincInspiral.coinc_event_id}, which is not in table coinc_event`,
      { file },
    );
  }
  if (tables.snglInspirals.length === 0)
    throw new LigoLwError('table sngl_inspiral has no rows', { file });

  const ifoByEventId = new Map(tables.snglInspirals.map((s) => [s.event_id, s.ifo]));
  const snrSeries = snrSeriesFromDocument(document).map((series) => {
    const ifo = ifoByEventId.get(series.eventId);
    if (ifo === undefined) {
      throw new LigoLwError(`SNR series event_id ${series.eventId} matches no sngl_inspiral row`, {
        file,
      });
    }
    return { ...series, ifo };
  });

  return {
    coincInspiral,
    coincEvent,
    snglInspirals: tables.snglInspirals,
    coincEventMap: tables.coincEventMap,
    coincDefiners: tables.coincDefiners,
    process: tables.processes.find((p) => p.process_id === coincEvent.process_id) ?? null,
    processes: tables.processes,
    processParams: tables.processParams,
    timeSlides: tables.timeSlides,
    offsets: slideOffsets(tables.timeSlides, coincEvent.time_slide_id),
    psds: psdsFromDocument(document),
    snrSeries,
    document,
  };
}

function slideOffsets(timeSlides: TimeSlide[], timeSlideId: number | null): Record<string, number> {
  const offsets: Record<string, number> = {};
  if (timeSlideId === null) return offsets;
  for (const slide of timeSlides) {
    if (slide.time_slide_id === timeSlideId) offsets[slide.instrument] = slide.offset;
  }
  return offsets;
}

/**
 * Group a document's coincidences: every coinc_event that has a coinc_inspiral row, with its
 * sngl_inspiral rows (through coinc_event_map), time-slide offsets and process.
 */
export function coincidencesFromTables(tables: CoincTables, file?: string): Coincidence[] {
  const events = new Map(tables.coincEvents.map((e) => [e.coinc_event_id, e]));
  const sngls = new Map(tables.snglInspirals.map((s) => [s.event_id, s]));
  const processes = new Map(tables.processes.map((p) => [p.process_id, p]));
  const members = new Map<number, SnglInspiral[]>();
  for (const link of tables.coincEventMap) {
    if (link.table_name !== 'sngl_inspiral') continue;
    const sngl = sngls.get(link.event_id);
    if (!sngl) {
      throw new LigoLwError(
        `coinc_event_map links coinc_event_id ${link.coinc_event_id} to sngl_inspiral ` +
          `event_id ${link.event_id}, which is not in table sngl_inspiral`,
        { file },
      );
    }
    const list = members.get(link.coinc_event_id);
    if (list) list.push(sngl);
    else members.set(link.coinc_event_id, [sngl]);
  }
  const offsets = new Map<number, Record<string, number>>();
  for (const slide of tables.timeSlides) {
    const entry = offsets.get(slide.time_slide_id) ?? {};
    entry[slide.instrument] = slide.offset;
    offsets.set(slide.time_slide_id, entry);
  }
  return tables.coincInspirals.map((coincInspiral) => {
    const coincEvent = events.get(coincInspiral.coinc_event_id);
    if (!coincEvent) {
      throw new LigoLwError(
        `coinc_inspiral refers to coinc_event_id ${coincInspiral.coinc_event_id}, which is not in table coinc_event`,
        { file },
      );
    }
    return {
      coincEvent,
      coincInspiral,
      snglInspirals: members.get(coincEvent.coinc_event_id) ?? [],
      offsets:
        coincEvent.time_slide_id === null
          ? {}
          : { ...(offsets.get(coincEvent.time_slide_id) ?? {}) },
      process:
        coincEvent.process_id === null ? null : (processes.get(coincEvent.process_id) ?? null),
    };
  });
}

/** Read a many-coincidence document: its tables, PSDs and one record per coincidence. */
export function readCoincidences(
  input: Uint8Array | string | LigoLwDocument,
  options: ReadOptions = {},
): {
  tables: CoincTables;
  coincidences: Coincidence[];
  psds: Record<string, Psd>;
  document: LigoLwDocument;
} {
  const document = asDocument(input, options);
  const tables = coincTablesFromDocument(document);
  return {
    tables,
    coincidences: coincidencesFromTables(tables, document.source ?? options.fileName),
    psds: psdsFromDocument(document),
    document,
  };
}
