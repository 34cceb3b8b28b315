import { z } from 'zod';
import { defineKeys } from '../define.js';

const positive = z.number().positive();

/** Keys of the alert workflow (gwcelery-spec §4, §9.1). */
export const orchestratorKeys = defineKeys({
  superevent_clean_up_timeout: {
    schema: positive,
    default: 270,
    description:
      'Seconds after the first preliminary (or less-significant) alert before the superevent is cleaned up and the second one is sent',
    presets: { test: 2 },
  },
  early_warning_dqr_request_delay_s: {
    schema: positive,
    default: 600,
    description:
      'Seconds after an early-warning alert before DQR_REQUEST asks for a data-quality report',
    presets: { test: 2 },
  },
  only_alert_for_mdc: {
    schema: z.boolean(),
    default: false,
    description:
      'Send alerts only for MDC (mock) superevents: files are still copied and annotated for the others',
  },
  skymap_flatten_max_nside: {
    schema: z
      .number()
      .int()
      .nonnegative()
      .refine((n) => n === 0 || (n & (n - 1)) === 0, 'must be 0 or a power of two'),
    default: 0,
    description:
      "Largest nside of the flattened <name>.fits.gz uploaded beside each multi-order sky map (0: the map's finest, as the reference does)",
    // One process on a laptop cannot afford a 1.6 GB flat map per event.
    presets: { test: 64, development: 1024 },
  },
  external_skymap_download_retry_s: {
    schema: positive,
    default: 30,
    description:
      'First delay before downloading an external sky map again after a 404 or a network error (doubles, at most 8 retries)',
    presets: { test: 0.05 },
  },
  external_skymap_download_timeout_s: {
    schema: positive,
    default: 60,
    description: 'Seconds one download of an external sky map from a URL may take',
    presets: { test: 5 },
  },
});
