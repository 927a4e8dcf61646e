import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { gruGates } from '../../src/backend/gru_gates.js';
import { expectTrainsOnWasmAsOnCpu, runOn, seeded } from './helpers.js';

afterAll(async () => {
  await setBackend('cpu');
});

/** The GRU step (resetAfter) in tfjs ops, as every backend without strata's kernels runs it. */
function opsStep(xp: tf.Tensor2D, inner: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor {
  const [xz, xr, xh] = tf.split(xp, 3, 1);
  const [iz, ir, ih] = tf.split(inner, 3, 1);
  const z = tf.sigmoid(tf.add(xz!, iz!));
  const r = tf.sigmoid(tf.add(xr!, ir!));
  const hh = tf.tanh(tf.add(xh!, tf.mul(r, ih!)));
  return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
}

const step = (xp: tf.Tensor2D, inner: tf.Tensor2D, h: tf.Tensor2D) => gruGates(xp, inner, h) ?? opsStep(xp, inner, h);

describe('StrataGruGates', () => {
  it('is what wasm runs, and cpu has no such kernel', async () => {
    await setBackend('cpu');
    expect(gruGates(tf.zeros([2, 6]) as tf.Tensor2D, tf.zeros([2, 6]) as tf.Tensor2D, tf.ones([2, 2]) as tf.Tensor2D)).toBeUndefined();
    await setBackend('wasm');
    const out = gruGates(tf.zeros([2, 6]) as tf.Tensor2D, tf.zeros([2, 6]) as tf.Tensor2D, tf.ones([2, 2]) as tf.Tensor2D);
    // Pre-activations 0: z = 0.5 and ĥ = 0, so h' = h / 2.
    expect(Array.from(out!.dataSync())).toEqual([0.5, 0.5, 0.5, 0.5]);
    out!.dispose();
  });

  it('values and gradients (to the projected input, the recurrent product and the state) match the tfjs ops on cpu', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 10_000 }), async (b, u, seed) => {
        const f = () => {
          const xp = tf.mul(seeded([b, 3 * u], seed), 4) as tf.Tensor2D;
          const inner = tf.mul(seeded([b, 3 * u], seed + 1), 3) as tf.Tensor2D;
          const h = seeded([b, u], seed + 2) as tf.Tensor2D;
          const w = seeded([b, u], seed + 3);
          const loss = (a: tf.Tensor, m: tf.Tensor, s: tf.Tensor) => tf.sum(tf.mul(step(a as tf.Tensor2D, m as tf.Tensor2D, s as tf.Tensor2D), w)) as tf.Scalar;
          return [step(xp, inner, h), ...tf.grads(loss)([xp, inner, h])];
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        for (let t = 0; t < cpu.length; t++) {
          for (let i = 0; i < cpu[t]!.length; i++) expect(Math.abs(wasm[t]![i]! - cpu[t]![i]!), `output ${t}[${i}]`).toBeLessThanOrEqual(2e-6);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a GRU layer on wasm runs it, and trains as on cpu', async () => {
    const st = await import('../../src/index.js');
    await expectTrainsOnWasmAsOnCpu(() => [st.layers.input({ shape: [5, 3] }), st.layers.gru({ units: 8, returnSequences: true }), st.layers.gru({ units: 4 }), st.layers.dense({ units: 1 })], 'StrataGruGates');
  });
});
