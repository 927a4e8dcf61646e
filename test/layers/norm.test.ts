import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import { constant } from '../../src/engine/initializers_api.js';
import { l2 } from '../../src/engine/regularizers.js';
import { BatchNormalization, batchNormalization } from '../../src/layers/norm/index.js';
import * as st from '../../src/index.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

layerHarness({ title: 'batchNormalization default', make: () => batchNormalization(), inputShape: [4, 3], trainable: true });
layerHarness({ title: 'batchNormalization image, momentum 0.9', make: () => batchNormalization({ momentum: 0.9 }), inputShape: [4, 3, 3, 2], trainable: true });
layerHarness({ title: 'batchNormalization axis 1, no center, l2 on gamma', make: () => batchNormalization({ axis: 1, center: false, gammaRegularizer: l2() }), inputShape: [4, 3, 5], trainable: true });

/** Per-channel mean and biased variance of `x` (plain JS, float64), channel on `axis`. */
function channelStats(x: tf.Tensor, axis: number): { mean: number[]; variance: number[] } {
  const data = x.dataSync();
  const shape = x.shape;
  const c = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const sums = new Array<number>(c).fill(0);
  const sq = new Array<number>(c).fill(0);
  const counts = new Array<number>(c).fill(0);
  data.forEach((v, i) => {
    const ch = Math.floor(i / inner) % c;
    sums[ch]! += v;
    counts[ch]! += 1;
  });
  const mean = sums.map((s, i) => s / counts[i]!);
  data.forEach((v, i) => {
    const ch = Math.floor(i / inner) % c;
    sq[ch]! += (v - mean[ch]!) ** 2;
  });
  return { mean, variance: sq.map((s, i) => s / counts[i]!) };
}

/** A batch whose channels have very different means and spreads. */
function skewedBatch(shape: number[], seed = 1): tf.Tensor {
  return tf.tidy(() => {
    const c = shape[shape.length - 1]!;
    const z = tf.randomNormal(shape, 0, 1, 'float32', seed);
    const scale = tf.tensor1d(Array.from({ length: c }, (_, i) => 0.5 + 2 * i));
    const shift = tf.tensor1d(Array.from({ length: c }, (_, i) => 5 - 4 * i));
    return tf.add(tf.mul(z, scale), shift);
  });
}

