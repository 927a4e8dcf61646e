import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

describe('functional models with several inputs and outputs', () => {
  it('trains a 2-input / 2-output model and logs per-output losses', async () => {
    const a = st.layers.input({ shape: [3], name: 'a' });
    const b = st.layers.input({ shape: [2], name: 'b' });
    const merged = st.layers.dense({ units: 8, activation: 'relu' }).apply(a);
    const other = st.layers.dense({ units: 8, activation: 'relu' }).apply(b);
    const joined = st.layers.dense({ units: 8 }).apply(merged);
    const sum = new (class extends st.Layer {
      readonly className = 'AddTwo';
      call(xs: st.tf.Tensor | st.tf.Tensor[]) {
        const [p, q] = xs as st.tf.Tensor[];
        return tf.add(p!, q!);
      }
      override computeOutputShape(s: st.Shape | st.Shape[]) {
        return (s as st.Shape[])[0]!;
      }
    })().apply([joined, other]) as st.SymbolicTensor;
    const reg = st.layers.dense({ units: 1, name: 'reg' }).apply(sum);
    const cls = st.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(sum);
    const m = st.model({ inputs: [a, b], outputs: [reg, cls] });
    m.compile({
      optimizer: st.optimizers.adam({ learningRate: 0.01 }),
      loss: { reg: 'mse', cls: 'sparseCategoricalCrossentropy' },
      lossWeights: { reg: 1, cls: 0.5 },
      metrics: { cls: ['accuracy'], reg: [] },
    });
    const xa = tf.randomNormal([64, 3], 0, 1, 'float32', 1);
    const xb = tf.randomNormal([64, 2], 0, 1, 'float32', 2);
    const yReg = tf.tidy(() => tf.sum(xa, 1, true));
    const yCls = tf.tidy(() => tf.cast(tf.greater(tf.sum(xb, 1), 0), 'int32'));
    const h = await m.fit({ a: xa, b: xb }, [yReg, yCls], { epochs: 20, batchSize: 16, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['cls_accuracy', 'cls_loss', 'loss', 'reg_loss']);
    const last = h.history;
    expect(last.reg_loss![19]!).toBeLessThan(last.reg_loss![0]!);
    expect(last.cls_loss![19]!).toBeLessThan(last.cls_loss![0]!);
    // the total is the weighted sum of the outputs' losses
    expect(last.loss![19]!).toBeCloseTo(last.reg_loss![19]! + 0.5 * last.cls_loss![19]!, 4);
    tf.dispose([xa, xb, yReg, yCls]);
    m.dispose();
  });
});
