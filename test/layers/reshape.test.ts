import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import { dense } from '../../src/layers/core/dense.js';
import { input } from '../../src/layers/core/input.js';
import { SequentialNetwork } from '../../src/models/sequential.js';
import { conv2d } from '../../src/layers/conv/index.js';
import { maxPooling2d, globalAveragePooling2d } from '../../src/layers/pooling/index.js';
import {
  Flatten, Reshape, UpSampling2D, ZeroPadding2D, flatten, reshape, upSampling2d, zeroPadding2d,
} from '../../src/layers/reshape/index.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

layerHarness({ title: 'flatten image', make: () => flatten(), inputShape: [2, 3, 4, 2], trainable: false });
layerHarness({ title: 'flatten channelsFirst', make: () => flatten({ dataFormat: 'channelsFirst' }), inputShape: [2, 3, 4, 2], trainable: false });
layerHarness({ title: 'flatten rank 2', make: () => flatten(), inputShape: [3, 5], trainable: false });
layerHarness({ title: 'reshape [-1, 2]', make: () => reshape({ targetShape: [-1, 2] }), inputShape: [2, 3, 4], trainable: false });
layerHarness({ title: 'reshape to image', make: () => reshape({ targetShape: [2, 3, 2] }), inputShape: [2, 12], trainable: false });
layerHarness({ title: 'zeroPadding2d default', make: () => zeroPadding2d(), inputShape: [2, 3, 4, 2], trainable: false });
layerHarness({ title: 'zeroPadding2d [[0,2],[1,0]] channelsFirst', make: () => zeroPadding2d({ padding: [[0, 2], [1, 0]], dataFormat: 'channelsFirst' }), inputShape: [2, 2, 3, 3], trainable: false });
layerHarness({ title: 'upSampling2d nearest', make: () => upSampling2d(), inputShape: [2, 3, 2, 2], trainable: false });
layerHarness({ title: 'upSampling2d bilinear [2,3]', make: () => upSampling2d({ size: [2, 3], interpolation: 'bilinear' }), inputShape: [2, 3, 2, 2], trainable: false });
layerHarness({ title: 'upSampling2d bilinear channelsFirst', make: () => upSampling2d({ interpolation: 'bilinear', dataFormat: 'channelsFirst' }), inputShape: [1, 2, 3, 4], trainable: false });

type A4 = number[][][][];

