/**
 * `layer.getWeights()` / `layer.setWeights()` (and on models), as in Keras and tfjs-layers,
 * with numbers from Keras' own tests, and a `file://` save/load round trip that gives
 * bit-identical predictions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;
let root: string;

beforeAll(async () => {
  await st.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-weights-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('layer.setWeights / getWeights', () => {
  // keras/src/layers/core/dense_test.py, test_dense_correctness: kernel [[1,-2],[3,-4]], bias
  // [5,-6], relu, input [[-1,2]] → [[10, 0]]; without bias → [[5, -6]].
  it('Dense with set weights computes what Keras computes (dense_test.py test_dense_correctness)', () => {
    const before = tf.memory().numTensors;
    const d = st.layers.dense({ units: 2, activation: 'relu' });
    const x = tf.tensor2d([[-1, 2]]);
    tf.dispose(d.apply(x) as st.tf.Tensor); // builds
    const k = tf.tensor2d([[1, -2], [3, -4]]);
    const b = tf.tensor1d([5, -6]);
    d.setWeights([k, b]);
    const y = d.apply(x) as st.tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([10, 0]);
    const noBias = st.layers.dense({ units: 2, useBias: false, inputShape: [2] });
    const m = st.sequential([noBias]);
    noBias.setWeights([k]);
    const y2 = m.predict(x) as st.tf.Tensor;
    expect(Array.from(y2.dataSync())).toEqual([5, -6]);
    const got = d.getWeights();
    expect(got.map((t) => t.shape)).toEqual([[2, 2], [2]]);
    expect(Array.from(got[0]!.dataSync())).toEqual([1, -2, 3, -4]);
    expect(Array.from(got[1]!.dataSync())).toEqual([5, -6]);
    // Copies: changing the layer leaves them alone.
    const zeros = [tf.zerosLike(k), tf.zerosLike(b)];
    d.setWeights(zeros);
    expect(Array.from(got[0]!.dataSync())).toEqual([1, -2, 3, -4]);
    tf.dispose([x, k, b, y, y2, ...got, ...zeros]);
    d.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('BatchNormalization lists gamma, beta, moving mean, moving variance, as Keras does', () => {
    const bn = st.layers.batchNormalization({ inputShape: [3] });
    const m = st.sequential([bn]);
    const ws = bn.getWeights();
    expect(bn.weights.map((w) => w.name.split('/').pop())).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(ws.map((t) => Array.from(t.dataSync()))).toEqual([[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
    tf.dispose(ws);
    m.dispose();
  });

  it('int32 values are cast to float32', () => {
    const d = st.layers.dense({ units: 1, inputShape: [2] });
    const m = st.sequential([d]);
    const k = tf.tensor2d([[2], [3]], undefined, 'int32');
    const b = tf.tensor1d([1], 'int32');
    d.setWeights([k, b]);
    const x = tf.tensor2d([[1, 1]]);
    const y = m.predict(x) as st.tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([6]);
    tf.dispose([k, b, x, y]);
    m.dispose();
  });

  it('a wrong count, shape or value type is a clear error and assigns nothing', () => {
    const d = st.layers.dense({ units: 2, inputShape: [3], name: 'probe' });
    const m = st.sequential([d]);
    const good = d.getWeights();
    const wrong = tf.zeros([2]);
    const zero = tf.zeros([3, 2]);
    const bias3 = tf.zeros([3]);
    const bias12 = tf.zeros([1, 2]);
    const before = tf.memory().numTensors;
    expect(() => d.setWeights([good[0]!])).toThrow(st.ValueError);
    expect(() => d.setWeights([good[0]!])).toThrow(/Dense 'probe'\.setWeights: expected 2 tensors \(one per weight: .*kernel.*bias\); got 1/);
    expect(() => d.setWeights([zero, bias3])).toThrow(st.ShapeError);
    expect(() => d.setWeights([zero, bias12])).toThrow(/weight '.*bias' has shape \[2\], got \[1,2\] \(value 1\)/);
    // The kernel was not assigned, although it was valid: checks run before any write.
    const now = d.getWeights();
    expect(Array.from(now[0]!.dataSync())).toEqual(Array.from(good[0]!.dataSync()));
    expect(() => d.setWeights([zero, [0, 0] as unknown as st.tf.Tensor])).toThrow(/value 1 for weight '.*bias' must be a tensor; got object/);
    tf.dispose(now);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...good, wrong, zero, bias3, bias12]);
    m.dispose();
  });

  it('an unbuilt layer has no weights and refuses values', () => {
    const d = st.layers.dense({ units: 2 });
    expect(d.getWeights()).toEqual([]);
    const t = tf.zeros([1, 2]);
    expect(() => d.setWeights([t])).toThrow(st.StateError);
    expect(() => d.setWeights([t])).toThrow(/not built/);
    d.setWeights([]);
    t.dispose();
    d.dispose();
  });

  it('models set and get all layers\' weights in order', () => {
    const a = st.sequential([st.layers.dense({ units: 4, inputShape: [3] }), st.layers.dense({ units: 2 })]);
    const b = st.sequential([st.layers.dense({ units: 4, inputShape: [3] }), st.layers.dense({ units: 2 })]);
    const ws = a.getWeights();
    b.setWeights(ws);
    const x = tf.randomNormal([5, 3]);
    const ya = a.predict(x) as st.tf.Tensor;
    const yb = b.predict(x) as st.tf.Tensor;
    expect(Array.from(yb.dataSync())).toEqual(Array.from(ya.dataSync()));
    const inner = b.layers[1]!.getWeights();
    expect(Array.from(inner[0]!.dataSync())).toEqual(Array.from(ws[2]!.dataSync()));
    tf.dispose([...ws, ...inner, x, ya, yb]);
    a.dispose();
    b.dispose();
  });
});

describe('file:// round trip', () => {
  async function mlp(): Promise<st.Sequential> {
    const m = st.sequential([
      st.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
      st.layers.dense({ units: 256, activation: 'relu' }),
      st.layers.dense({ units: 10, activation: 'softmax' }),
    ]);
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = tf.randomNormal([32, 784], 0, 1, 'float32', 7);
    const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10));
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    tf.dispose([x, y]);
    return m;
  }

  for (const where of ['model.json directory', '.keras file']) {
    it(`a trained 784-256-256-10 MLP predicts bit-identically after a ${where} round trip`, async () => {
      const m = await mlp();
      const url = `file://${path.join(root, where === '.keras file' ? 'mlp.keras' : 'mlp')}`;
      await st.saveModel(m, url);
      const back = await st.loadModel(url);
      const x = tf.randomNormal([64, 784], 0, 1, 'float32', 11);
      const y1 = m.predict(x) as st.tf.Tensor;
      const y2 = back.predict(x) as st.tf.Tensor;
      expect(Array.from(y2.dataSync())).toEqual(Array.from(y1.dataSync()));
      tf.dispose([x, y1, y2]);
      m.dispose();
      back.dispose();
    });
  }
});
