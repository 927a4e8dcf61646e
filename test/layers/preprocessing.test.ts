import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, StateError, ValueError } from '../../src/engine/errors.js';
import { identity } from '../../src/layers/core/identity.js';
import { centerCrop, normalization, rescaling, resizing } from '../../src/layers/preprocessing/index.js';
import { cropping2d, permute } from '../../src/layers/reshape/index.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

layerHarness({ title: 'rescaling', make: () => rescaling({ scale: 1 / 255 }), inputShape: [2, 3, 4, 3], trainable: false });
layerHarness({ title: 'rescaling per channel', make: () => rescaling({ scale: [1, 2, 3], offset: [0, -1, 1] }), inputShape: [2, 3, 4, 3], trainable: false });
layerHarness({ title: 'normalization fixed', make: () => normalization({ mean: [1, 2], variance: [4, 9] }), inputShape: [3, 2], trainable: false });
layerHarness({ title: 'normalization adapt weights', make: () => normalization({ axis: [1, 2] }), inputShape: [2, 3, 2], trainable: false });
layerHarness({ title: 'normalization invert', make: () => normalization({ mean: 0.5, variance: 2, invert: true, axis: null }), inputShape: [2, 3], trainable: false });
layerHarness({ title: 'resizing bilinear', make: () => resizing({ height: 5, width: 3 }), inputShape: [2, 4, 4, 2], trainable: false });
layerHarness({ title: 'resizing nearest crop channelsFirst', make: () => resizing({ height: 2, width: 3, interpolation: 'nearest', cropToAspectRatio: true, dataFormat: 'channelsFirst' }), inputShape: [1, 2, 5, 4], trainable: false });
layerHarness({ title: 'centerCrop', make: () => centerCrop({ height: 2, width: 3 }), inputShape: [2, 5, 4, 2], trainable: false });
layerHarness({ title: 'centerCrop up', make: () => centerCrop({ height: 6, width: 3 }), inputShape: [2, 5, 4, 2], trainable: false });
layerHarness({ title: 'cropping2d', make: () => cropping2d({ cropping: [[1, 0], [0, 2]] }), inputShape: [2, 4, 5, 2], trainable: false });
layerHarness({ title: 'cropping2d channelsFirst', make: () => cropping2d({ cropping: 1, dataFormat: 'channelsFirst' }), inputShape: [2, 2, 4, 5], trainable: false });
layerHarness({ title: 'permute', make: () => permute({ dims: [2, 3, 1] }), inputShape: [2, 3, 4, 5], trainable: false });
layerHarness({ title: 'identity', make: () => identity(), inputShape: [2, 3], trainable: false });