describe('Flatten and Reshape', () => {
  it('flatten keeps the row-major order; channelsFirst flattens channels last, as Keras does', () => {
    const x = tf.randomUniform([2, 3, 4, 5], -1, 1, 'float32', 1);
    const y = flatten().apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 60]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    // The same images stored channels-first flatten to the same vectors.
    const xf = tf.transpose(x, [0, 3, 1, 2]);
    const yf = flatten({ dataFormat: 'channelsFirst' }).apply(xf) as tf.Tensor;
    expect(Array.from(yf.dataSync())).toEqual(Array.from(x.dataSync()));
    const r1 = tf.tensor1d([1, 2, 3]);
    const y1 = flatten().apply(r1) as tf.Tensor;
    expect(y1.shape).toEqual([3, 1]);
    tf.dispose([x, y, xf, yf, r1, y1]);
  });

  it('flatten output shape: product of known dims, null when one is unknown', () => {
    expect(flatten().computeOutputShape([null, 7, 7, 64])).toEqual([null, 3136]);
    expect(flatten().computeOutputShape([null, null, 7, 64])).toEqual([null, null]);
    expect(flatten().computeOutputShape([4, 5])).toEqual([4, 5]);
  });

  it('reshape infers the -1 entry and keeps the order of values', () => {
    const x = tf.range(0, 24).reshape([2, 12]);
    const y = reshape({ targetShape: [3, -1] }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 4]);
    expect(Array.from(y.dataSync())).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(reshape({ targetShape: [-1, 4] }).computeOutputShape([null, 6, 2])).toEqual([null, 3, 4]);
    expect(reshape({ targetShape: [-1, 4] }).computeOutputShape([null, null, 2])).toEqual([null, null, 4]);
    expect(reshape({ targetShape: [2, 2] }).computeOutputShape([null, null])).toEqual([null, 2, 2]);
    tf.dispose([x, y]);
  });

  it('reshape to a different number of values -> ShapeError naming both sizes', () => {
    const layer = reshape({ targetShape: [4, 2], name: 'r' });
    const x = tf.zeros([2, 3, 3]);
    expect(() => layer.apply(x)).toThrow(ShapeError);
    expect(() => layer.apply(x)).toThrow(/Reshape 'r'.*\[null,3,3\].*9 values.*targetShape \[4,2\].*8 values/);
    const free = reshape({ targetShape: [-1, 4] });
    expect(() => free.computeOutputShape([null, 3, 3])).toThrow(/9 values per sample.*\[-1,4\].*multiple of 4/);
    x.dispose();
  });

  it('reshape with an already-built layer still checks each new input', () => {
    const layer = reshape({ targetShape: [-1] });
    const a = tf.zeros([1, 2, 2]);
    const b = tf.zeros([1, 3, 3]);
    const ya = layer.apply(a) as tf.Tensor;
    const yb = layer.apply(b) as tf.Tensor;
    expect([ya.shape, yb.shape]).toEqual([[1, 4], [1, 9]]);
    const fixed = reshape({ targetShape: [4] });
    tf.dispose(fixed.apply(a) as tf.Tensor);
    expect(() => fixed.apply(b)).toThrow(/9 values.*4 values/);
    tf.dispose([a, b, ya, yb]);
  });

  it('bad targetShape -> ValueError', () => {
    const cases: [unknown, RegExp][] = [
      [[-1, -1], /at most one -1.*\[-1,-1\]/],
      [[0, 3], /'targetShape'.*positive integers.*\[0,3\]/],
      [[2.5], /'targetShape'.*\[2\.5\]/],
      [undefined, /'targetShape'.*undefined/],
    ];
    for (const [t, msg] of cases) {
      const make = () => reshape({ targetShape: t as number[] });
      expect(make).toThrow(ValueError);
      expect(make).toThrow(msg);
    }
  });
});

describe('ZeroPadding2D', () => {
  it('pads with zeros by number, [h, w] and [[t, b], [l, r]]', () => {
    const x = tf.randomUniform([1, 2, 3, 2], 1, 2, 'float32', 2);
    const data = x.arraySync() as A4;
    const cases: [ConstructorParameters<typeof ZeroPadding2D>[0], [[number, number], [number, number]]][] = [
      [{}, [[1, 1], [1, 1]]],
      [{ padding: 2 }, [[2, 2], [2, 2]]],
      [{ padding: [1, 0] }, [[1, 1], [0, 0]]],
      [{ padding: [[0, 2], [3, 1]] }, [[0, 2], [3, 1]]],
    ];
    for (const [opts, [[t, b], [l, r]]] of cases) {
      const layer = zeroPadding2d(opts);
      const y = layer.apply(x) as tf.Tensor;
      expect(y.shape).toEqual([1, 2 + t + b, 3 + l + r, 2]);
      const got = y.arraySync() as A4;
      got[0]!.forEach((row, i) => row.forEach((px, j) => px.forEach((v, c) => {
        const inside = i >= t && i < t + 2 && j >= l && j < l + 3;
        expect(v).toBe(inside ? data[0]![i - t]![j - l]![c]! : 0);
      })));
      expect(layer.getConfig().padding).toEqual([[t, b], [l, r]]);
      y.dispose();
    }
    x.dispose();
  });

  it('channelsFirst pads axes 2 and 3; unknown sizes stay null', () => {
    const x = tf.ones([1, 3, 2, 2]);
    const y = zeroPadding2d({ padding: [[1, 0], [0, 2]], dataFormat: 'channelsFirst' }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 3, 3, 4]);
    expect(tf.sum(y).dataSync()[0]).toBe(12);
    expect(zeroPadding2d().computeOutputShape([null, null, 4, 3])).toEqual([null, null, 6, 3]);
    tf.dispose([x, y]);
  });

  it('bad padding -> ValueError', () => {
    for (const p of [-1, 1.5, [1, -2], [[1, 1], [1]], [[1, 1], [1, 1], [1, 1]], 'same']) {
      const make = () => zeroPadding2d({ padding: p as number });
      expect(make).toThrow(ValueError);
      expect(make).toThrow(/ZeroPadding2D 'zero_padding2d'.*'padding'.*non-negative/);
    }
  });
});

