/**
 * Power spectral densities per detector, as pipelines send them: one REAL8FrequencySeries per
 * detector carrying a `Param instrument`, either embedded in coinc.xml or alone in psd.xml.gz
 * (whose root LIGO_LW is named `psd`).
 */
import { LigoLwContainer, LigoLwDocument, LigoLwParam } from '../document.js';
import { LigoLwError } from '../errors.js';
import { type ReadOptions, readLigoLw } from '../read.js';
import {
  FREQUENCY_SERIES_NAME,
  frequencySeriesContainer,
  frequencySeriesFrom,
  type Real8FrequencySeries,
} from './frequency-series.js';

/** One detector's noise PSD, strain²/Hz, sampled at f0 + k·deltaF. */
export interface Psd extends Real8FrequencySeries {
  /** Detector prefix, e.g. `H1`. */
  instrument: string;
}

/** Every PSD in the document, keyed by instrument; series without an instrument are skipped. */
export function psdsFromDocument(document: LigoLwDocument): Record<string, Psd> {
  const psds: Record<string, Psd> = {};
  for (const container of document.containers(FREQUENCY_SERIES_NAME)) {
    const instrument = container.param('instrument');
    if (!instrument) continue;
    if (typeof instrument.value !== 'string' || instrument.value.length === 0) {
      throw new LigoLwError('a REAL8FrequencySeries has an empty instrument Param', {
        file: document.source,
      });
    }
    const name = instrument.value;
    if (psds[name]) {
      throw new LigoLwError(`two PSDs for instrument ${name}`, { file: document.source });
    }
    try {
      psds[name] = { ...frequencySeriesFrom(container), instrument: name };
    } catch (error) {
      throw new LigoLwError(`PSD for ${name}: REAL8FrequencySeries ${(error as Error).message}`, {
        file: document.source,
      });
    }
  }
  return psds;
}

/** Read a psd.xml(.gz), or any document with PSDs; an error if it holds none. */
export function readPsds(
  input: Uint8Array | string,
  options: ReadOptions = {},
): Record<string, Psd> {
  const document = readLigoLw(input, options);
  const psds = psdsFromDocument(document);
  if (Object.keys(psds).length === 0) {
    throw new LigoLwError('no PSD found (no REAL8FrequencySeries with an instrument Param)', {
      file: options.fileName,
    });
  }
  return psds;
}

/** The container for one PSD, instrument Param last as LAL writes it. */
export function psdContainer(psd: Psd): LigoLwContainer {
  return frequencySeriesContainer(psd, [new LigoLwParam('instrument', 'lstring', psd.instrument)]);
}

/** A psd.xml document: root LIGO_LW named `psd` holding one series per detector. */
export function psdDocument(psds: Record<string, Psd> | readonly Psd[]): LigoLwDocument {
  const list = Array.isArray(psds) ? psds : Object.values(psds);
  return new LigoLwDocument(new LigoLwContainer('psd', list.map(psdContainer)));
}
