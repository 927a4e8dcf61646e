import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SerializationError, ValueError } from '../../src/engine/errors.js';
import { parseIdx, type IdxDtype } from '../../src/data/index.js';
import { loadIdx } from '../../src/data/node.js';
import { TYPE_CODE, WIDTH, writeIdx } from './idx_writer.js';

const DTYPES: IdxDtype[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];

function valueArb(dtype: IdxDtype): fc.Arbitrary<number> {
  switch (dtype) {
    case 'uint8': return fc.integer({ min: 0, max: 255 });
    case 'int8': return fc.integer({ min: -128, max: 127 });
    case 'int16': return fc.integer({ min: -32768, max: 32767 });
    case 'int32': return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'float32': return fc.float({ noNaN: true });
    case 'float64': return fc.double({ noNaN: true });
  }
}

const CTOR = { uint8: Uint8Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array };

describe('parseIdx round trips', () => {
  for (const dtype of DTYPES) {
    for (const rank of [1, 2, 3, 4]) {
      it(`${dtype}, rank ${rank}`, () => {
        const arb = fc
          .array(fc.integer({ min: 0, max: 5 }), { minLength: rank, maxLength: rank })
          .chain((shape) => {
            const n = shape.reduce((a, b) => a * b, 1);
            return fc.tuple(fc.constant(shape), fc.array(valueArb(dtype), { minLength: n, maxLength: n }));
          });
        fc.assert(
          fc.property(arb, fc.constantFrom('view', 'buffer', 'shared'), ([shape, values], kind) => {
            const bytes = writeIdx(dtype, shape, values);
            const shared = new SharedArrayBuffer(bytes.length);
            new Uint8Array(shared).set(bytes);
            const parsed = parseIdx(kind === 'view' ? bytes : kind === 'buffer' ? bytes.buffer : shared);
            expect(parsed.shape).toEqual(shape);
            expect(parsed.dtype).toBe(dtype);
            expect(parsed.data).toBeInstanceOf(CTOR[dtype]);
            expect(Array.from(parsed.data)).toEqual(Array.from(CTOR[dtype].from(values)));
          }),
          { numRuns: 30 },
        );
      });
    }
  }

  it('reads big-endian values written byte by byte', () => {
    // int16 [2, 1]: 258 and -2
    const bytes = Uint8Array.from([0, 0, 0x0b, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0x01, 0x02, 0xff, 0xfe]);
    const parsed = parseIdx(bytes);
    expect(parsed).toMatchObject({ shape: [2, 1], dtype: 'int16' });
    expect(Array.from(parsed.data)).toEqual([258, -2]);
    // float32 [1]: 1.5 is 0x3fc00000
    const f = parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]));
    expect(Array.from(f.data)).toEqual([1.5]);
  });

  it('honours the byte offset of a view into a larger buffer', () => {
    const file = writeIdx('int32', [3], [7, -8, 9]);
    const big = new Uint8Array(file.length + 13);
    big.set(file, 5);
    const parsed = parseIdx(big.subarray(5, 5 + file.length));
    expect(Array.from(parsed.data)).toEqual([7, -8, 9]);
  });

  it('returns a copy independent of the input', () => {
    const bytes = writeIdx('uint8', [3], [1, 2, 3]);
    const parsed = parseIdx(bytes);
    bytes[bytes.length - 1] = 99;
    expect(Array.from(parsed.data)).toEqual([1, 2, 3]);
  });

  it('reads rank 0 as a single value and zero-sized dimensions as empty', () => {
    expect(parseIdx(writeIdx('int32', [], [42]))).toMatchObject({ shape: [], dtype: 'int32' });
    expect(Array.from(parseIdx(writeIdx('int32', [], [42])).data)).toEqual([42]);
    const empty = parseIdx(writeIdx('float32', [0, 0xffffffff], []));
    expect(empty.shape).toEqual([0, 0xffffffff]);
    expect(empty.data.length).toBe(0);
  });
});