/** TensorFlow's bilinear resize with half-pixel centers, one output pixel at a time. */
function refBilinear(x: A4, fh: number, fw: number): A4 {
  const [h, w] = [x[0]!.length, x[0]![0]!.length];
  const src = (o: number, f: number, len: number) => {
    const c = (o + 0.5) / f - 0.5;
    const lo = Math.floor(c);
    return { a: Math.max(0, lo), b: Math.min(len - 1, lo + 1 < 0 ? 0 : lo + 1), t: c - lo };
  };
  return x.map((img) => Array.from({ length: h * fh }, (_, i) => Array.from({ length: w * fw }, (_, j) => {
    const r = src(i, fh, h);
    const q = src(j, fw, w);
    return img[0]![0]!.map((_, c) => {
      const top = img[r.a]![q.a]![c]! * (1 - q.t) + img[r.a]![q.b]![c]! * q.t;
      const bottom = img[r.b]![q.a]![c]! * (1 - q.t) + img[r.b]![q.b]![c]! * q.t;
      return top * (1 - r.t) + bottom * r.t;
    });
  })));
}

describe('UpSampling2D', () => {
  it('nearest repeats each pixel size times along each axis', () => {
    const x = tf.randomUniform([2, 3, 2, 2], -1, 1, 'float32', 5);
    const data = x.arraySync() as A4;
    const y = upSampling2d({ size: [2, 3] }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 6, 6, 2]);
    const got = y.arraySync() as A4;
    got.forEach((img, n) => img.forEach((row, i) => row.forEach((px, j) => px.forEach((v, c) => {
      expect(v).toBe(data[n]![Math.floor(i / 2)]![Math.floor(j / 3)]![c]!);
    }))));
    tf.dispose([x, y]);
  });

  it('nearest gradient sums each block, sample by sample (batch of 2)', () => {
    const x = tf.zeros([2, 1, 2, 1]);
    const w = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 1]);
    const layer = upSampling2d({ size: [1, 2] });
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, w)))(x);
    expect(Array.from(g.dataSync())).toEqual([1 + 2, 3 + 4, 5 + 6, 7 + 8]);
    tf.dispose([x, w, g]);
  });

  it('bilinear uses half-pixel centers, as Keras: [0, 1] -> [0, 0.25, 0.75, 1]', () => {
    const x = tf.tensor4d([0, 1], [1, 1, 2, 1]);
    const y = upSampling2d({ size: [1, 2], interpolation: 'bilinear' }).apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([0, 0.25, 0.75, 1]);
    tf.dispose([x, y]);
  });

  it('bilinear matches a per-pixel reference, also channelsFirst', () => {
    const x = tf.randomUniform([2, 3, 4, 3], -1, 1, 'float32', 6);
    const want = refBilinear(x.arraySync() as A4, 3, 2).flat(3);
    const y = upSampling2d({ size: [3, 2], interpolation: 'bilinear' }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 9, 8, 3]);
    const got = y.dataSync();
    want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(1e-5));
    const xf = tf.transpose(x, [0, 3, 1, 2]);
    const yf = upSampling2d({ size: [3, 2], interpolation: 'bilinear', dataFormat: 'channelsFirst' }).apply(xf) as tf.Tensor;
    expect(yf.shape).toEqual([2, 3, 9, 8]);
    const back = tf.transpose(yf, [0, 2, 3, 1]).dataSync();
    want.forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThan(1e-5));
    tf.dispose([x, y, xf, yf]);
  });

  it('config and output shape', () => {
    const layer = upSampling2d({ size: 3, interpolation: 'bilinear' });
    expect(layer.getConfig()).toMatchObject({ size: [3, 3], dataFormat: 'channelsLast', interpolation: 'bilinear' });
    expect(layer.computeOutputShape([null, 4, null, 2])).toEqual([null, 12, null, 2]);
    expect(upSampling2d().getConfig()).toMatchObject({ size: [2, 2], interpolation: 'nearest' });
  });

  it('bad options -> ValueError', () => {
    expect(() => upSampling2d({ size: 0 })).toThrow(ValueError);
    expect(() => upSampling2d({ size: 0 })).toThrow(/UpSampling2D 'up_sampling2d'.*'size'.*0/);
    expect(() => upSampling2d({ interpolation: 'bicubic' as 'bilinear' })).toThrow(/'interpolation'.*'nearest' or 'bilinear'.*'bicubic'/);
    expect(() => upSampling2d({ dataFormat: 'NHWC' as 'channelsLast' })).toThrow(/'dataFormat'/);
  });
});

