import { LigoLwError, readLigoLw } from '../../formats/ligolw/index.js';
import { roundGps } from '../gps-time.js';
import { emptyParsedEvent, type ParsedEvent, PayloadError } from './parsed-event.js';

/** Columns that identify rows inside the document and mean nothing in GraceDB. */
const ID_COLUMNS = new Set(['process_id', 'simulation_id']);

/**
 * A HardwareInjection upload (§4.2): a LIGO_LW document whose first sim_inspiral row describes
 * the injected signal; its columns become the `SimInspiral` attributes.
 */
export function eventFromSimInspiral(data: Uint8Array, filename: string): ParsedEvent {
  let row: Record<string, unknown> | undefined;
  try {
    row = readLigoLw(data, { fileName: filename }).findTable('sim_inspiral')?.records()[0];
  } catch (err) {
    if (err instanceof LigoLwError)
      throw new PayloadError(err.line ? `line ${err.line}: ${err.problem}` : err.problem);
    throw err;
  }
  if (!row) throw new PayloadError('no sim_inspiral row');
  const seconds = row.geocent_end_time;
  if (typeof seconds !== 'number') throw new PayloadError('sim_inspiral.geocent_end_time: missing');
  const ns = typeof row.geocent_end_time_ns === 'number' ? row.geocent_end_time_ns : 0;
  const attributes: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (ID_COLUMNS.has(column)) continue;
    // JSON carries numbers, strings and nulls; blobs and complex values stay in the file.
    if (
      value === null ||
      typeof value === 'string' ||
      (typeof value === 'number' && Number.isFinite(value))
    ) {
      attributes[column] = value;
    } else if (typeof value === 'number') attributes[column] = null;
  }
  return {
    ...emptyParsedEvent(),
    gpstime: roundGps(seconds + Math.round(ns / 1000) / 1e6),
    attributes: { SimInspiral: attributes },
  };
}
