import { defineTableSchema } from './table-schema.js';

/** Membership of one row of another table in a coincidence (a `coinc_event_map` row). */
export interface CoincEventMap {
  coinc_event_id: number;
  /** Id of the member row in table_name. */
  event_id: number;
  /** Table the member row lives in: `sngl_inspiral`, `sim_inspiral`, `coinc_event`. */
  table_name: string;
}

export const COINC_EVENT_MAP = defineTableSchema<CoincEventMap>({
  name: 'coinc_event_map',
  columns: {
    coinc_event_id: 'int_8s',
    event_id: 'int_8s',
    table_name: 'char_v',
  },
  required: ['coinc_event_id', 'event_id', 'table_name'],
});