describe('rank checks and classes', () => {
  it('input of rank 3 -> ShapeError naming the layer and the shape', () => {
    for (const layer of [zeroPadding2d({ name: 'z' }), upSampling2d({ name: 'z' })]) {
      const x = tf.zeros([1, 3, 3]);
      expect(() => layer.apply(x)).toThrow(ShapeError);
      expect(() => layer.apply(x)).toThrow(new RegExp(`${layer.className} 'z'.*rank 4.*\\[null,3,3\\]`));
      x.dispose();
    }
  });

  it('factories return the exported classes with Keras class names', () => {
    expect(flatten()).toBeInstanceOf(Flatten);
    expect(reshape({ targetShape: [1] })).toBeInstanceOf(Reshape);
    expect(zeroPadding2d()).toBeInstanceOf(ZeroPadding2D);
    expect(upSampling2d()).toBeInstanceOf(UpSampling2D);
    expect([flatten().name, reshape({ targetShape: [1] }).name, zeroPadding2d().name, upSampling2d().name])
      .toEqual(['flatten', 'reshape', 'zero_padding2d', 'up_sampling2d']);
  });
});

describe('in a model', () => {
  it('a small CNN stack builds in a Sequential network with the expected shapes and parameter count', () => {
    const net = new SequentialNetwork([
      input({ shape: [12, 12, 1] }),
      conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
      maxPooling2d(),
      zeroPadding2d(),
      conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same' }),
      upSampling2d({ interpolation: 'bilinear' }),
      flatten(),
      reshape({ targetShape: [-1, 6] }),
      dense({ units: 2 }),
    ]);
    const x = tf.randomUniform([3, 12, 12, 1], 0, 1, 'float32', 3);
    const y = net.predict(x) as tf.Tensor;
    // 12 -> conv 10 -> pool 5 -> pad 7 -> conv s2 same 4 -> up 8: 8·8 rows of 6 features.
    expect(y.shape).toEqual([3, 64, 2]);
    expect(net.countParams()).toBe((9 * 4 + 4) + (9 * 4 * 6 + 6) + (6 * 2 + 2));
    const head = new SequentialNetwork([input({ shape: [5, 5, 3] }), conv2d({ filters: 2, kernelSize: 1 }), globalAveragePooling2d()]);
    const z = tf.ones([2, 5, 5, 3]);
    const pooled = head.predict(z) as tf.Tensor;
    expect(pooled.shape).toEqual([2, 2]);
    tf.dispose([x, y, z, pooled]);
    net.dispose();
    head.dispose();
  });
});
