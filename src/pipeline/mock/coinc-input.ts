import type { Coinc, CoincDocumentInput } from '../../formats/ligolw/index.js';

/** The rows of an upload read back, ready to be changed and written again. */
export function coincInputFrom(coinc: Coinc): CoincDocumentInput {
  return {
    processes: coinc.processes,
    processParams: coinc.processParams,
    snglInspirals: coinc.snglInspirals,
    coincDefiners: coinc.coincDefiners,
    coincEvent: coinc.coincEvent,
    coincEventMap: coinc.coincEventMap,
    timeSlides: coinc.timeSlides,
    coincInspiral: coinc.coincInspiral,
    psds: coinc.psds,
    snrSeries: coinc.snrSeries,
  };
}
