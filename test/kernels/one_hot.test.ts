import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';

afterAll(async () => {
  await setBackend('cpu');
});

describe('wasm OneHot', () => {
  it('writes values of the requested dtype and matches cpu', async () => {
    const cases: [number[], number, number, number, 'float32' | 'int32'][] = [
      [[0, 2, 1], 3, 1, 0, 'float32'],
      [[3, -1, 0, 7], 4, 0.9, 0.1, 'float32'],
      [[1, 0], 2, 5, -2, 'int32'],
    ];
    for (const [ids, depth, on, off, dtype] of cases) {
      const results: number[][] = [];
      for (const b of ['cpu', 'wasm'] as const) {
        await setBackend(b);
        const t = tf.oneHot(tf.tensor1d(ids, 'int32'), depth, on, off, dtype);
        expect(t.dtype).toBe(dtype);
        results.push(Array.from(t.dataSync()));
        t.dispose();
      }
      expect(results[1]).toEqual(results[0]);
      const expected = ids.flatMap((k) => Array.from({ length: depth }, (_, j) => (j === k ? on : off)));
      results[1]!.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    }
  });
});
