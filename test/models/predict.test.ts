import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../engine/st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function mlp(seed = 1): st.SequentialNetwork {
  return st.sequential([
    st.layers.input({ shape: [6] }),
    st.layers.dense({ units: 5, activation: 'relu', kernelInitializer: st.initializers.glorotUniform({ seed }) }),
    st.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: seed + 1 }) }),
  ]);
}

/** Two inputs, two outputs. */
function twoHeads(): st.FunctionalNetwork {
  const a = st.layers.input({ shape: [4] });
  const b = st.layers.input({ shape: [2] });
  const h = st.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: st.initializers.glorotUniform({ seed: 5 }) }).apply(a);
  const g = st.layers.dense({ units: 3, kernelInitializer: st.initializers.glorotUniform({ seed: 6 }) }).apply(b);
  const out1 = st.layers.dense({ units: 2, kernelInitializer: st.initializers.glorotUniform({ seed: 7 }) }).apply(h);
  return st.model({ inputs: [a, b], outputs: [out1, g] });
}

/** The same forward pass by hand: tf ops on the model's own weights. */
function byHand(net: st.SequentialNetwork, x: st.tf.Tensor): st.tf.Tensor {
  return tf.tidy(() => {
    const [k1, b1, k2, b2] = net.weights.map((w) => w.read());
    const h = tf.relu(tf.add(tf.matMul(x, k1!), b1!));
    return tf.softmax(tf.add(tf.matMul(h, k2!), b2!));
  });
}

function expectAllClose(a: st.tf.Tensor, b: st.tf.Tensor, tol = 1e-6): void {
  expect(a.shape).toEqual(b.shape);
  const av = a.dataSync();
  const bv = b.dataSync();
  av.forEach((v, i) => expect(Math.abs(v - bv[i]!)).toBeLessThanOrEqual(tol));
}

describe('predict', () => {
  it('batched predict equals one unbatched forward pass, for any n and batchSize', () => {
    const net = mlp();
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 40 }), fc.nat(1000), (n, batchSize, seed) => {
      const x = tf.randomNormal([n, 6], 0, 1, 'float32', seed);
      const batched = net.predict(x, { batchSize }) as st.tf.Tensor;
      const whole = net.apply(x) as st.tf.Tensor;
      const manual = byHand(net, x);
      expect(batched.shape).toEqual([n, 3]);
      expectAllClose(batched, whole);
      expectAllClose(batched, manual, 1e-5);
      tf.dispose([x, batched, whole, manual]);
    }), { numRuns: 15 });
    net.dispose();
  });

  it('only the output stays allocated: n a multiple of batchSize or not, or a single batch', () => {
    const net = mlp();
    const x = tf.randomNormal([70, 6], 0, 1, 'float32', 2);
    for (const batchSize of [32, 7, 10, 70, 128]) {
      const n0 = tf.memory().numTensors;
      const y = net.predict(x, { batchSize }) as st.tf.Tensor;
      expect(tf.memory().numTensors, `batchSize ${batchSize}`).toBe(n0 + 1);
      y.dispose();
      expect(tf.memory().numTensors).toBe(n0);
    }
    x.dispose();
    net.dispose();
  });

  it('multi-output functional: a list of outputs, nothing else left behind', () => {
    const net = twoHeads();
    const a = tf.randomNormal([45, 4], 0, 1, 'float32', 3);
    const b = tf.randomNormal([45, 2], 0, 1, 'float32', 4);
    const n0 = tf.memory().numTensors;
    const outs = net.predict([a, b], { batchSize: 16 }) as st.tf.Tensor[];
    expect(tf.memory().numTensors).toBe(n0 + 2);
    expect(outs.map((t) => t.shape)).toEqual([[45, 2], [45, 3]]);
    const whole = net.apply([a, b]) as st.tf.Tensor[];
    outs.forEach((o, i) => expectAllClose(o, whole[i]!));
    tf.dispose([...outs, ...whole, a, b]);
    expect(tf.memory().numTensors).toBe(n0 - 2);
    net.dispose();
  });

  it('inputs with different sample counts are refused', () => {
    const net = twoHeads();
    const a = tf.zeros([5, 4]);
    const b = tf.zeros([4, 2]);
    expect(() => net.predict([a, b])).toThrow(/predict: inputs have different sample counts: 5, 4/);
    tf.dispose([a, b]);
    net.dispose();
  });

  it('a Sequential model without an input shape builds on its first data', () => {
    const net = st.sequential([st.layers.dense({ units: 4 }), st.layers.dense({ units: 2 })]);
    expect(net.built).toBe(false);
    const x = tf.ones([3, 7]);
    const y = net.predict(x) as st.tf.Tensor;
    expect(y.shape).toEqual([3, 2]);
    expect(net.weights.map((w) => w.shape)).toEqual([[7, 4], [4], [4, 2], [2]]);
    tf.dispose([x, y]);
    net.dispose();
  });
});

