/**
 * The two classification figures the reference uploads next to the JSON files: p_astro
 * (2.5 × 2 in, bars sorted by probability, largest on top) and em_bright (3 × 1 in, properties
 * in reverse alphabetical order from the bottom, grey remainder to 1).
 */

import { parseProbabilityJson } from '../probability-json.js';
import { formatProbability } from './format-probability.js';
import { type BarChart, drawHorizontalBarChart } from './horizontal-bar-chart.js';

export interface PlotOptions {
  dpi?: number;
}

export function plotPAstro(
  values: Readonly<Record<string, number>>,
  options: PlotOptions = {},
): BarChart {
  // Python's sorted() over (probability, name) pairs: ties broken by name.
  const bars = Object.entries(values)
    .sort(([ka, va], [kb, vb]) => va - vb || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([label, value]) => ({ label, value, text: formatProbability(value) }));
  return drawHorizontalBarChart(bars, { widthIn: 2.5, heightIn: 2, dpi: options.dpi });
}

export function plotEmBright(
  values: Readonly<Record<string, number>>,
  options: PlotOptions = {},
): BarChart {
  const bars = Object.entries(values)
    .sort(([ka], [kb]) => (ka < kb ? 1 : ka > kb ? -1 : 0))
    .map(([label, value]) => ({ label, value, text: formatProbability(value) }));
  return drawHorizontalBarChart(bars, {
    widthIn: 3,
    heightIn: 1,
    dpi: options.dpi,
    remainder: true,
  });
}

/** p_astro files the reference plots when they are uploaded to a superevent. */
export const PLOTTED_P_ASTRO_FILES = [
  'cwb',
  'gstlal',
  'mbta',
  'pycbc',
  'spiir',
  'RapidPE_RIFT',
].map((p) => `${p}.p_astro.json`);

/**
 * The figure for a file just uploaded to a superevent, following the reference's handlers:
 * `em_bright.json` → `em_bright.png`, `<pipeline>.p_astro.json` → `<pipeline>.p_astro.png`;
 * any other file name → null. Malformed contents raise a ScienceInputError naming the file.
 */
export function classificationPlotForUpload(
  filename: string,
  contents: string | Uint8Array,
  options: PlotOptions = {},
): { filename: string; png: Buffer } | null {
  if (filename === 'em_bright.json') {
    const values = parseProbabilityJson(contents, filename);
    return { filename: 'em_bright.png', png: plotEmBright(values, options).png };
  }
  if (PLOTTED_P_ASTRO_FILES.includes(filename)) {
    const values = parseProbabilityJson(contents, filename);
    return { filename: filename.replace(/\.json$/, '.png'), png: plotPAstro(values, options).png };
  }
  return null;
}
