import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../engine/st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function mlp(seed = 1): st.SequentialNetwork {
  return st.sequential([
    st.layers.input({ shape: [5] }),
    st.layers.dense({ units: 4, activation: 'relu', kernelInitializer: st.initializers.glorotUniform({ seed }) }),
    st.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: st.initializers.glorotUniform({ seed: seed + 1 }) }),
    st.layers.dense({ units: 2, kernelInitializer: st.initializers.glorotUniform({ seed: seed + 2 }) }),
  ]);
}

const values = (t: st.tf.Tensor) => Array.from(t.dataSync());

describe('getLayer', () => {
  it('finds layers by name and by index (negative from the end)', () => {
    const net = mlp();
    const [a, b, c] = net.layers;
    expect(net.getLayer('dense')).toBe(a);
    expect(net.getLayer('dense_1')).toBe(b);
    expect(net.getLayer(2)).toBe(c);
    expect(net.getLayer(-1)).toBe(c);
    expect(net.getLayer(0)).toBe(net.getLayer('dense'));
    net.dispose();
  });

  it('in a functional model, inputs are layers too', () => {
    const x = st.layers.input({ shape: [3], name: 'features' });
    const y = st.layers.dense({ units: 2, name: 'out' }).apply(x);
    const net = st.model({ inputs: x, outputs: y });
    expect(net.getLayer('features').className).toBe('InputLayer');
    expect(net.getLayer(0).name).toBe('features');
    expect(net.getLayer('out')).toBe(y.sourceLayer);
    net.dispose();
  });
});

describe('weights', () => {
  it('lists every weight in layer order, all trainable by default', () => {
    const net = mlp();
    expect(net.weights.map((w) => [w.name, w.shape])).toEqual([
      ['dense/kernel', [5, 4]], ['dense/bias', [4]],
      ['dense_1/kernel', [4, 3]], ['dense_1/bias', [3]],
      ['dense_2/kernel', [3, 2]], ['dense_2/bias', [2]],
    ]);
    expect(net.trainableWeights).toEqual(net.weights);
    expect(net.nonTrainableWeights).toEqual([]);
    net.dispose();
  });

  it('a frozen layer moves its weights to nonTrainableWeights', () => {
    const net = mlp();
    net.getLayer('dense_1').trainable = false;
    expect(net.trainableWeights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias', 'dense_2/kernel', 'dense_2/bias']);
    expect(net.nonTrainableWeights.map((w) => w.name)).toEqual(['dense_1/kernel', 'dense_1/bias']);
    expect(net.weights.filter((w) => w.trainable).map((w) => w.name)).toEqual(net.trainableWeights.map((w) => w.name));
    net.dispose();
  });

  it('a shared layer contributes its weights once', () => {
    const a = st.layers.input({ shape: [3] });
    const b = st.layers.input({ shape: [3] });
    const shared = st.layers.dense({ units: 2 });
    const net = st.model({ inputs: [a, b], outputs: [shared.apply(a), shared.apply(b)] });
    expect(net.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
    expect(net.countParams()).toBe(8);
    net.dispose();
  });
});

describe('getWeights / setWeights', () => {
  it('round trip: another model given these weights predicts the same', () => {
    const src = mlp(1);
    const dst = mlp(10);
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 3);
    const before = dst.predict(x) as st.tf.Tensor;
    const ws = src.getWeights();
    dst.setWeights(ws);
    const a = src.predict(x) as st.tf.Tensor;
    const b = dst.predict(x) as st.tf.Tensor;
    expect(values(b)).toEqual(values(a));
    expect(values(before)).not.toEqual(values(a));
    dst.getWeights().forEach((w, i) => {
      expect(values(w)).toEqual(values(ws[i]!));
      w.dispose();
    });
    tf.dispose([x, before, a, b, ...ws]);
    src.dispose();
    dst.dispose();
  });

  it('getWeights returns copies the caller owns; setWeights keeps no reference to its arguments', () => {
    const net = mlp();
    const n0 = tf.memory().numTensors;
    const ws = net.getWeights();
    expect(tf.memory().numTensors).toBe(n0 + ws.length);
    expect(ws).toHaveLength(6);
    const kernel0 = values(ws[0]!);
    net.setWeights(ws.map((w) => tf.zerosLike(w)).map((z, i) => (ws[i]!.dispose(), z)));
    // The zeros were handed over; the model holds their values, not the tensors.
    expect(tf.memory().numTensors).toBe(n0 + 6);
    const zeros = net.getWeights();
    expect(zeros.every((w) => values(w).every((v) => v === 0))).toBe(true);
    tf.dispose(zeros);
    const restore = [tf.tensor(kernel0, [5, 4]), ...net.weights.slice(1).map((w) => tf.ones(w.shape))];
    net.setWeights(restore);
    tf.dispose(restore);
    expect(values(net.weights[0]!.read())).toEqual(kernel0);
    expect(values(net.weights[1]!.read())).toEqual([1, 1, 1, 1]);
    net.dispose();
  });

  it('a failed setWeights changes nothing', () => {
    const net = mlp();
    const before = net.getWeights();
    const bad = net.weights.map((w, i) => (i === 4 ? tf.zeros([2, 3]) : tf.ones(w.shape)));
    expect(() => net.setWeights(bad)).toThrow(st.ShapeError);
    net.weights.forEach((w, i) => expect(values(w.read())).toEqual(values(before[i]!)));
    tf.dispose([...before, ...bad]);
    net.dispose();
  });
});
