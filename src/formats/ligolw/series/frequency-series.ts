/**
 * LAL's REAL8FrequencySeries as LIGO_LW writes it: a `<LIGO_LW Name="REAL8FrequencySeries">`
 * holding a `Time epoch`, a `Param f0`, and an Array whose first Dim (Name "Frequency", Scale =
 * Δf) counts the bins and whose second Dim ("Frequency,Real", 2) pairs each frequency with its
 * value; extra Params (e.g. `instrument`) may follow.
 */
import {
  LigoLwArray,
  LigoLwContainer,
  type LigoLwNode,
  LigoLwParam,
  LigoLwTime,
} from '../document.js';
import type { GpsTime } from '../gps-time.js';
import { typeCategory } from '../types.js';

export const FREQUENCY_SERIES_NAME = 'REAL8FrequencySeries';

export interface Real8FrequencySeries {
  /** Array name, e.g. `PSD`. */
  name: string;
  /** GPS time the series refers to. */
  epoch: GpsTime;
  /** Frequency of the first bin, Hz. */
  f0: number;
  /** Bin spacing, Hz. */
  deltaF: number;
  /** Unit of the values as written, e.g. `s strain^2` (a PSD in strain²/Hz). */
  sampleUnits: string | null;
  /** One value per bin; bin k is at f0 + k·deltaF. */
  data: Float64Array;
}

/** Problems are thrown as plain Errors; callers add the file and container. */
export function frequencySeriesFrom(container: LigoLwContainer): Real8FrequencySeries {
  const epoch = container.time('epoch');
  if (!epoch) throw new Error('has no Time named epoch');
  const f0 = container.param('f0');
  if (!f0 || typeof f0.value !== 'number') throw new Error('has no numeric Param f0');
  const arrays = container.arrays();
  if (arrays.length !== 1) throw new Error(`holds ${arrays.length} Arrays, expected 1`);
  const array = arrays[0]!;
  if (typeCategory(array.type) !== 'float') {
    throw new Error(`Array ${array.name} has type ${array.type}, expected real_8 or real_4`);
  }
  const first = array.dims[0]!;
  if (first.scale === null || !(first.scale > 0)) {
    throw new Error(`Array ${array.name} has no positive Dim Scale (the bin spacing)`);
  }
  let data: Float64Array;
  if (array.dims.length === 1) {
    data = array.data.slice();
  } else if (array.dims.length === 2 && array.dims[1]!.n === 2) {
    // Text order: frequency, value, frequency, value, ...
    data = new Float64Array(first.n);
    for (let k = 0; k < first.n; k++) data[k] = array.data[2 * k + 1]!;
  } else {
    throw new Error(
      `Array ${array.name} has Dims ${array.dims.map((d) => d.n).join('×')}; expected N or N×2`,
    );
  }
  return {
    name: array.name,
    epoch: epoch.gps(),
    f0: f0.value,
    deltaF: first.scale,
    sampleUnits: array.unit,
    data,
  };
}

/** The container for a series; `extra` nodes (e.g. an instrument Param) go last. */
export function frequencySeriesContainer(
  series: Real8FrequencySeries,
  extra: LigoLwNode[] = [],
): LigoLwContainer {
  const n = series.data.length;
  const interleaved = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    interleaved[2 * k] = series.f0 + k * series.deltaF;
    interleaved[2 * k + 1] = series.data[k]!;
  }
  const array = new LigoLwArray(
    series.name,
    'real_8',
    [
      { name: 'Frequency', n, start: series.f0, scale: series.deltaF, unit: 's^-1' },
      { name: 'Frequency,Real', n: 2, start: null, scale: null, unit: null },
    ],
    interleaved,
    series.sampleUnits,
  );
  return new LigoLwContainer(FREQUENCY_SERIES_NAME, [
    LigoLwTime.fromGps('epoch', series.epoch),
    new LigoLwParam('f0', 'real_8', series.f0, 's^-1'),
    array,
    ...extra,
  ]);
}
