import { defineTableSchema } from './table-schema.js';

/** A program run that wrote rows of the document (a `process` row). */
export interface Process {
  process_id: number;
  /** Program name, e.g. `gstlal_inspiral`, `pycbc`, `MBTAOnline` (BAYESTAR reads it). */
  program: string | null;
  version: string | null;
  cvs_repository: string | null;
  /** GPS seconds. */
  cvs_entry_time: number | null;
  comment: string | null;
  is_online: number | null;
  /** Host name. */
  node: string | null;
  username: string | null;
  unix_procid: number | null;
  /** Start and end of the run, GPS seconds. */
  start_time: number | null;
  end_time: number | null;
  jobid: number | null;
  domain: string | null;
  /** Detectors analysed, comma-separated. */
  ifos: string | null;
}

export const PROCESS = defineTableSchema<Process>({
  name: 'process',
  columns: {
    process_id: 'int_8s',
    program: 'lstring',
    version: 'lstring',
    cvs_repository: 'lstring',
    cvs_entry_time: 'int_4s',
    comment: 'lstring',
    is_online: 'int_4s',
    node: 'lstring',
    username: 'lstring',
    unix_procid: 'int_4s',
    start_time: 'int_4s',
    end_time: 'int_4s',
    jobid: 'int_4s',
    domain: 'lstring',
    ifos: 'lstring',
  },
  required: ['process_id'],
});
