import { defineTableSchema } from './table-schema.js';

/** A coincidence (a `coinc_event` row); its member triggers are listed in coinc_event_map. */
export interface CoincEvent {
  coinc_event_id: number;
  /** The coinc_definer row saying what kind of coincidence this is. */
  coinc_def_id: number | null;
  /** Detectors that were observing, comma-separated. */
  instruments: string | null;
  /** The pipeline's ranking statistic (GraceDB's `likelihood`); may be ±inf. */
  likelihood: number | null;
  /** Number of triggers in the coincidence. */
  nevents: number | null;
  process_id: number | null;
  /** The time_slide row whose offsets apply to the triggers (zero-lag for real events). */
  time_slide_id: number | null;
}

export const COINC_EVENT = defineTableSchema<CoincEvent>({
  name: 'coinc_event',
  columns: {
    coinc_event_id: 'int_8s',
    coinc_def_id: 'int_8s',
    instruments: 'lstring',
    likelihood: 'real_8',
    nevents: 'int_4u',
    process_id: 'int_8s',
    time_slide_id: 'int_8s',
  },
  required: ['coinc_event_id'],
});
