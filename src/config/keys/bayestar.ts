import { z } from 'zod';
import { defineKeys } from '../define.js';

/**
 * Keys of BAYESTAR rapid localization (src/skymap/bayestar). The library takes its options as
 * arguments; these keys are what the pipeline task and `gwcelery skymap localize` pass it.
 */
export const bayestarKeys = defineKeys({
  bayestar_threads: {
    schema: z.number().int().nonnegative(),
    default: 0,
    description:
      'Worker threads for one localization (0: one per available CPU); the pipeline task never localizes on the event loop',
    presets: { test: 1 },
  },
  bayestar_f_low: {
    schema: z.number().positive(),
    default: 15,
    description:
      'Low-frequency cutoff (Hz) of the template used for horizons and synthesized SNR series',
  },
  bayestar_rescale_loglikelihood: {
    schema: z.number().positive(),
    default: 0.83,
    description:
      'SNR prescale: the log likelihood is tempered by its square to widen maps for real-data mismatch',
  },
  bayestar_disabled_detectors: {
    schema: z.array(z.string().regex(/^[A-Z][0-9]$/)),
    default: [],
    description:
      'Detectors whose triggers BAYESTAR ignores, e.g. ["V1"] while Virgo data are suspect',
  },
});
