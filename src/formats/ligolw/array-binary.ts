/**
 * Base64-encoded Array streams (`Encoding="base64,LittleEndian"`).
 *
 * The binary block is the array in the opposite index order to the text form: the first Dim
 * varies fastest (a COMPLEX8TimeSeries holds all times, then all real parts, then all imaginary
 * parts), while text streams list the last Dim fastest (one `time real imag` triple per line).
 * LigoLwArray.data is always in text order, so reading and writing transpose.
 */
import type { NumericType } from './types.js';

interface BinaryLayout {
  bytes: number;
  read: (view: DataView, offset: number, littleEndian: boolean) => number;
  write: (view: DataView, offset: number, value: number, littleEndian: boolean) => void;
}

function bigRead(signed: boolean) {
  return (view: DataView, offset: number, littleEndian: boolean): number => {
    const value = signed
      ? view.getBigInt64(offset, littleEndian)
      : view.getBigUint64(offset, littleEndian);
    const number = Number(value);
    if (!Number.isSafeInteger(number)) throw new Error(`64-bit value ${value} is beyond ±2^53`);
    return number;
  };
}

/** Layout of one scalar (for complex types: of one of the two parts). */
const LAYOUT: Record<NumericType, BinaryLayout> = {
  int_2s: {
    bytes: 2,
    read: (v, o, le) => v.getInt16(o, le),
    write: (v, o, x, le) => v.setInt16(o, x, le),
  },
  int_2u: {
    bytes: 2,
    read: (v, o, le) => v.getUint16(o, le),
    write: (v, o, x, le) => v.setUint16(o, x, le),
  },
  int_4s: {
    bytes: 4,
    read: (v, o, le) => v.getInt32(o, le),
    write: (v, o, x, le) => v.setInt32(o, x, le),
  },
  int: {
    bytes: 4,
    read: (v, o, le) => v.getInt32(o, le),
    write: (v, o, x, le) => v.setInt32(o, x, le),
  },
  int_4u: {
    bytes: 4,
    read: (v, o, le) => v.getUint32(o, le),
    write: (v, o, x, le) => v.setUint32(o, x, le),
  },
  int_8s: {
    bytes: 8,
    read: bigRead(true),
    write: (v, o, x, le) => v.setBigInt64(o, BigInt(x), le),
  },
  int_8u: {
    bytes: 8,
    read: bigRead(false),
    write: (v, o, x, le) => v.setBigUint64(o, BigInt(x), le),
  },
  real_4: {
    bytes: 4,
    read: (v, o, le) => v.getFloat32(o, le),
    write: (v, o, x, le) => v.setFloat32(o, x, le),
  },
  float: {
    bytes: 4,
    read: (v, o, le) => v.getFloat32(o, le),
    write: (v, o, x, le) => v.setFloat32(o, x, le),
  },
  real_8: {
    bytes: 8,
    read: (v, o, le) => v.getFloat64(o, le),
    write: (v, o, x, le) => v.setFloat64(o, x, le),
  },
  double: {
    bytes: 8,
    read: (v, o, le) => v.getFloat64(o, le),
    write: (v, o, x, le) => v.setFloat64(o, x, le),
  },
  complex_8: {
    bytes: 4,
    read: (v, o, le) => v.getFloat32(o, le),
    write: (v, o, x, le) => v.setFloat32(o, x, le),
  },
  complex_16: {
    bytes: 8,
    read: (v, o, le) => v.getFloat64(o, le),
    write: (v, o, x, le) => v.setFloat64(o, x, le),
  },
};

/**
 * Map between text order (last dim fastest) and binary order (first dim fastest): returns, for
 * each text-order element index, its binary-order element index.
 */
function binaryIndexOfTextIndex(shape: readonly number[]): Uint32Array | undefined {
  if (shape.length < 2) return undefined;
  let size = 1;
  for (const n of shape) size *= n;
  const map = new Uint32Array(size);
  // Binary strides: the first dim has stride 1.
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let k = 0; k < shape.length; k++) {
    strides[k] = stride;
    stride *= shape[k]!;
  }
  const index = new Array<number>(shape.length).fill(0);
  let binary = 0;
  for (let t = 0; t < size; t++) {
    map[t] = binary;
    // Advance the text-order counter: the last dim is the fastest.
    for (let k = shape.length - 1; k >= 0; k--) {
      index[k]!++;
      binary += strides[k]!;
      if (index[k]! < shape[k]!) break;
      binary -= strides[k]! * shape[k]!;
      index[k] = 0;
    }
  }
  return map;
}

export function elementBytes(type: NumericType): number {
  const layout = LAYOUT[type];
  return type.startsWith('complex') ? 2 * layout.bytes : layout.bytes;
}

/** Decode base64 text into values in text order; throws a plain Error on a size mismatch. */
export function decodeBinaryArray(
  base64: string,
  type: NumericType,
  shape: readonly number[],
  littleEndian: boolean,
): Float64Array {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new Error('Stream is not valid base64');
  }
  const bytes = Buffer.from(compact, 'base64');
  let size = 1;
  for (const n of shape) size *= n;
  const expected = size * elementBytes(type);
  if (bytes.length !== expected) {
    throw new Error(
      `Stream holds ${bytes.length} bytes, but ${shape.join('×')} ${type} values need ${expected}`,
    );
  }
  const layout = LAYOUT[type];
  const parts = type.startsWith('complex') ? 2 : 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const map = binaryIndexOfTextIndex(shape);
  const out = new Float64Array(size * parts);
  const step = layout.bytes * parts;
  for (let t = 0; t < size; t++) {
    const offset = (map ? map[t]! : t) * step;
    for (let p = 0; p < parts; p++) {
      out[t * parts + p] = layout.read(view, offset + p * layout.bytes, littleEndian);
    }
  }
  return out;
}

/** Encode text-order values as base64 in binary order. */
export function encodeBinaryArray(
  data: Float64Array,
  type: NumericType,
  shape: readonly number[],
  littleEndian: boolean,
): string {
  const layout = LAYOUT[type];
  const parts = type.startsWith('complex') ? 2 : 1;
  const size = data.length / parts;
  const bytes = Buffer.alloc(size * layout.bytes * parts);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const map = binaryIndexOfTextIndex(shape);
  const step = layout.bytes * parts;
  for (let t = 0; t < size; t++) {
    const offset = (map ? map[t]! : t) * step;
    for (let p = 0; p < parts; p++) {
      layout.write(view, offset + p * layout.bytes, data[t * parts + p]!, littleEndian);
    }
  }
  return bytes.toString('base64');
}
