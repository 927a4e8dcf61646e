/**
 * A small IDX writer for tests, written independently of the parser: magic bytes by hand,
 * every multi-byte number through DataView in big-endian order.
 */
export type WritableDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export const TYPE_CODE: Record<WritableDtype, number> = {
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
};

export const WIDTH: Record<WritableDtype, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/** Encodes `values` (row-major) as an IDX file of the given dtype and shape. */
export function writeIdx(dtype: WritableDtype, shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length * WIDTH[dtype]);
  const view = new DataView(out.buffer);
  out[2] = TYPE_CODE[dtype];
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < values.length; i++) {
    const at = header + i * WIDTH[dtype];
    const v = values[i]!;
    if (dtype === 'uint8') view.setUint8(at, v);
    else if (dtype === 'int8') view.setInt8(at, v);
    else if (dtype === 'int16') view.setInt16(at, v, false);
    else if (dtype === 'int32') view.setInt32(at, v, false);
    else if (dtype === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}
