/**
 * LIGO Light-Weight XML: read and write documents, typed views of the coincidence tables,
 * PSDs and SNR series. Pure: no network, queue or pipeline imports. See docs/ligolw.md.
 */

export {
  type Coinc,
  type Coincidence,
  type CoincTables,
  coincidencesFromTables,
  coincTablesFromDocument,
  type LinkedSnrSeries,
  readCoinc,
  readCoincidences,
} from './coinc.js';
export {
  type CoincDocumentInput,
  coincDocument,
  INSPIRAL_COINC_DEFINER,
} from './coinc-document.js';
export {
  type ArrayEncoding,
  LigoLwArray,
  type LigoLwColumn,
  LigoLwComment,
  LigoLwContainer,
  type LigoLwDim,
  LigoLwDocument,
  type LigoLwNode,
  LigoLwParam,
  LigoLwTable,
  LigoLwTime,
  type TimeType,
} from './document.js';
export { LigoLwError } from './errors.js';
export {
  formatGpsTime,
  type GpsTime,
  gpsFromColumns,
  gpsToSeconds,
  normalizeGps,
  parseGpsTime,
} from './gps-time.js';
export { columnXmlName, parseIlwd } from './names.js';
export { decodeLigoLwText, isGzip, type ReadOptions, readLigoLw } from './read.js';
export {
  FREQUENCY_SERIES_NAME,
  frequencySeriesContainer,
  frequencySeriesFrom,
  type Real8FrequencySeries,
} from './series/frequency-series.js';
export { type Psd, psdContainer, psdDocument, psdsFromDocument, readPsds } from './series/psd.js';
export { type SnrSeries, snrSeriesContainer, snrSeriesFromDocument } from './series/snr-series.js';
export {
  COMPLEX_TIME_SERIES_NAME,
  type Complex8TimeSeries,
  timeSeriesContainer,
  timeSeriesFrom,
} from './series/time-series.js';
export { COINC_DEFINER, type CoincDefiner } from './tables/coinc-definer.js';
export { COINC_EVENT, type CoincEvent } from './tables/coinc-event.js';
export { COINC_EVENT_MAP, type CoincEventMap } from './tables/coinc-event-map.js';
export { COINC_INSPIRAL, type CoincInspiral } from './tables/coinc-inspiral.js';
export { PROCESS, type Process } from './tables/process.js';
export { PROCESS_PARAMS, type ProcessParams } from './tables/process-params.js';
export { SNGL_INSPIRAL, type SnglInspiral } from './tables/sngl-inspiral.js';
export {
  buildTable,
  defineTableSchema,
  idValue,
  readRows,
  readTable,
  type TableSchema,
} from './tables/table-schema.js';
export { TIME_SLIDE, type TimeSlide } from './tables/time-slide.js';
export {
  type CellValue,
  type Complex,
  isLigoLwType,
  type LigoLwType,
  type NumericType,
} from './types.js';
export { formatLigoLw, type WriteOptions, writeLigoLw, writeLigoLwFile } from './write.js';
