/**
 * The IDX format (the container of the MNIST files): two zero bytes, a type code, the rank,
 * then one big-endian uint32 per dimension and the values, big-endian, in row-major order.
 * @module
 */
import { SerializationError, ValueError, fmtShape } from '../engine/errors.js';
import { describe } from './checks.js';

/** Element types an IDX file can hold. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array each {@link IdxDtype} is returned in. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file. */
export interface IdxArray {
  /** Dimensions, outermost first (`[60000, 28, 28]` for the MNIST training images). */
  shape: number[];
  /** Element type, from the file's type code. */
  dtype: IdxDtype;
  /** The values in row-major order, in native byte order; a copy, independent of the input. */
  data: IdxData;
}

/** The header of an IDX file and where its values lie; what {@link parseIdx} reads first. */
export interface IdxHeader {
  shape: number[];
  dtype: IdxDtype;
  /** Byte offset of the first value in the input view. */
  offset: number;
  /** Number of values (product of the dimensions). */
  size: number;
}

const TYPES: ReadonlyMap<number, { dtype: IdxDtype; bytes: number }> = new Map([
  [0x08, { dtype: 'uint8', bytes: 1 }],
  [0x09, { dtype: 'int8', bytes: 1 }],
  [0x0b, { dtype: 'int16', bytes: 2 }],
  [0x0c, { dtype: 'int32', bytes: 4 }],
  [0x0d, { dtype: 'float32', bytes: 4 }],
  [0x0e, { dtype: 'float64', bytes: 8 }],
]);

/** Views `bytes` as a Uint8Array without copying; rejects anything else. */
export function asBytes(fn: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (typeof SharedArrayBuffer !== 'undefined' && bytes instanceof SharedArrayBuffer) return new Uint8Array(bytes);
  throw new ValueError(`${fn}: argument 'bytes' must be a Uint8Array or an ArrayBuffer; got ${describe(bytes)}`);
}

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Reads and checks the header of an IDX file without touching (or copying) its values.
 * Every size is checked against the bytes at hand before anything is allocated, so a
 * hostile header cannot make this allocate a huge buffer.
 *
 * @param bytes - the whole file, or at least its header when `total` is given.
 * @param source - what to name in error messages (a path); default `'parseIdx'`.
 * @param total - the length of the whole file in bytes; default `bytes.length`.
 * @throws SerializationError naming what is wrong (bad magic, unknown type code, truncated
 *   header, values that do not fill or overflow the buffer).
 */
export function readIdxHeader(bytes: Uint8Array, source = 'parseIdx', total = bytes.length): IdxHeader {
  const fail = (what: string): never => {
    throw new SerializationError(`${source}: not a valid IDX file: ${what}`);
  };
  if (bytes.length < 4) fail(`the 4-byte magic number is truncated (${total} bytes in all)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`the magic number must start with two zero bytes; got ${hex(bytes[0]!)} ${hex(bytes[1]!)}`);
  }
  const type = TYPES.get(bytes[2]!);
  if (!type) {
    fail(`unknown type code ${hex(bytes[2]!)} (expected one of ${[...TYPES.keys()].map(hex).join(', ')})`);
  }
  const { dtype, bytes: width } = type!;
  const rank = bytes[3]!;
  const offset = 4 + 4 * rank;
  if (bytes.length < offset) {
    fail(`the header of a rank-${rank} file needs ${offset} bytes; the buffer has ${total}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const available = total - offset;
  // Multiplying stops as soon as the product passes what the buffer holds, so it stays exact.
  let size = shape.includes(0) ? 0 : 1;
  for (const d of size === 0 ? [] : shape) {
    size *= d;
    if (size * width > available) {
      fail(`dimensions ${fmtShape(shape)} of ${dtype} need more than the ${available} data bytes present`);
    }
  }
  if (size * width !== available) {
    fail(`dimensions ${fmtShape(shape)} of ${dtype} need ${size * width} data bytes; the buffer has ${available}`);
  }
  return { shape, dtype, offset, size };
}

/**
 * Parses an IDX file (any rank, any of the six IDX element types).
 *
 * @param bytes - the whole file, e.g. what `fs.readFileSync` returns (a Node Buffer is a
 *   Uint8Array), or an ArrayBuffer such as `await response.arrayBuffer()`.
 * @returns its shape, dtype and values (a fresh typed array in native byte order).
 * @throws SerializationError when the bytes are not a well-formed IDX file (truncated
 *   header, unknown type code, sizes that do not match the buffer).
 * @example
 * ```ts
 * const { shape, dtype, data } = st.datasets.parseIdx(bytes); // [10000, 28, 28], 'uint8'
 * ```
 */
export function parseIdx(bytes: Uint8Array | ArrayBufferLike): IdxArray {
  const u8 = asBytes('parseIdx', bytes);
  return decodeIdx(u8, readIdxHeader(u8));
}

/** Copies the values that a checked `header` describes out of `u8`, in native byte order. */
export function decodeIdx(u8: Uint8Array, header: IdxHeader): IdxArray {
  const { shape, dtype, offset, size } = header;
  return { shape, dtype, data: decodeValues(u8, offset, size, dtype) };
}

function decodeValues(u8: Uint8Array, offset: number, n: number, dtype: IdxDtype): IdxData {
  if (dtype === 'uint8') return u8.slice(offset, offset + n);
  if (dtype === 'int8') return new Int8Array(u8.slice(offset, offset + n).buffer);
  const view = new DataView(u8.buffer, u8.byteOffset + offset, u8.length - offset);
  switch (dtype) {
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, false);
      return out;
    }
  }
}
