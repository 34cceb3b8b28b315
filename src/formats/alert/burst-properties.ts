import type { GraceDbEvent } from './source.js';
import { AlertFormatError } from './types.js';

export interface BurstProperties {
  duration: number | null;
  central_frequency: number | null;
}

function attributes(event: GraceDbEvent, table: string): Record<string, unknown> {
  const value = event.extra_attributes?.[table];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function optionalNumber(value: unknown, field: string, event: GraceDbEvent): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AlertFormatError(
      `event ${event.graceid}: ${field} must be a number, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Duration (s) and central frequency (Hz) of a Burst candidate, per pipeline: cWB and MLy report
 * both; oLIB reports a quality factor Q and a mean frequency f, and a sine-Gaussian of quality Q
 * lasts Q / (2π f). Any other Burst pipeline is an error: an alert without these numbers would
 * be wrong rather than merely incomplete.
 */
export function burstProperties(event: GraceDbEvent): BurstProperties {
  switch (event.pipeline) {
    case 'CWB': {
      const multi = attributes(event, 'MultiBurst');
      return {
        duration: optionalNumber(multi.duration, 'MultiBurst.duration', event),
        central_frequency: optionalNumber(multi.central_freq, 'MultiBurst.central_freq', event),
      };
    }
    case 'MLy': {
      const mly = attributes(event, 'MLyBurst');
      return {
        duration: optionalNumber(mly.duration, 'MLyBurst.duration', event),
        central_frequency: optionalNumber(mly.central_freq, 'MLyBurst.central_freq', event),
      };
    }
    case 'oLIB': {
      const olib = attributes(event, 'LalInferenceBurst');
      const quality = optionalNumber(olib.quality_mean, 'LalInferenceBurst.quality_mean', event);
      const frequency = optionalNumber(
        olib.frequency_mean,
        'LalInferenceBurst.frequency_mean',
        event,
      );
      if (quality === null || frequency === null || frequency === 0) {
        throw new AlertFormatError(
          `event ${event.graceid}: oLIB duration needs LalInferenceBurst.quality_mean and a non-zero frequency_mean`,
        );
      }
      return { duration: quality / (2 * Math.PI * frequency), central_frequency: frequency };
    }
    default:
      throw new AlertFormatError(
        `event ${event.graceid}: duration and central_frequency are not defined for Burst pipeline '${event.pipeline}'`,
      );
  }
}
