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

const dtypes = ['float32', 'int32', 'bool'] as const;

/** A seeded tensor of the given dtype. */
function make(shape: number[], seed: number, dtype: (typeof dtypes)[number]): tf.Tensor {
  const x = seeded(shape, seed);
  if (dtype === 'float32') return x;
  return dtype === 'int32' ? tf.cast(tf.mul(x, 100), 'int32') : tf.greater(x, 0);
}

const shapeCase = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 })
  .chain((shape) => fc.record({
    shape: fc.constant(shape),
    axis: fc.integer({ min: -shape.length, max: shape.length - 1 }),
    dtype: fc.constantFrom(...dtypes),
    seed: fc.integer({ min: 1, max: 1000 }),
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
  }));

/** Reading counter on the wasm backend's readSync (the copy off the heap the backend's kernels made). */
function countReads(): { read: () => number; restore: () => void } {
  const backend = tf.backend() as unknown as { readSync: (...a: unknown[]) => ArrayLike<number> };
  const readSync = backend.readSync.bind(backend);
  let elements = 0;
  backend.readSync = (...a: unknown[]) => {
    const out = readSync(...a);
    elements += out.length;
    return out;
  };
  return { read: () => elements, restore: () => void (backend.readSync = readSync) };
}

describe('wasm Unpack and SplitV', () => {
  it('unstack matches cpu for rank 1–4 tensors along any axis, float32, int32 and bool', async () => {
    await fc.assert(
      fc.asyncProperty(shapeCase, async ({ shape, axis, dtype, seed }) => {
        const f = () => tf.unstack(make(shape, seed, dtype), axis);
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        expect(wasm.map((a) => Array.from(a))).toEqual(cpu.map((a) => Array.from(a)));
      }),
      { numRuns: 60 },
    );
  });

  it('unstack gives each output the input shape without the axis', async () => {
    await setBackend('wasm');
    const parts = tf.unstack(seeded([2, 3, 4], 5), 1);
    expect(parts.map((p) => p.shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
    tf.dispose(parts);
  });

  it('split matches cpu for even splits and given sizes along any axis', async () => {
    await fc.assert(
      fc.asyncProperty(shapeCase, async ({ shape, axis, dtype, seed, cuts }) => {
        const ax = axis < 0 ? axis + shape.length : axis;
        const n = shape[ax]!;
        // Sizes from the cut points (some may be 0); every case also splits into n equal parts.
        const points = [0, ...cuts.map((c) => Math.round(c * n)).sort((a, b) => a - b), n];
        const sizes = points.slice(1).map((p, i) => p - points[i]!);
        for (const splits of [n, sizes]) {
          const f = () => tf.split(make(shape, seed, dtype), splits, axis);
          const cpu = await runOn('cpu', f);
          const wasm = await runOn('wasm', f);
          expect(wasm.map((a) => Array.from(a))).toEqual(cpu.map((a) => Array.from(a)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reads nothing off the heap (the backend copied the whole input once per output)', async () => {
    await setBackend('wasm');
    const x = seeded([64, 100, 32], 3);
    const reads = countReads();
    try {
      const steps = tf.unstack(x, 1);
      const gates = tf.split(steps[7]!, 4, 1);
      expect(reads.read()).toBe(0);
      expect(Array.from(gates[1]!.dataSync())).toEqual(Array.from(tf.slice(x, [0, 7, 8], [64, 1, 8]).dataSync()));
      tf.dispose([...steps, ...gates]);
    } finally {
      reads.restore();
      x.dispose();
    }
  });

  it('keeps gradients flowing: unstack then stack, split then concat, round trip on wasm', async () => {
    await setBackend('wasm');
    const x = seeded([3, 4, 6], 9);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.concat(tf.split(tf.stack(tf.unstack(t, 1), 1), [2, 4], 2), 2), t)));
    expect(Array.from(g(x).dataSync())).toEqual(Array.from(tf.mul(x, 2).dataSync()));
    x.dispose();
  });
});