describe('BatchNormalization', () => {
  it('in training normalises each channel to ~zero mean and unit variance', () => {
    const bn = batchNormalization();
    const x = skewedBatch([64, 4]);
    const y = bn.apply(x, { training: true }) as tf.Tensor;
    const { mean, variance } = channelStats(y, 1);
    const xs = channelStats(x, 1);
    mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-4));
    variance.forEach((v, i) => expect(v).toBeCloseTo(xs.variance[i]! / (xs.variance[i]! + 1e-3), 3));
    variance.forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(5e-3));
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('moves the moving statistics by the momentum rule (exact after one and two steps)', () => {
    const bn = batchNormalization({ momentum: 0.8, movingMeanInitializer: constant({ value: 0.5 }), movingVarianceInitializer: constant({ value: 2 }) });
    const x1 = skewedBatch([16, 3], 1);
    const x2 = skewedBatch([16, 3], 2);
    tf.dispose(bn.apply(x1, { training: true }));
    const s1 = channelStats(x1, 1);
    const mm1 = s1.mean.map((m) => 0.5 * 0.8 + m * 0.2);
    const mv1 = s1.variance.map((v) => 2 * 0.8 + v * 0.2);
    const [, , movingMean, movingVar] = bn.weights;
    expect(movingMean!.shortName).toBe('moving_mean');
    expect(movingVar!.shortName).toBe('moving_variance');
    Array.from(movingMean!.read().dataSync()).forEach((v, i) => expect(v).toBeCloseTo(mm1[i]!, 4));
    Array.from(movingVar!.read().dataSync()).forEach((v, i) => expect(v).toBeCloseTo(mv1[i]!, 4));
    tf.dispose(bn.apply(x2, { training: true }));
    const s2 = channelStats(x2, 1);
    Array.from(movingMean!.read().dataSync()).forEach((v, i) => expect(v).toBeCloseTo(mm1[i]! * 0.8 + s2.mean[i]! * 0.2, 4));
    Array.from(movingVar!.read().dataSync()).forEach((v, i) => expect(v).toBeCloseTo(mv1[i]! * 0.8 + s2.variance[i]! * 0.2, 4));
    tf.dispose([x1, x2]);
    bn.dispose();
  });

  it('normalises over every axis but a channels-first axis', () => {
    const bn = batchNormalization({ axis: 1, momentum: 0.5 });
    const x = tf.tidy(() => tf.transpose(skewedBatch([4, 2, 5, 3], 3), [0, 3, 1, 2]));
    const y = bn.apply(x, { training: true }) as tf.Tensor;
    expect(y.shape).toEqual([4, 3, 2, 5]);
    const ys = channelStats(y, 1);
    ys.mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-4));
    const xs = channelStats(x, 1);
    ys.variance.forEach((v, i) => expect(v).toBeCloseTo(xs.variance[i]! / (xs.variance[i]! + 1e-3), 3));
    const mm = bn.weights.find((w) => w.shortName === 'moving_mean')!;
    Array.from(mm.read().dataSync()).forEach((v, i) => expect(v).toBeCloseTo(xs.mean[i]! * 0.5, 4));
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('in inference uses the moving statistics, gamma and beta', () => {
    const bn = batchNormalization({ epsilon: 0.01 });
    const x = skewedBatch([5, 2], 4);
    tf.dispose(bn.apply(x));
    const set = (name: string, v: number[]) => bn.weights.find((w) => w.shortName === name)!.write(tf.tensor1d(v));
    const [mm, mv, g, b] = [[1, -2], [4, 0.25], [2, -1], [0.5, 3]];
    tf.tidy(() => { set('moving_mean', mm!); set('moving_variance', mv!); set('gamma', g!); set('beta', b!); });
    const y = bn.apply(x) as tf.Tensor2D;
    const xv = x.arraySync() as number[][];
    y.arraySync().forEach((row, r) => row.forEach((v, c) => {
      expect(v).toBeCloseTo(g![c]! * (xv[r]![c]! - mm![c]!) / Math.sqrt(mv![c]! + 0.01) + b![c]!, 4);
    }));
    // Inference leaves the statistics alone.
    expect(Array.from(bn.weights.find((w) => w.shortName === 'moving_mean')!.read().dataSync())).toEqual(mm);
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('a frozen layer runs in inference mode and keeps its statistics, even with training: true', () => {
    const bn = batchNormalization({ momentum: 0.5 });
    const x = skewedBatch([8, 3], 5);
    tf.dispose(bn.apply(x, { training: true }));
    bn.trainable = false;
    const before = bn.weights.map((w) => Array.from(w.read().dataSync()));
    const yTrain = bn.apply(x, { training: true }) as tf.Tensor;
    const yInfer = bn.apply(x, { training: false }) as tf.Tensor;
    expect(Array.from(yTrain.dataSync())).toEqual(Array.from(yInfer.dataSync()));
    bn.weights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(before[i]));
    bn.trainable = true;
    tf.dispose(bn.apply(x, { training: true }));
    const mm = bn.weights.find((w) => w.shortName === 'moving_mean')!;
    expect(Array.from(mm.read().dataSync())).not.toEqual(before[2]);
    tf.dispose([x, yTrain, yInfer]);
    bn.dispose();
  });

  it('updates its statistics inside a gradient computation without breaking gradients or leaking', () => {
    const bn = batchNormalization({ momentum: 0.5 });
    const x = skewedBatch([8, 3], 6);
    tf.dispose(bn.apply(x));
    const n0 = tf.memory().numTensors;
    const [gamma, beta] = bn.trainableWeights;
    const { value, grads } = tf.variableGrads(() => {
      const y = bn.apply(x, { training: true }) as tf.Tensor;
      return tf.sum(tf.mul(y, tf.linspace(0.5, 2, 3))) as tf.Scalar;
    }, [gamma!.read(), beta!.read()]);
    // d/d(beta) of sum(y·w) is the column sum of w: 8 rows.
    Array.from(grads[beta!.read().name]!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(8 * [0.5, 1.25, 2][i]!, 4));
    // The normalised columns sum to zero, so gamma's gradient is ~0 while beta's is not.
    Array.from(grads[gamma!.read().name]!.dataSync()).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-3));
    const mm = bn.weights.find((w) => w.shortName === 'moving_mean')!;
    const expected = channelStats(x, 1).mean.map((m) => m * 0.5);
    Array.from(mm.read().dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(n0);
    x.dispose();
    bn.dispose();
  });

  it('has gamma, beta trainable and the moving statistics non-trainable; center/scale drop weights', () => {
    const bn = batchNormalization();
    const x = tf.ones([2, 5]);
    tf.dispose(bn.apply(x));
    expect(bn.weights.map((w) => w.shortName)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(bn.trainableWeights.map((w) => w.shortName)).toEqual(['gamma', 'beta']);
    expect(bn.nonTrainableWeights.map((w) => w.shortName)).toEqual(['moving_mean', 'moving_variance']);
    expect(bn.countParams()).toBe(20);
    const bare = batchNormalization({ center: false, scale: false });
    const y = bare.apply(x, { training: true }) as tf.Tensor;
    expect(bare.weights.map((w) => w.shortName)).toEqual(['moving_mean', 'moving_variance']);
    expect(bare.trainableWeights).toHaveLength(0);
    tf.dispose([x, y]);
    bn.dispose();
    bare.dispose();
  });

  it('adds the regularization penalty of gamma and beta', () => {
    const bn = batchNormalization({ gammaRegularizer: l2({ l2: 0.5 }), betaRegularizer: 'l1', betaInitializer: constant({ value: -2 }) });
    const x = tf.ones([2, 3]);
    tf.dispose(bn.apply(x));
    const losses = bn.regularizationLosses();
    // gamma = ones(3): 0.5·3; beta = -2·ones(3): 0.01·6.
    expect(losses.map((l) => l.dataSync()[0]!).sort((a, b) => a - b)).toEqual([expect.closeTo(0.06, 6), expect.closeTo(1.5, 6)]);
    tf.dispose([x, ...losses]);
    bn.dispose();
  });

  it('rejects bad options and inputs, naming the layer and the argument', () => {
    expect(() => batchNormalization({ momentum: 1.5, name: 'bn' })).toThrow(/BatchNormalization 'bn'.*'momentum'/);
    expect(() => batchNormalization({ epsilon: 0 })).toThrow(ValueError);
    expect(() => batchNormalization({ axis: 0.5 })).toThrow(/'axis'/);
    expect(() => batchNormalization({ gammaInitializer: 'nope' as 'zeros' })).toThrow(ValueError);
    const x = tf.ones([2, 3]);
    expect(() => batchNormalization({ axis: 0 }).apply(x)).toThrow(/'axis' 0/);
    expect(() => batchNormalization({ axis: 2 }).apply(x)).toThrow(ValueError);
    const bn = batchNormalization({ name: 'bn' });
    tf.dispose(bn.apply(x));
    const wrong = tf.ones([2, 4]);
    expect(() => bn.apply(wrong)).toThrow(ShapeError);
    expect(() => bn.apply(wrong)).toThrow(/BatchNormalization 'bn'/);
    tf.dispose([x, wrong]);
    bn.dispose();
  });

  it('round-trips a non-default config', () => {
    const bn = batchNormalization({ axis: 1, momentum: 0.9, epsilon: 1e-5, center: false, gammaInitializer: constant({ value: 0.5 }), gammaRegularizer: l2() });
    const cfg = JSON.parse(JSON.stringify(bn.getConfig()));
    expect(cfg).toMatchObject({ axis: 1, momentum: 0.9, epsilon: 1e-5, center: false, scale: true });
    expect(new BatchNormalization(cfg).getConfig()).toEqual(bn.getConfig());
  });

  it('inside fit updates its statistics, and when frozen keeps them and its gamma/beta (Keras semantics)', async () => {
    const bn = batchNormalization({ momentum: 0.5 });
    const dense = st.layers.dense({ units: 3 });
    const net = st.sequential([st.layers.input({ shape: [4] }), dense, bn]);
    net.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tf.randomNormal([16, 4], 0, 1, 'float32', 8);
    const y = tf.randomNormal([16, 3], 0, 1, 'float32', 9);
    const snap = () => bn.weights.map((w) => Array.from(w.read().dataSync()));
    const s0 = snap();
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const s1 = snap();
    s1.forEach((v, i) => expect(v, bn.weights[i]!.shortName).not.toEqual(s0[i]));
    bn.trainable = false;
    const kernel = Array.from(dense.weights[0]!.read().dataSync());
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    snap().forEach((v, i) => expect(v, bn.weights[i]!.shortName).toEqual(s1[i]));
    expect(Array.from(dense.weights[0]!.read().dataSync())).not.toEqual(kernel);
    tf.dispose([x, y]);
    net.dispose();
  });
});
