import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { firstNonFinite } from '../../src/backend/first_non_finite.js';
import { values } from './helpers.js';

afterAll(async () => {
  await setBackend('cpu');
});

const BAD = [NaN, Infinity, -Infinity] as const;

/** A tensor of `size` finite values with the given non-finite values written at the given indices. */
function tensorWith(size: number, seed: number, bad: [number, number][], shape?: number[]): tf.Tensor {
  const v = values(size, seed).map((x) => x * 1e30); // large but finite: x·0 and x − x stay 0
  for (const [at, which] of bad) if (size > 0) v[at % size] = BAD[which]!;
  return tf.tensor(v, shape ?? [size], 'float32');
}

/** What the watch records, from the host's view of the groups. */
function expected(first: number, groups: tf.Tensor[][], code: number): number {
  if (first >= 0) return first;
  for (let k = 0; k < groups.length; k++) {
    const bad = groups[k]!.some((t) => t.dtype === 'float32' && Array.from(t.dataSync()).some((x) => !Number.isFinite(x)));
    if (bad) return code + 1 + k;
  }
  return -1;
}

describe('StrataFirstNonFinite (the per-batch NaN/Infinity watch on wasm)', () => {
  it('records the first kind holding NaN or ±Infinity, in SIMD blocks and in the tail, and keeps an earlier record', async () => {
    await setBackend('wasm');
    const tensor = fc.record({
      size: fc.constantFrom(0, 1, 3, 4, 5, 8, 31, 100_352),
      seed: fc.integer({ min: 1, max: 1e6 }),
      bad: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 })), { maxLength: 2 }),
    });
    const cases = fc.record({
      groups: fc.array(fc.array(tensor, { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      first: fc.constantFrom(-1, -1, -1, 0, 17),
      batch: fc.nat(1000),
    });
    await fc.assert(fc.asyncProperty(cases, async ({ groups, first, batch }) => {
      const before = tf.memory().numTensors;
      const ts = groups.map((g) => g.map(({ size, seed, bad }) => tensorWith(size, seed, bad)));
      const f = tf.scalar(first);
      const got = firstNonFinite(f, ts, batch * 8);
      expect(got).toBeDefined();
      expect(got!.dtype).toBe('float32');
      expect(got!.shape).toEqual([]);
      expect(got!.dataSync()[0]).toBe(expected(first, ts, batch * 8));
      tf.dispose([got!, f, ...ts.flat()]);
      expect(tf.memory().numTensors).toBe(before);
    }), { numRuns: 150 });
  });

  it('finds a single NaN anywhere in a [128, 784] batch; skips int32 tensors; matches rank-0 losses', async () => {
    await setBackend('wasm');
    const first = tf.scalar(-1);
    for (const at of [0, 3, 4, 50_001, 100_351]) {
      const x = tensorWith(128 * 784, at, [[at, 0]], [128, 784]);
      const r = firstNonFinite(first, [[x]], 40)!;
      expect(r.dataSync()[0]).toBe(41);
      tf.dispose([x, r]);
    }
    const labels = tf.tensor1d([1, 2, 3], 'int32');
    const loss = tf.scalar(Infinity);
    const r = firstNonFinite(first, [[labels], [], [loss]], 8)!;
    expect(r.dataSync()[0]).toBe(8 + 1 + 2);
    tf.dispose([labels, loss, r, first]);
  });

  it('is absent on backends without the kernel (the ops form runs there)', async () => {
    await setBackend('cpu');
    const first = tf.scalar(-1);
    expect(firstNonFinite(first, [[first]], 0)).toBeUndefined();
    first.dispose();
  });
});
