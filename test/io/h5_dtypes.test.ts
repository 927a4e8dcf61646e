/**
 * The HDF5 reader on datasets of each numeric type Keras files hold (written by h5py in
 * scripts/fixtures/make_keras3_fixtures.py): floats and integers read as float32 (Keras'
 * Normalization saves its `count` as int64); anything else is refused with a clear error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H5Reader } from '../../src/io/keras/h5.js';
import { SerializationError } from '../../src/engine/errors.js';

let h5: H5Reader;
beforeAll(async () => {
  h5 = await H5Reader.open(new Uint8Array(fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'keras3', 'dtypes.h5'))), 'test');
});
afterAll(() => h5.close());

describe('H5Reader dataset types', () => {
  for (const dt of ['float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8']) {
    it(`reads ${dt} as float32`, () => {
      const { shape, values } = h5.read(dt);
      expect(shape).toEqual([2, 3]);
      expect(values).toBeInstanceOf(Float32Array);
      expect(Array.from(values)).toEqual([1, 2, 3, 4, 5, 6]);
    });
  }

  it('reads int64 values beyond int32 range', () => {
    expect(Array.from(h5.read('big_int64').values)).toEqual([Math.fround(2 ** 40 + 1), -(2 ** 40)]);
  });

  it('refuses a string dataset, naming it and its type', () => {
    expect(() => h5.read('text')).toThrow(SerializationError);
    expect(() => h5.read('text')).toThrow(/dataset 'text' holds 1-byte values of HDF5 type 3; expected float32\/float64 or an integer type/);
  });
});
