import { defineTableSchema } from './table-schema.js';

/** One detector's time offset within a time slide (a `time_slide` row). */
export interface TimeSlide {
  time_slide_id: number;
  /** Detector prefix, e.g. `H1`. */
  instrument: string;
  /** Offset added to the detector's trigger times, s (0 for real, zero-lag events). */
  offset: number;
  process_id: number | null;
}

export const TIME_SLIDE = defineTableSchema<TimeSlide>({
  name: 'time_slide',
  columns: {
    time_slide_id: 'int_8s',
    instrument: 'lstring',
    offset: 'real_8',
    process_id: 'int_8s',
  },
  required: ['time_slide_id', 'instrument', 'offset'],
});
