import { defineTableSchema } from './table-schema.js';

/** A kind of coincidence (a `coinc_definer` row). */
export interface CoincDefiner {
  coinc_def_id: number;
  /** Search name, e.g. `inspiral`. */
  search: string | null;
  /** Search-specific kind number (0: sngl_inspiral↔sngl_inspiral for inspiral searches). */
  search_coinc_type: number | null;
  /** Human-readable description. */
  description: string | null;
}

export const COINC_DEFINER = defineTableSchema<CoincDefiner>({
  name: 'coinc_definer',
  columns: {
    coinc_def_id: 'int_8s',
    search: 'lstring',
    search_coinc_type: 'int_4u',
    description: 'lstring',
  },
  required: ['coinc_def_id'],
});
