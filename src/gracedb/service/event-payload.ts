import { eventFromMly, eventFromOlib } from './event-from-burst-json.js';
import { eventFromCoinc } from './event-from-coinc.js';
import { eventFromCwb } from './event-from-cwb.js';
import { eventFromGrbVoevent } from './event-from-grb-voevent.js';
import { eventFromSimInspiral } from './event-from-sim-inspiral.js';
import { emptyParsedEvent, type ParsedEvent, PayloadError } from './parsed-event.js';

export const CBC_PIPELINES = new Set(['gstlal', 'pycbc', 'spiir', 'MBTA', 'MBTAOnline']);
export const GRB_PIPELINES = new Set([
  'Fermi',
  'Swift',
  'INTEGRAL',
  'AGILE',
  'SNEWS',
  'SVOM',
  'EinsteinProbe',
  'CHIME',
]);

/**
 * Parses an event file the way GraceDB does for the event's pipeline (§4.1, §4.2). Pipelines
 * GraceDB does not parse keep the file and get empty attributes. Throws PayloadError, naming the
 * file, when the file cannot be read.
 */
export function parseEventPayload(
  pipeline: string,
  search: string | null,
  filename: string,
  data: Uint8Array,
): ParsedEvent {
  try {
    if (CBC_PIPELINES.has(pipeline)) return eventFromCoinc(data, { pipeline, search, filename });
    if (pipeline === 'CWB' || pipeline === 'CWB2G') return eventFromCwb(data);
    if (pipeline === 'oLIB') return eventFromOlib(data);
    if (pipeline === 'MLy') return eventFromMly(data);
    if (GRB_PIPELINES.has(pipeline)) return eventFromGrbVoevent(data);
    if (pipeline === 'HardwareInjection') return eventFromSimInspiral(data, filename);
  } catch (err) {
    if (err instanceof PayloadError) {
      throw new PayloadError(
        `Could not read data from '${filename}' (${pipeline}): ${err.message}`,
      );
    }
    throw err;
  }
  return emptyParsedEvent();
}
