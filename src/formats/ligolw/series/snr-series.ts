/**
 * Matched-filter SNR time series attached to single-detector triggers: one COMPLEX8TimeSeries
 * per sngl_inspiral row, linked by a `Param event_id` (int_8s, or an old ilwd:char id).
 */
import { type LigoLwDocument, LigoLwParam } from '../document.js';
import { LigoLwError } from '../errors.js';
import { idValue } from '../tables/table-schema.js';
import {
  COMPLEX_TIME_SERIES_NAME,
  type Complex8TimeSeries,
  timeSeriesContainer,
  timeSeriesFrom,
} from './time-series.js';

export interface SnrSeries extends Complex8TimeSeries {
  /** The sngl_inspiral.event_id of the trigger this series belongs to. */
  eventId: number;
}

/** Every COMPLEX8TimeSeries with an event_id Param, in document order. */
export function snrSeriesFromDocument(document: LigoLwDocument): SnrSeries[] {
  const found: SnrSeries[] = [];
  for (const container of document.containers(COMPLEX_TIME_SERIES_NAME)) {
    const param = container.param('event_id');
    if (!param) continue;
    const eventId = idValue(param.value);
    if (eventId === null) {
      throw new LigoLwError(
        `COMPLEX8TimeSeries event_id '${String(param.value)}' is not a row id`,
        {
          file: document.source,
        },
      );
    }
    try {
      found.push({ ...timeSeriesFrom(container), eventId });
    } catch (error) {
      throw new LigoLwError(
        `SNR series for event_id ${eventId}: COMPLEX8TimeSeries ${(error as Error).message}`,
        { file: document.source },
      );
    }
  }
  return found;
}

/** The container for one SNR series, event_id Param last as gstlal writes it. */
export function snrSeriesContainer(series: SnrSeries) {
  return timeSeriesContainer(series, [new LigoLwParam('event_id', 'int_8s', series.eventId)]);
}