function expectSerializationError(bytes: Uint8Array, pattern: RegExp): void {
  let err: unknown;
  try {
    parseIdx(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SerializationError);
  expect((err as Error).message).toMatch(/^parseIdx: /);
  expect((err as Error).message).toMatch(pattern);
}

describe('parseIdx on hostile input', () => {
  it('rejects a truncated magic number', () => {
    expectSerializationError(new Uint8Array(0), /magic number is truncated \(0 bytes/);
    expectSerializationError(Uint8Array.from([0, 0, 8]), /magic number is truncated \(3 bytes/);
  });

  it('rejects a magic number that does not start with two zero bytes', () => {
    const bytes = writeIdx('uint8', [2], [1, 2]);
    bytes[1] = 0x12;
    expectSerializationError(bytes, /two zero bytes; got 0x00 0x12/);
  });

  it('rejects unknown type codes', () => {
    for (const code of [0x00, 0x07, 0x0a, 0x0f, 0xff]) {
      const bytes = writeIdx('uint8', [2], [1, 2]);
      bytes[2] = code;
      expectSerializationError(bytes, new RegExp(`unknown type code 0x${code.toString(16).padStart(2, '0')}`));
    }
  });

  it('rejects a header truncated inside the dimensions', () => {
    const bytes = writeIdx('uint8', [2, 3, 4], new Array(24).fill(0)).subarray(0, 10);
    expectSerializationError(bytes, /rank-3 file needs 16 bytes; the buffer has 10/);
    expectSerializationError(Uint8Array.from([0, 0, 8, 255, 0, 0]), /rank-255 file needs 1024 bytes/);
  });

  it('rejects data shorter than the dimensions say', () => {
    const bytes = writeIdx('int32', [2, 3], [1, 2, 3, 4, 5, 6]);
    expectSerializationError(bytes.subarray(0, bytes.length - 1), /\[2,3\] of int32 need more than the 23 data bytes/);
  });

  it('rejects trailing bytes after the data', () => {
    const bytes = writeIdx('uint8', [2], [1, 2]);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expectSerializationError(longer, /\[2\] of uint8 need 2 data bytes; the buffer has 5/);
  });

  it('rejects absurd dimensions without allocating them', () => {
    const bytes = new Uint8Array(4 + 12 + 8);
    const view = new DataView(bytes.buffer);
    bytes[2] = 0x0e;
    bytes[3] = 3;
    for (let i = 0; i < 3; i++) view.setUint32(4 + 4 * i, 0xffffffff, false);
    const before = process.memoryUsage().arrayBuffers;
    expectSerializationError(bytes, /\[4294967295,4294967295,4294967295\] of float64 need more than the 8 data bytes/);
    // A buffer for those dims could not exist; nothing close to even 100 MB was allocated.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(100 * 2 ** 20);
  });

  it('rejects input that is not bytes with a ValueError', () => {
    for (const bad of ['abc', [0, 0, 8, 1], 42, null, undefined, new Float32Array(4)]) {
      expect(() => parseIdx(bad as unknown as Uint8Array)).toThrow(ValueError);
      expect(() => parseIdx(bad as unknown as Uint8Array)).toThrow(/parseIdx: argument 'bytes' must be a Uint8Array or an ArrayBuffer/);
    }
  });

  it('throws only SerializationError on random bytes, and accepts what it returns consistently', () => {
    const header = fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(0, 0x08, 0x0b, 0x0d, 0x0e, 0x42), fc.integer({ min: 0, max: 6 }));
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 64 }), ([zero, code, rank], rest) => {
        const bytes = Uint8Array.from([0, zero, code, rank, ...rest]);
        try {
          const { shape, dtype, data } = parseIdx(bytes);
          const count = shape.reduce((a, b) => a * b, 1);
          expect(data.length).toBe(count);
          expect(4 + 4 * shape.length + count * WIDTH[dtype]).toBe(bytes.length);
          expect(TYPE_CODE[dtype]).toBe(code);
        } catch (e) {
          expect(e).toBeInstanceOf(SerializationError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('rejects every truncation of a valid file', () => {
    const file = writeIdx('float32', [2, 3, 2], Array.from({ length: 12 }, (_, i) => i / 3));
    for (let len = 0; len < file.length; len++) {
      expect(() => parseIdx(file.subarray(0, len))).toThrow(SerializationError);
    }
  });
});

describe('loadIdx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-idx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file written to disk, by path and by file: URL', () => {
    const path = join(dir, 'ok-idx3-float64');
    const values = Array.from({ length: 24 }, (_, i) => (i - 12) * 0.125);
    writeFileSync(path, writeIdx('float64', [2, 3, 4], values));
    for (const p of [path, pathToFileURL(path)]) {
      const parsed = loadIdx(p);
      expect(parsed.shape).toEqual([2, 3, 4]);
      expect(parsed.dtype).toBe('float64');
      expect(Array.from(parsed.data)).toEqual(values);
    }
  });

  it('names the path when the file is missing', () => {
    const path = join(dir, 'missing-idx1-ubyte');
    expect(() => loadIdx(path)).toThrow(ValueError);
    expect(() => loadIdx(path)).toThrow(`loadIdx: cannot read '${path}'`);
  });

  it('names the path when the file is malformed', () => {
    const path = join(dir, 'bad-idx1-ubyte');
    writeFileSync(path, writeIdx('uint8', [5], [1, 2, 3, 4, 5]).subarray(0, 11));
    expect(() => loadIdx(path)).toThrow(SerializationError);
    expect(() => loadIdx(path)).toThrow(`loadIdx '${path}': not a valid IDX file`);
  });

  it('rejects a path that is not a string or URL', () => {
    expect(() => loadIdx(3 as unknown as string)).toThrow(/loadIdx: argument 'path' must be a non-empty string/);
    expect(() => loadIdx('')).toThrow(ValueError);
  });
});
