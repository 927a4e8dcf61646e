import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { sparseCrossentropyFromProbabilities } from '../../src/backend/sparse_crossentropy.js';
import { sparseCategoricalCrossentropy } from '../../src/losses/crossentropy.js';
import { expectAllClose, runOn, values } from './helpers.js';

afterAll(async () => {
  await setBackend('cpu');
});

/** Probabilities with some entries near 0 and some rows one-hot, so both clip ends are crossed. */
function probabilities(lead: number[], classes: number, seed: number): tf.Tensor {
  const n = lead.reduce((a, b) => a * b, 1);
  const v = values(n * classes, seed).map((x) => Math.exp(4 * x));
  for (let i = 0; i < n; i += 3) for (let j = 0; j < classes; j++) v[i * classes + j] = j === i % classes ? 1 : (i % 2) * 1e-9;
  return tf.tensor(v, [...lead, classes]);
}

describe('sparse categorical cross-entropy from probabilities', () => {
  it('on wasm (strata kernels) equals the tfjs-ops form on cpu: loss and gradient, clipped ends, float and int labels, rank 3', async () => {
    const cases = fc.record({
      lead: fc.constantFrom<number[]>([1], [7], [128], [4, 5]),
      classes: fc.constantFrom(2, 3, 10),
      floatLabels: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1e6 }),
    });
    await fc.assert(fc.asyncProperty(cases, async ({ lead, classes, floatLabels, seed }) => {
      const f = () => {
        const p = probabilities(lead, classes, seed);
        const n = lead.reduce((a, b) => a * b, 1);
        const labels = Array.from(values(n, seed + 1), (x) => Math.floor((x + 1) / 2 * classes));
        const y = tf.tensor(labels, lead, floatLabels ? 'float32' : 'int32');
        const loss = sparseCategoricalCrossentropy();
        const weights = tf.tensor(values(n, seed + 2), lead);
        const g = tf.grad((q: tf.Tensor) => tf.sum(tf.mul(loss.call(y, q), lead.length > 1 ? tf.ones([lead[0]!]) : weights)))(p);
        return [loss.call(y, p), g];
      };
      expectAllClose(await runOn('wasm', f), await runOn('cpu', f), 2e-5);
    }), { numRuns: 40 });
  });

  it('runs as one operation on wasm and none on cpu (where the loss keeps its tfjs-ops form)', async () => {
    const p = () => probabilities([4], 3, 1);
    await setBackend('wasm');
    const onWasm = tf.tidy(() => {
      const out = sparseCrossentropyFromProbabilities(tf.tensor1d([0, 1, 2, 5], 'int32'), p(), 1e-7);
      expect(out).toBeDefined();
      return Array.from(out!.dataSync());
    });
    // A label outside [0, classes) contributes 0, as its all-zero one-hot row does.
    expect(onWasm[3]).toBe(0);
    expect(onWasm.slice(0, 3).every((v) => v > 0)).toBe(true);
    const kernels = (await tf.profile(() => {
      const q = p();
      tf.dispose(tf.grad((x: tf.Tensor) => tf.sum(sparseCategoricalCrossentropy().call(tf.tensor1d([0, 1, 2, 1], 'int32'), x)))(q));
      q.dispose();
    })).kernelNames;
    expect(kernels).toContain('StrataSparseCrossentropy');
    expect(kernels).toContain('StrataSparseCrossentropyGrad');
    expect(kernels).not.toContain('ClipByValue');
    await setBackend('cpu');
    expect(tf.tidy(() => sparseCrossentropyFromProbabilities(tf.tensor1d([0], 'int32'), p().slice(0, 1), 1e-7))).toBeUndefined();
  });
});
