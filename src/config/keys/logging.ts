import { z } from 'zod';
import { defineKeys } from '../define.js';

/** Keys of logging and error telemetry. */
export const loggingKeys = defineKeys({
  log_level: {
    schema: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
    default: 'info',
    description: 'Lowest level written to the log',
    presets: { test: 'warn' },
  },
  log_format: {
    schema: z.enum(['auto', 'json', 'pretty']),
    default: 'auto',
    description:
      "Log line format: 'json' (pino JSON lines), 'pretty', or 'auto' (pretty on a terminal)",
  },
});
