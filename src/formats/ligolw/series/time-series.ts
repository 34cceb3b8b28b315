/**
 * LAL's COMPLEX8TimeSeries as LIGO_LW writes it: a `<LIGO_LW Name="COMPLEX8TimeSeries">`
 * holding a `Time epoch` (first sample), a `Param f0`, and an Array whose first Dim (Name
 * "Time", Scale = Δt) counts the samples and whose second Dim ("Time,Real,Imaginary", 3) gives
 * each sample's time offset, real and imaginary part. A single-Dim complex_8/complex_16 Array
 * is read too. Extra Params (e.g. `event_id`) may follow.
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

export const COMPLEX_TIME_SERIES_NAME = 'COMPLEX8TimeSeries';

export interface Complex8TimeSeries {
  /** Array name, e.g. `snr`. */
  name: string;
  /** GPS time of the first sample. */
  epoch: GpsTime;
  /** Heterodyne frequency, Hz (0 for SNR series). */
  f0: number;
  /** Sample spacing, s. */
  deltaT: number;
  /** Unit of the samples as written (empty for an SNR). */
  sampleUnits: string | null;
  /** Real parts; sample k is at epoch + k·deltaT. */
  real: Float64Array;
  /** Imaginary parts. */
  imag: Float64Array;
}

/** Problems are thrown as plain Errors; callers add the file and container. */
export function timeSeriesFrom(container: LigoLwContainer): Complex8TimeSeries {
  const epoch = container.time('epoch');
  if (!epoch) throw new Error('has no Time named epoch');
  const f0Param = container.param('f0');
  if (f0Param && typeof f0Param.value !== 'number') throw new Error('Param f0 is not a number');
  const arrays = container.arrays();
  if (arrays.length !== 1) throw new Error(`holds ${arrays.length} Arrays, expected 1`);
  const array = arrays[0]!;
  const first = array.dims[0]!;
  if (first.scale === null || !(first.scale > 0)) {
    throw new Error(`Array ${array.name} has no positive Dim Scale (the sample spacing)`);
  }
  const n = first.n;
  const real = new Float64Array(n);
  const imag = new Float64Array(n);
  const category = typeCategory(array.type);
  if (array.dims.length === 1 && category === 'complex') {
    for (let k = 0; k < n; k++) {
      real[k] = array.data[2 * k]!;
      imag[k] = array.data[2 * k + 1]!;
    }
  } else if (array.dims.length === 2 && array.dims[1]!.n === 3 && category === 'float') {
    // Text order: time, real, imaginary for each sample.
    for (let k = 0; k < n; k++) {
      real[k] = array.data[3 * k + 1]!;
      imag[k] = array.data[3 * k + 2]!;
    }
  } else {
    throw new Error(
      `Array ${array.name} (${array.type}, Dims ${array.dims.map((d) => d.n).join('×')}) is ` +
        'neither N×3 real (time, real, imaginary) nor N complex',
    );
  }
  return {
    name: array.name,
    epoch: epoch.gps(),
    f0: (f0Param?.value as number | undefined) ?? 0,
    deltaT: first.scale,
    sampleUnits: array.unit,
    real,
    imag,
  };
}

/** The container for a series; `extra` nodes (e.g. an event_id Param) go last. */
export function timeSeriesContainer(
  series: Complex8TimeSeries,
  extra: LigoLwNode[] = [],
): LigoLwContainer {
  const n = series.real.length;
  if (series.imag.length !== n) {
    throw new Error(
      `series ${series.name}: ${n} real parts but ${series.imag.length} imaginary parts`,
    );
  }
  const data = new Float64Array(3 * n);
  for (let k = 0; k < n; k++) {
    data[3 * k] = k * series.deltaT;
    data[3 * k + 1] = series.real[k]!;
    data[3 * k + 2] = series.imag[k]!;
  }
  const array = new LigoLwArray(
    series.name,
    'real_8',
    [
      { name: 'Time', n, start: 0, scale: series.deltaT, unit: 's' },
      { name: 'Time,Real,Imaginary', n: 3, start: null, scale: null, unit: null },
    ],
    data,
    series.sampleUnits,
  );
  return new LigoLwContainer(COMPLEX_TIME_SERIES_NAME, [
    LigoLwTime.fromGps('epoch', series.epoch),
    new LigoLwParam('f0', 'real_8', series.f0, 's^-1'),
    array,
    ...extra,
  ]);
}
