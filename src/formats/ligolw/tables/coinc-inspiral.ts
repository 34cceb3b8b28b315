import { defineTableSchema } from './table-schema.js';

/** The network-level summary of a compact-binary coincidence (a `coinc_inspiral` row). */
export interface CoincInspiral {
  /** The coinc_event this row summarizes. */
  coinc_event_id: number;
  /** False-alarm rate the pipeline reports for the event, Hz (GraceDB's `far`). */
  combined_far: number | null;
  /** Coincidence time, whole GPS seconds. */
  end_time: number;
  /** Nanoseconds part of the coincidence time. */
  end_time_ns: number;
  /** False-alarm rate before trials/combination, Hz. */
  false_alarm_rate: number | null;
  /** Participating detectors, comma-separated as written (e.g. `H1,L1`). */
  ifos: string | null;
  /** Total mass, M☉ (detector frame). */
  mass: number | null;
  /** Chirp mass, M☉ (detector frame). */
  mchirp: number | null;
  /** Shortest template duration among the detectors, s. */
  minimum_duration: number | null;
  /** Network signal-to-noise ratio. */
  snr: number | null;
}

export const COINC_INSPIRAL = defineTableSchema<CoincInspiral>({
  name: 'coinc_inspiral',
  columns: {
    coinc_event_id: 'int_8s',
    combined_far: 'real_8',
    end_time: 'int_4s',
    end_time_ns: 'int_4s',
    false_alarm_rate: 'real_8',
    ifos: 'lstring',
    mass: 'real_8',
    mchirp: 'real_8',
    minimum_duration: 'real_8',
    snr: 'real_8',
  },
  required: ['coinc_event_id', 'end_time', 'end_time_ns'],
});
