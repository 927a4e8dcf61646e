import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { lstmGates } from '../../src/backend/lstm_gates.js';
import { expectTrainsOnWasmAsOnCpu, runOn, seeded } from './helpers.js';

afterAll(async () => {
  await setBackend('cpu');
});

/** The LSTM step in tfjs ops (the form every backend without strata's kernels runs). */
function opsStep(z: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor, tf.Tensor] {
  const [zi, zf, zc, zo] = tf.split(z, 4, 1);
  const cNew = tf.add(tf.mul(tf.sigmoid(zf!), c), tf.mul(tf.sigmoid(zi!), tf.tanh(zc!)));
  return [tf.mul(tf.sigmoid(zo!), tf.tanh(cNew)), cNew];
}

/** The step on the active backend: strata's kernels where it has them. */
const step = (z: tf.Tensor2D, c: tf.Tensor2D) => lstmGates(z, c) ?? opsStep(z, c);

describe('StrataLstmGates', () => {
  it('is what wasm runs, and cpu has no such kernel', async () => {
    await setBackend('cpu');
    expect(lstmGates(tf.zeros([2, 8]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D)).toBeUndefined();
    await setBackend('wasm');
    const out = lstmGates(tf.zeros([2, 8]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D);
    expect(out).toBeDefined();
    // z = 0: every gate 0.5, g = 0, so c' = 0 and h = 0.
    expect(Array.from(out![0].dataSync())).toEqual([0, 0, 0, 0]);
    tf.dispose(out!);
  });

  it('values and gradients (to z and c, from h and c\', or from h alone) match the tfjs ops on cpu', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 10_000 }), fc.boolean(), async (b, u, seed, both) => {
        const f = () => {
          const z = tf.mul(seeded([b, 4 * u], seed), 4) as tf.Tensor2D;
          const c = tf.mul(seeded([b, u], seed + 1), 2) as tf.Tensor2D;
          const [wh, wc] = [seeded([b, u], seed + 2), seeded([b, u], seed + 3)];
          const loss = (zz: tf.Tensor, cc: tf.Tensor) => {
            const [h, cNew] = step(zz as tf.Tensor2D, cc as tf.Tensor2D);
            const fromH = tf.sum(tf.mul(h, wh));
            return (both ? tf.add(fromH, tf.sum(tf.mul(cNew, wc))) : fromH) as tf.Scalar;
          };
          return [...step(z, c), ...tf.grads(loss)([z, c])];
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

  it('an LSTM layer on wasm runs it, and trains as on cpu', async () => {
    const st = await import('../../src/index.js');
    await expectTrainsOnWasmAsOnCpu(() => [st.layers.input({ shape: [5, 3] }), st.layers.lstm({ units: 8 }), st.layers.dense({ units: 1 })], 'StrataLstmGates');
  });
});
