import { describe, expect, it } from 'vitest';
import { simdUpdatesFor } from '../../src/backend/kernels/simd_update.js';
import { values } from './helpers.js';

/** Four float32 arrays of `n` laid out in `memory`, filled from seeds; returns their byte offsets and views. */
function layout(memory: WebAssembly.Memory, n: number): { at: number[]; views: Float32Array[] } {
  const at = [0, 1, 2, 3].map((i) => 64 + i * (n * 4 + 16));
  const views = at.map((o, i) => {
    const v = new Float32Array(memory.buffer, o, n);
    v.set(values(n, 10 + i).map((x) => (i === 2 ? Math.abs(x) : x))); // the second moment is >= 0
    return v;
  });
  return { at, views };
}

describe('wasm SIMD optimizer loops', () => {
  for (const shared of [false, true]) {
    const memory = shared
      ? new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true })
      : new WebAssembly.Memory({ initial: 1 });
    it(`compile against a ${shared ? 'shared' : 'plain'} memory and follow the formulas`, () => {
      const f = simdUpdatesFor(memory);
      expect(f).not.toBeNull();
      const n = 24;
      // Adam
      let { at, views: [W, M, V, G] } = layout(memory, n);
      let [w0, m0, v0, g] = [W!, M!, V!, G!].map((a) => Float64Array.from(a));
      f!.adam(at[0]!, at[1]!, at[2]!, at[3]!, n * 4, 0.01, 0.9, 0.1, 0.999, 0.001, 1e-7, 0.99);
      for (let i = 0; i < n; i++) {
        const m = 0.9 * m0![i]! + 0.1 * g![i]!;
        const v = 0.999 * v0![i]! + 0.001 * g![i]! * g![i]!;
        expect(M![i]).toBeCloseTo(m, 6);
        expect(V![i]).toBeCloseTo(v, 6);
        expect(W![i]).toBeCloseTo(0.99 * w0![i]! - (0.01 * m) / (Math.sqrt(v) + 1e-7), 5);
      }
      // Nesterov momentum
      ({ at, views: [W, M, V, G] } = layout(memory, n));
      [w0, m0, v0, g] = [W!, M!, V!, G!].map((a) => Float64Array.from(a));
      f!.momentum(at[0]!, at[1]!, at[3]!, n * 4, 0.1, 0.9, 1, 0.9, 0.1);
      for (let i = 0; i < n; i++) {
        const u = 0.9 * m0![i]! - 0.1 * g![i]!;
        expect(M![i]).toBeCloseTo(u, 6);
        expect(W![i]).toBeCloseTo(w0![i]! + 0.9 * u - 0.1 * g![i]!, 6);
      }
      // RMSprop; only the first 16 elements (len 64 bytes): the rest must stay untouched
      ({ at, views: [W, M, V, G] } = layout(memory, n));
      [w0, m0, v0, g] = [W!, M!, V!, G!].map((a) => Float64Array.from(a));
      f!.rmsprop(at[0]!, at[2]!, at[3]!, 16 * 4, 0.01, 0.9, 0.1, 1e-7, 1);
      for (let i = 0; i < n; i++) {
        if (i >= 16) {
          expect(W![i]).toBe(Math.fround(w0![i]!));
          continue;
        }
        const v = 0.9 * v0![i]! + 0.1 * g![i]! * g![i]!;
        expect(V![i]).toBeCloseTo(v, 6);
        expect(W![i]).toBeCloseTo(w0![i]! - (0.01 * g![i]!) / Math.sqrt(v + 1e-7), 4);
      }
    });

    it(`adamPacked (scalars read from the heap) writes the same bits as adam on a ${shared ? 'shared' : 'plain'} memory`, () => {
      const f = simdUpdatesFor(memory)!;
      const n = 40;
      const scalars = [0.0013, 0.9, 0.1, 0.999, 0.001, 1e-7, 0.995];
      const run = (packed: boolean): number[] => {
        const { at, views } = layout(memory, n);
        if (packed) {
          const params = at[3]! + n * 4 + 64;
          new Float32Array(memory.buffer, params, 7).set(scalars);
          f.adamPacked(at[0]!, at[1]!, at[2]!, at[3]!, n * 4, params);
        } else {
          f.adam(at[0]!, at[1]!, at[2]!, at[3]!, n * 4, ...(scalars as [number, number, number, number, number, number, number]));
        }
        return views.slice(0, 3).flatMap((v) => Array.from(v));
      };
      const plain = run(false);
      expect(run(true)).toEqual(plain);
      expect(plain.some((x, i) => x !== Array.from(layout(memory, n).views.slice(0, 3).flatMap((v) => Array.from(v)))[i])).toBe(true);
    });
  }
});
