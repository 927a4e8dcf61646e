import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { runOn, seeded } from './helpers.js';

beforeAll(async () => {
  await setBackend('wasm');
});

afterAll(async () => {
  await setBackend('cpu');
});

describe('wasm Slice', () => {
  it('matches cpu for slices of rank 1–5 tensors, float32 and int32', async () => {
    const sliceCase = fc
      .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 })
      .chain((shape) => fc.record({
        shape: fc.constant(shape),
        begin: fc.tuple(...shape.map((d) => fc.integer({ min: 0, max: d - 1 }))),
        frac: fc.tuple(...shape.map(() => fc.double({ min: 0, max: 1, noNaN: true }))),
        int: fc.boolean(),
        seed: fc.integer({ min: 1, max: 1000 }),
      }));
    await fc.assert(
      fc.asyncProperty(sliceCase, async ({ shape, begin, frac, int, seed }) => {
        const size = shape.map((d, i) => Math.round(frac[i]! * (d - begin[i]!)));
        const f = () => {
          const x = seeded(shape, seed);
          return tf.slice(int ? tf.cast(tf.mul(x, 100), 'int32') : x, begin, size);
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!));
      }),
      { numRuns: 60 },
    );
  });

  it('reads no more of the input than the slice (no copy of the whole tensor off the heap)', async () => {
    await setBackend('wasm');
    const x = seeded([4096, 64], 3);
    const backend = tf.backend() as unknown as { readSync: (...a: unknown[]) => ArrayLike<number> };
    const readSync = backend.readSync.bind(backend);
    let elementsRead = 0;
    backend.readSync = (...a: unknown[]) => {
      const out = readSync(...a);
      elementsRead += out.length;
      return out;
    };
    try {
      const rows = tf.slice(x, [100, 0], [8, 64]);
      expect(elementsRead).toBe(0);
      expect(Array.from(rows.dataSync().subarray(0, 3))).toEqual(Array.from(x.dataSync().subarray(6400, 6403)));
      rows.dispose();
    } finally {
      backend.readSync = readSync;
      x.dispose();
    }
  });
});

describe('wasm GatherV2', () => {
  it('matches cpu along every axis, for float32, int32 and bool, with index tensors of rank 0–2', async () => {
    const gatherCase = fc
      .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 })
      .chain((shape) => fc.record({
        shape: fc.constant(shape),
        axis: fc.integer({ min: -shape.length, max: shape.length - 1 }),
        indexShape: fc.constantFrom<number[]>([], [3], [2, 3], [0]),
        dtype: fc.constantFrom('float32', 'int32', 'bool'),
        seed: fc.integer({ min: 1, max: 1000 }),
      }));
    await fc.assert(
      fc.asyncProperty(gatherCase, async ({ shape, axis, indexShape, dtype, seed }) => {
        const dim = shape[axis < 0 ? axis + shape.length : axis]!;
        const count = indexShape.reduce((a, b) => a * b, 1);
        const ids = Array.from({ length: count }, (_, i) => (i * 7 + seed) % dim);
        const f = () => {
          const x = seeded(shape, seed);
          const typed = dtype === 'float32' ? x : dtype === 'int32' ? tf.cast(tf.mul(x, 100), 'int32') : tf.greater(x, 0);
          const out = tf.gather(typed, tf.tensor(ids, indexShape, 'int32'), axis);
          return out.dtype === 'float32' ? out : tf.cast(out, 'float32');
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!));
      }),
      { numRuns: 80 },
    );
  });
});
