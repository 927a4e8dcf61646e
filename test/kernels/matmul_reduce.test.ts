import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { expectWasmMatchesCpu, kernel, runOn, seeded } from './helpers.js';

beforeAll(async () => {
  await setBackend('wasm');
});

afterAll(async () => {
  await setBackend('cpu');
});

const matMulCase = fc.record({
  m: fc.integer({ min: 1, max: 40 }),
  k: fc.integer({ min: 1, max: 40 }),
  n: fc.integer({ min: 1, max: 40 }),
  // Batch dims of a and b: none, a batched over an unbatched b (folded into rows),
  // broadcasting, and equal batches (the backend's batched loop).
  batches: fc.constantFrom<[number[], number[]]>([[], []], [[3], []], [[2, 2], []], [[3], [1]], [[1], [3]], [[3], [3]], [[2, 3], [3]], [[], [2]]),
  tA: fc.boolean(),
  tB: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1e9 }),
});

type MatMulCase = typeof matMulCase extends fc.Arbitrary<infer T> ? T : never;

function operands(c: MatMulCase): [tf.Tensor, tf.Tensor] {
  const [batchA, batchB] = c.batches;
  const a = seeded([...batchA, ...(c.tA ? [c.k, c.m] : [c.m, c.k])], c.seed);
  const b = seeded([...batchB, ...(c.tB ? [c.n, c.k] : [c.k, c.n])], c.seed + 1);
  return [a, b];
}

describe('matMul on wasm equals cpu', () => {
  it('for every transpose combination, broadcast batches and odd sizes', async () => {
    await fc.assert(
      fc.asyncProperty(matMulCase, async (c) => {
        await expectWasmMatchesCpu(() => {
          const [a, b] = operands(c);
          return tf.matMul(a, b, c.tA, c.tB);
        });
      }),
      { numRuns: 60 },
    );
  });

  // The last shape packs better as (bᵀ·aᵀ)ᵀ when `a` arrives transposed (a filter gradient).
  it('for Dense-layer shapes and a long thin product, forward and backward', async () => {
    for (const [m, k, n] of [
      [64, 200, 96],
      [200, 64, 96],
      [9, 60000, 32],
    ]) {
      await expectWasmMatchesCpu(() => {
        const a = seeded([m!, k!], m!);
        const b = seeded([k!, n!], n!);
        return [tf.matMul(a, b), tf.matMul(tf.transpose(a), b, true, false), tf.matMul(a, tf.transpose(b), false, true)];
      });
    }
  });

  // Aᵀ·B with a tall output of fewer than 16 columns (not a multiple of 8) runs as (Bᵀ·A)ᵀ.
  it('for tall, narrow outputs with the left operand transposed (a dense layer\'s weight gradient for a few classes)', async () => {
    for (const [m, k, n] of [[64, 1, 1], [256, 128, 10], [130, 7, 3], [97, 33, 15], [64, 5, 9], [300, 12, 8]]) {
      await expectWasmMatchesCpu(() => {
        const a = seeded([k!, m!], m! + k!);
        const b = seeded([k!, n!], n! + 7);
        return tf.matMul(a, b, true, false);
      });
    }
  });

  it('fused matMul with bias, activation and transposes', async () => {
    await fc.assert(
      fc.asyncProperty(matMulCase, fc.constantFrom('linear', 'relu', 'elu', 'relu6', 'sigmoid'), async (c, activation) => {
        await expectWasmMatchesCpu(() => {
          const a = seeded(c.tA ? [c.k, c.m] : [c.m, c.k], c.seed) as tf.Tensor2D;
          const b = seeded(c.tB ? [c.n, c.k] : [c.k, c.n], c.seed + 1) as tf.Tensor2D;
          const bias = seeded([c.n], c.seed + 2);
          return [
            tf.fused.matMul({ a, b, transposeA: c.tA, transposeB: c.tB, bias, activation: activation as 'relu' }),
            tf.fused.matMul({ a, b, transposeA: c.tA, transposeB: c.tB }),
          ];
        });
      }),
      { numRuns: 30 },
    );
  });

  it('gradients of a fused Dense layer', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seeded([7, 13], 1) as tf.Tensor2D;
      const w = seeded([13, 5], 2) as tf.Tensor2D;
      const bias = seeded([5], 3);
      return tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.square(tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: 'relu' }))),
      )([x, w, bias]);
    });
  });

  it('a reshaped view of the same data used as the right operand gets its own shape', async () => {
    // tfjs-backend-wasm caches XNNPACK weights by data id alone; a reshape shares the id.
    await expectWasmMatchesCpu(() => {
      const w = tf.reshape(tf.range(0, 12), [3, 4]);
      const first = tf.matMul(tf.ones([2, 3]), w);
      const second = tf.matMul(tf.ones([2, 4]), tf.reshape(w, [4, 3]));
      const third = tf.matMul(tf.ones([2, 2]), tf.reshape(w, [2, 6]));
      return [first, second, third];
    });
  });
});

describe('reductions on wasm equal cpu', () => {
  const reduceCase = fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }),
    mask: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    keepDims: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1e9 }),
  });

  it('sum, mean, max, min and prod over random axes', async () => {
    await fc.assert(
      fc.asyncProperty(reduceCase, async (c) => {
        const axes = c.shape.map((_, i) => i).filter((i) => c.mask[i]);
        await expectWasmMatchesCpu(() => {
          const x = seeded(c.shape, c.seed);
          const near1 = tf.add(tf.mul(x, 0.1), 1);
          return [tf.sum(x, axes, c.keepDims), tf.mean(x, axes, c.keepDims), tf.max(x, axes, c.keepDims), tf.min(x, axes, c.keepDims), tf.prod(near1, axes, c.keepDims)];
        });
      }),
      { numRuns: 40 },
    );
  });

  it('bias gradient and global pooling shapes', async () => {
    await expectWasmMatchesCpu(() => {
      const x = seeded([8, 13, 13, 16], 5);
      return [tf.sum(x, [0, 1, 2]), tf.mean(x, [1, 2]), tf.max(x, [1, 2], true), tf.moments(x, [0, 1, 2]).variance];
    });
  });
});

describe('other kernels', () => {
  it('unsortedSegmentSum (the gradient of gather) and embedding gradients', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 1e9 }),
        async (rows, cols, segments, seed) => {
          const ids = Array.from({ length: rows }, (_, i) => ((i * 7 + seed) % (segments + 2)) - 1);
          await expectWasmMatchesCpu(() => {
            const x = seeded([rows, cols], seed);
            const table = seeded([segments, cols], seed + 1);
            const valid = ids.map((i) => Math.max(0, Math.min(segments - 1, i)));
            return [
              tf.unsortedSegmentSum(x, tf.tensor1d(ids, 'int32'), segments),
              ...tf.grads((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(valid, 'int32')), x)))([table]),
            ];
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('identity shares data and clones stay independent of their source', async () => {
    const [clone, rest] = await runOn('wasm', () => {
      const x = seeded([3, 4], 9);
      const c = tf.clone(x);
      const same = kernel('Identity', { x: c }, {});
      tf.dispose([x]);
      return [same, tf.add(c, 0)];
    });
    const [expected] = await runOn('cpu', () => seeded([3, 4], 9));
    expect(Array.from(clone!)).toEqual(Array.from(expected!));
    expect(Array.from(rest!)).toEqual(Array.from(expected!));
  });
});
