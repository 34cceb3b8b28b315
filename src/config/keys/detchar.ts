import { z } from 'zod';
import { defineKeys } from '../define.js';

const padding = z.tuple([z.number().nonnegative(), z.number().nonnegative()]);
const symmetric = (s: number): [number, number] => [s, s];

/** Keys of the data-quality checks the alert workflow runs (gwcelery-spec §6.2). */
export const detcharKeys = defineKeys({
  check_vector_prepost: {
    schema: z.record(z.string(), padding),
    default: {
      gstlal: symmetric(2),
      spiir: symmetric(2),
      pycbc: symmetric(2),
      MBTA: symmetric(2),
      oLIB: symmetric(1.5),
      LIB: symmetric(1.5),
      CWB: symmetric(1.5),
      HardwareInjection: symmetric(2),
      Swift: symmetric(2),
      Fermi: symmetric(2),
      INTEGRAL: symmetric(2),
      MLy: symmetric(1.5),
      SNEWS: symmetric(10),
    },
    description:
      'Seconds [before, after] the window of a candidate that the state-vector check also looks at, by pipeline',
  },
});
