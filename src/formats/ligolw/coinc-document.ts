/**
 * Building a coinc.xml document from typed rows, in the layout gstlal uploads and the current
 * Python library reads: int_8s ids, foreign-key columns named after their owning table, the
 * tables in gstlal's order, then one REAL8FrequencySeries per PSD and one COMPLEX8TimeSeries
 * per SNR series.
 */
import { LigoLwContainer, LigoLwDocument, type LigoLwNode } from './document.js';
import { LigoLwError } from './errors.js';
import { type Psd, psdContainer } from './series/psd.js';
import { type SnrSeries, snrSeriesContainer } from './series/snr-series.js';
import { COINC_DEFINER, type CoincDefiner } from './tables/coinc-definer.js';
import { COINC_EVENT, type CoincEvent } from './tables/coinc-event.js';
import { COINC_EVENT_MAP, type CoincEventMap } from './tables/coinc-event-map.js';
import { COINC_INSPIRAL, type CoincInspiral } from './tables/coinc-inspiral.js';
import { PROCESS, type Process } from './tables/process.js';
import { PROCESS_PARAMS, type ProcessParams } from './tables/process-params.js';
import { SNGL_INSPIRAL, type SnglInspiral } from './tables/sngl-inspiral.js';
import { buildTable } from './tables/table-schema.js';
import { TIME_SLIDE, type TimeSlide } from './tables/time-slide.js';

export interface CoincDocumentInput {
  /** At least the process that made the coincidence. */
  processes: Partial<Process>[];
  processParams?: Partial<ProcessParams>[];
  snglInspirals: Partial<SnglInspiral>[];
  /** Default: the inspiral sngl↔sngl definer, with coincEvent.coinc_def_id (or 0). */
  coincDefiners?: Partial<CoincDefiner>[];
  coincEvent: Partial<CoincEvent>;
  /** Default: every sngl_inspiral row mapped to coincEvent. */
  coincEventMap?: Partial<CoincEventMap>[];
  timeSlides?: Partial<TimeSlide>[];
  coincInspiral: Partial<CoincInspiral>;
  psds?: Record<string, Psd> | readonly Psd[];
  snrSeries?: readonly SnrSeries[];
}

/** The standard definer of inspiral sngl↔sngl coincidences. */
export const INSPIRAL_COINC_DEFINER: Omit<CoincDefiner, 'coinc_def_id'> = {
  search: 'inspiral',
  search_coinc_type: 0,
  description: 'sngl_inspiral<-->sngl_inspiral coincidences',
};

export function coincDocument(input: CoincDocumentInput): LigoLwDocument {
  const coincEventId = input.coincEvent.coinc_event_id;
  if (coincEventId === undefined || coincEventId === null) {
    throw new LigoLwError('coinc document: coincEvent has no coinc_event_id');
  }
  if (input.processes.length === 0) throw new LigoLwError('coinc document: no process row');
  if (input.snglInspirals.length === 0)
    throw new LigoLwError('coinc document: no sngl_inspiral row');

  const eventIds = new Set(input.snglInspirals.map((s) => s.event_id));
  for (const series of input.snrSeries ?? []) {
    if (!eventIds.has(series.eventId)) {
      throw new LigoLwError(
        `coinc document: SNR series event_id ${series.eventId} matches no sngl_inspiral row`,
      );
    }
  }

  const definers = input.coincDefiners ?? [
    { coinc_def_id: input.coincEvent.coinc_def_id ?? 0, ...INSPIRAL_COINC_DEFINER },
  ];
  const map =
    input.coincEventMap ??
    input.snglInspirals.map((s) => ({
      coinc_event_id: coincEventId,
      event_id: s.event_id,
      table_name: 'sngl_inspiral',
    }));

  const children: LigoLwNode[] = [buildTable(PROCESS, input.processes)];
  if (input.processParams?.length) children.push(buildTable(PROCESS_PARAMS, input.processParams));
  children.push(
    buildTable(SNGL_INSPIRAL, input.snglInspirals),
    buildTable(COINC_DEFINER, definers),
    buildTable(COINC_EVENT, [input.coincEvent]),
    buildTable(COINC_EVENT_MAP, map),
  );
  if (input.timeSlides?.length) children.push(buildTable(TIME_SLIDE, input.timeSlides));
  children.push(buildTable(COINC_INSPIRAL, [input.coincInspiral]));

  const psds = input.psds
    ? Array.isArray(input.psds)
      ? input.psds
      : Object.values(input.psds)
    : [];
  for (const psd of psds) children.push(psdContainer(psd));
  for (const series of input.snrSeries ?? []) children.push(snrSeriesContainer(series));

  return new LigoLwDocument(new LigoLwContainer(null, children));
}