describe('Normalization', () => {
  it('keeps mean, variance and count as non-trainable weights, as Keras stores them', () => {
    const layer = normalization();
    const x = tf.tensor2d([[1, 10], [3, 30], [5, 20]]);
    layer.adapt(x);
    expect(layer.weights.map((w) => w.shortName)).toEqual(['mean', 'variance', 'count']);
    expect(layer.trainableWeights).toHaveLength(0);
    expect(layer.weights[2]!.shape).toEqual([]);
    expect(Array.from(layer.weights[0]!.read().dataSync())).toEqual([3, 20]);
    const v = layer.weights[1]!.read().dataSync();
    expect(v[0]).toBeCloseTo(8 / 3, 5);
    expect(v[1]).toBeCloseTo(200 / 3, 4);
    const y = layer.apply(x) as tf.Tensor;
    const m = tf.moments(y, 0);
    expect(Array.from(m.mean.dataSync()).every((a) => Math.abs(a) < 1e-6)).toBe(true);
    expect(Array.from(m.variance.dataSync()).every((a) => Math.abs(a - 1) < 1e-5)).toBe(true);
    tf.dispose([x, y, m.mean, m.variance]);
    layer.dispose();
  });

  it('adapts from batches and async datasets to the moments of all the data', async () => {
    const all = tf.randomNormal([30, 3], 2, 3, 'float32', 5);
    const parts = tf.split(all, [7, 13, 10]);
    const whole = normalization().adapt(all);
    const sync = normalization().adapt(parts);
    async function* ds() {
      for (const p of parts) yield { xs: p, ys: p };
    }
    const n0 = tf.memory().numTensors;
    const asyncLayer = await normalization().adaptAsync(ds());
    expect(tf.memory().numTensors).toBe(n0 + 3);
    for (const l of [sync, asyncLayer]) {
      for (const i of [0, 1]) {
        const a = l.weights[i]!.read().dataSync();
        const b = whole.weights[i]!.read().dataSync();
        a.forEach((v, j) => expect(v).toBeCloseTo(b[j]!, 4));
      }
    }
    tf.dispose([all, ...parts]);
    [whole, sync, asyncLayer].forEach((l) => l.dispose());
  });

  it('a zero variance divides by 1e-7, not by zero (no NaN)', () => {
    const layer = normalization({ mean: [1], variance: [0] });
    const y = layer.apply(tf.tensor2d([[1], [1]])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([0, 0]);
  });

  it('rejects bad options and adapt data with a named error', () => {
    expect(() => normalization({ mean: [1, 2] })).toThrow(/Normalization 'normalization': 'mean' and 'variance' must be given together/);
    expect(() => normalization({ mean: [1, 2], variance: [1] })).toThrow(ValueError);
    expect(() => normalization({ axis: 1.5 })).toThrow(/'axis' must be an integer/);
    expect(() => normalization({ mean: 1, variance: 1 }).adapt(tf.zeros([2, 2]))).toThrow(StateError);
    const l = normalization();
    l.adapt(tf.zeros([2, 3]));
    expect(() => l.adapt(tf.zeros([2, 4]))).toThrow(ShapeError);
    expect(() => l.adapt([])).toThrow(/received no batches/);
    expect(() => l.adapt({ foo: 1 } as never)).toThrow(/adapt\(\) expected a tensor or an iterable/);
    expect(() => l.adapt([{ nope: 1 }] as never)).toThrow(/got an object with keys \[nope\]/);
  });
});

describe('Rescaling, Resizing, CenterCrop, Cropping2D, Permute, Identity', () => {
  it('rescaling maps [0, 255] to [-1, 1]', () => {
    const y = rescaling({ scale: 1 / 127.5, offset: -1 }).apply(tf.tensor1d([0, 127.5, 255]).reshape([1, 3])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([-1, 0, 1]);
  });

  it('rejects bad sizes and options naming the layer', () => {
    expect(() => rescaling({ scale: Number.NaN })).toThrow(/Rescaling 'rescaling': 'scale' must be a finite number/);
    expect(() => resizing({ height: 0, width: 2 })).toThrow(/Resizing 'resizing': 'height' must be a positive integer; got 0/);
    expect(() => resizing({ height: 2, width: 2, interpolation: 'bicubic' as never })).toThrow(/'interpolation' must be 'bilinear' or 'nearest'/);
    expect(() => centerCrop({ height: 2, width: -1 })).toThrow(/'width' must be a positive integer/);
    expect(() => cropping2d({ cropping: [1, -1] as never })).toThrow(/'cropping' must be/);
    expect(() => cropping2d({ cropping: 2 }).computeOutputShape([null, 4, 8, 1])).toThrow(/leaves no rows/);
    expect(() => permute({ dims: [0, 1] })).toThrow(/'dims' must be a permutation of 1..n/);
    expect(() => permute({ dims: [1, 1] })).toThrow(ValueError);
    expect(() => permute({ dims: [2, 1] }).apply(tf.zeros([1, 2, 3, 4]))).toThrow(ShapeError);
  });

  it('identity returns a fresh tensor with the same values', () => {
    const x = tf.tensor2d([[1, 2]]);
    const y = identity().apply(x) as tf.Tensor;
    expect(y).not.toBe(x);
    expect(Array.from(y.dataSync())).toEqual([1, 2]);
    y.dispose();
    expect(x.isDisposed).toBe(false);
  });
});
