import { defineTableSchema } from './table-schema.js';

/** One command-line option of a process (a `process_params` row). */
export interface ProcessParams {
  process_id: number;
  program: string | null;
  /** Option name, e.g. `--psd-fft-length`. */
  param: string;
  /** LIGO_LW type name of the value, e.g. `lstring`, `int_8s`; null for a flag. */
  type: string | null;
  /** The value as text; null for a flag. */
  value: string | null;
}

export const PROCESS_PARAMS = defineTableSchema<ProcessParams>({
  name: 'process_params',
  columns: {
    process_id: 'int_8s',
    program: 'lstring',
    param: 'lstring',
    type: 'lstring',
    value: 'lstring',
  },
  required: ['process_id', 'param'],
});
