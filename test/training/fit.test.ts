import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function linearData(n: number, seed = 1) {
  const x = tf.randomUniform([n, 1], -1, 1, 'float32', seed);
  const y = tf.tidy(() => tf.add(tf.mul(x, 3), 2));
  return { x, y };
}

function tinyRegressor() {
  const net = st.sequential([st.layers.dense({ units: 1, inputShape: [1], kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) })]);
  net.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  return net;
}

/** A layer that records the ctx.training flag it was called with. */
class Spy extends st.Layer {
  readonly className = 'Spy';
  seen: boolean[] = [];
  call(inputs: st.tf.Tensor | st.tf.Tensor[], ctx: st.CallContext): st.tf.Tensor {
    this.seen.push(ctx.training);
    return st.tf.clone(Array.isArray(inputs) ? inputs[0]! : inputs);
  }
}

describe('fit', () => {
  it('learns y = 3x + 2 within 0.1 and returns a History', async () => {
    const { x, y } = linearData(256);
    const net = tinyRegressor();
    const h = await net.fit(x, y, { epochs: 30, batchSize: 32, verbose: 0 });
    expect(h.epoch).toHaveLength(30);
    expect(h.history.loss![29]!).toBeLessThan(h.history.loss![0]!);
    const [w, b] = net.getWeights();
    expect(Math.abs(w!.dataSync()[0]! - 3)).toBeLessThan(0.1);
    expect(Math.abs(b!.dataSync()[0]! - 2)).toBeLessThan(0.1);
    tf.dispose([x, y, w!, b!]);
    net.dispose();
  });

  it('runs layers with ctx.training true in fit, false in evaluate and predict', async () => {
    const spy = new Spy();
    const net = st.sequential([st.layers.dense({ units: 1, inputShape: [1] }), spy]);
    net.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = linearData(8);
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(spy.seen).toEqual([true]);
    spy.seen = [];
    await net.evaluate(x, y);
    tf.dispose(net.predict(x));
    expect(spy.seen).toEqual([false, false]);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('leaks no tensors across epochs, nor from evaluate and predict', async () => {
    const { x, y } = linearData(100);
    const net = tinyRegressor();
    const counts: number[] = [];
    await net.fit(x, y, {
      epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.2,
      callbacks: [{ onEpochEnd: () => { counts.push(tf.memory().numTensors); } }],
    });
    expect(counts[1]).toBe(counts[0]);
    expect(counts[2]).toBe(counts[0]);
    const before = tf.memory().numTensors;
    await net.evaluate(x, y, { batchSize: 7 });
    expect(tf.memory().numTensors).toBe(before);
    const p = net.predict(x, { batchSize: 7 });
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([p as st.tf.Tensor, x, y]);
    net.dispose();
  });

  it('refuses a second fit while one runs', async () => {
    const { x, y } = linearData(64);
    const net = tinyRegressor();
    const first = net.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    await expect(net.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(st.StateError);
    await first;
    tf.dispose([x, y]);
    net.dispose();
  });

  it('takes the validation split from the last samples, before shuffling', async () => {
    const { x, y } = linearData(100);
    const net = tinyRegressor();
    const h = await net.fit(x, y, { epochs: 2, batchSize: 10, validationSplit: 0.3, verbose: 0 });
    const lastX = tf.slice(x, [70, 0], [30, 1]);
    const lastY = tf.slice(y, [70, 0], [30, 1]);
    const scores = await net.evaluate(lastX, lastY);
    expect(h.history.val_loss![1]).toBeCloseTo(scores.loss!, 5);
    tf.dispose([x, y, lastX, lastY]);
    net.dispose();
  });

  it('stops when a callback sets stopTraining', async () => {
    const { x, y } = linearData(32);
    const net = tinyRegressor();
    const h = await net.fit(x, y, {
      epochs: 10, verbose: 0,
      callbacks: [{ onEpochEnd: (epoch: number) => { if (epoch === 2) net.stopTraining = true; } }],
    });
    expect(h.epoch).toEqual([0, 1, 2]);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('adds regularization losses to the loss', async () => {
    const net = st.sequential([st.layers.dense({ units: 1, inputShape: [2], kernelRegularizer: st.regularizers.l2({ l2: 0.5 }), kernelInitializer: st.initializers.constant({ value: 1 }), useBias: false })]);
    net.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d([[1, 0], [0, 1]]);
    const y = tf.tensor2d([[1], [1]]);
    const scores = await net.evaluate(x, y);
    // predictions equal targets, so the loss is the penalty alone: 0.5 * (1 + 1)
    expect(scores.loss).toBeCloseTo(1, 6);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('weights samples: zero weights leave the weights alone, the loss uses sum over batch size', async () => {
    const net = tinyRegressor();
    const x = tf.tensor2d([[1], [2]]);
    const y = tf.tensor2d([[0], [0]]);
    const before = net.getWeights().map((t) => Array.from(t.dataSync()));
    await net.trainOnBatch(x, y, { sampleWeight: tf.zeros([2]) });
    expect(net.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(before);
    const p = net.predict(x) as st.tf.Tensor;
    const [p0] = Array.from(p.dataSync());
    const sw = tf.tensor1d([1, 0]);
    const scores = await net.evaluate(x, y, { sampleWeight: sw });
    expect(scores.loss).toBeCloseTo((p0! * p0!) / 2, 5);
    tf.dispose([x, y, p, sw]);
    net.dispose();
  });

  it('freezing between two fit calls takes effect without recompiling', async () => {
    const { x, y } = linearData(32);
    const net = st.sequential([st.layers.dense({ units: 4, inputShape: [1] }), st.layers.dense({ units: 1 })]);
    net.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
    await net.fit(x, y, { epochs: 1, verbose: 0 });
    net.getLayer(0).trainable = false;
    const frozen = net.getLayer(0).weights.map((w) => Array.from(w.read().dataSync()));
    const head = net.getLayer(1).weights.map((w) => Array.from(w.read().dataSync()));
    await net.fit(x, y, { epochs: 2, verbose: 0 });
    expect(net.getLayer(0).weights.map((w) => Array.from(w.read().dataSync()))).toEqual(frozen);
    expect(net.getLayer(1).weights.map((w) => Array.from(w.read().dataSync()))).not.toEqual(head);
    tf.dispose([x, y]);
    net.dispose();
  });
});

describe('fit seed', () => {
  // A noisy target, so the order of the batches changes where SGD ends.
  function noisy() {
    const { x, y } = linearData(64, 3);
    const yn = tf.tidy(() => tf.add(y, tf.randomNormal(y.shape, 0, 0.5, 'float32', 4)));
    y.dispose();
    return { x, y: yn };
  }
  const weightsAfter = async (runs: st.FitOptions[]) => {
    const { x, y } = noisy();
    const net = tinyRegressor();
    for (const opts of runs) await net.fit(x, y, { batchSize: 8, verbose: 0, ...opts });
    const values = net.getWeights().map((w) => Array.from(w.dataSync()));
    tf.dispose([x, y]);
    net.dispose();
    return values;
  };

  it('repeats the batch order for the same seed, and changes it for another', async () => {
    const a = await weightsAfter([{ epochs: 2, seed: 5 }]);
    expect(await weightsAfter([{ epochs: 2, seed: 5 }])).toEqual(a);
    expect(await weightsAfter([{ epochs: 2, seed: 6 }])).not.toEqual(a);
  });

  it('continues the same sequence of orders when resumed at initialEpoch', async () => {
    const whole = await weightsAfter([{ epochs: 2, seed: 5 }]);
    const resumed = await weightsAfter([{ epochs: 1, seed: 5 }, { epochs: 2, initialEpoch: 1, seed: 5 }]);
    expect(resumed).toEqual(whole);
  });

  it('rejects a seed that is not an integer, naming the option', async () => {
    const { x, y } = noisy();
    const net = tinyRegressor();
    await expect(net.fit(x, y, { epochs: 1, seed: 1.5, verbose: 0 })).rejects.toThrow(/'seed' must be an integer; got 1.5/);
    tf.dispose([x, y]);
    net.dispose();
  });
});