describe('dispose', () => {
  it("frees the model's variables: numTensors drops back", () => {
    const n0 = tf.memory().numTensors;
    const net = mlp();
    expect(tf.memory().numTensors).toBe(n0 + 4);
    const x = tf.ones([2, 6]);
    tf.dispose(net.predict(x) as st.tf.Tensor);
    x.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(n0);
  });

  it('frees every weight of a functional model, shared layers once', () => {
    const n0 = tf.memory().numTensors;
    const a = st.layers.input({ shape: [3] });
    const b = st.layers.input({ shape: [3] });
    const shared = st.layers.dense({ units: 2 });
    const net = st.model({ inputs: [a, b], outputs: [shared.apply(a), st.layers.dense({ units: 1 }).apply(shared.apply(b))] });
    expect(tf.memory().numTensors).toBe(n0 + 4);
    net.dispose();
    expect(tf.memory().numTensors).toBe(n0);
  });
});

describe('a model used as a layer', () => {
  it('a Sequential model inside a Sequential model', () => {
    const inner = st.sequential([st.layers.input({ shape: [6] }), st.layers.dense({ units: 4, activation: 'tanh' })], { name: 'encoder' });
    const outer = st.sequential([st.layers.input({ shape: [6] }), inner, st.layers.dense({ units: 2 })]);
    expect(outer.layers.map((l) => l.name)).toEqual(['encoder', 'dense']);
    expect(outer.weights).toEqual([...inner.weights, ...outer.getLayer('dense').weights]);
    expect(outer.countParams()).toBe(28 + 10);
    const x = tf.randomNormal([5, 6], 0, 1, 'float32', 8);
    const n0 = tf.memory().numTensors;
    const y = outer.predict(x, { batchSize: 2 }) as st.tf.Tensor;
    expect(tf.memory().numTensors).toBe(n0 + 1);
    const h = inner.predict(x) as st.tf.Tensor;
    const expected = outer.getLayer('dense').apply(h) as st.tf.Tensor;
    expectAllClose(y, expected);
    tf.dispose([x, y, h, expected]);
    outer.freeze('encoder');
    expect(inner.trainable).toBe(false);
    expect(outer.trainableWeights).toHaveLength(2);
    outer.dispose();
  });

  it('two unnamed Sequential models inside one model get distinct names', () => {
    const block = () => st.sequential([st.layers.dense({ units: 3, inputShape: [3] })]);
    const outer = st.sequential([block(), block()]);
    expect(outer.layers.map((l) => l.name)).toEqual(['sequential', 'sequential_1']);
    const x = tf.ones([2, 3]);
    const y = outer.predict(x) as st.tf.Tensor;
    expect(y.shape).toEqual([2, 3]);
    tf.dispose([x, y]);
    outer.dispose();
  });

  it('a functional model applied to symbolic tensors of another functional model', () => {
    const innerIn = st.layers.input({ shape: [4] });
    const inner = st.model({ inputs: innerIn, outputs: st.layers.dense({ units: 3, activation: 'relu' }).apply(innerIn), name: 'tower' });
    const a = st.layers.input({ shape: [4] });
    const b = st.layers.input({ shape: [4] });
    // The tower is shared: applied to both inputs, one set of weights.
    const ta = inner.apply(a);
    const tb = inner.apply(b);
    const head = st.layers.dense({ units: 1 });
    const outer = st.model({ inputs: [a, b], outputs: [head.apply(ta), tb] });
    expect(outer.weights).toHaveLength(4);
    expect(outer.countParams()).toBe(15 + 4);
    const xa = tf.randomNormal([3, 4], 0, 1, 'float32', 1);
    const xb = tf.randomNormal([3, 4], 0, 1, 'float32', 2);
    const [ya, yb] = outer.predict([xa, xb]) as st.tf.Tensor[];
    const ea = head.apply(inner.apply(xa) as st.tf.Tensor) as st.tf.Tensor;
    const eb = inner.apply(xb) as st.tf.Tensor;
    expectAllClose(ya!, ea);
    expectAllClose(yb!, eb);
    const lines: string[] = [];
    outer.summary({ printFn: (l) => lines.push(l) });
    expect(lines.find((l) => l.startsWith('tower (Functional)'))).toMatch(/15\s+input\[0\]\[0\]$/);
    tf.dispose([xa, xb, ya!, yb!, ea, eb]);
    outer.dispose();
  });
});
