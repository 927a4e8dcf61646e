import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import { constant, randomUniform } from '../../src/engine/initializers_api.js';
import { l2 } from '../../src/engine/regularizers.js';
import {
  Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D,
  conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d,
} from '../../src/layers/conv/index.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

// ---------------------------------------------------------------- harness
const ru = (seed: number) => randomUniform({ minval: -0.5, maxval: 0.5, seed });

layerHarness({ title: 'conv2d 3x3 valid relu', make: () => conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }), inputShape: [2, 6, 6, 3], trainable: true });
layerHarness({ title: 'conv2d stride 2 same', make: () => conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), inputShape: [2, 7, 6, 2], trainable: true });
layerHarness({ title: 'conv2d dilation 2 same', make: () => conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' }), inputShape: [2, 7, 6, 2], trainable: true });
layerHarness({ title: 'conv2d dilation [2,3] valid tanh', make: () => conv2d({ filters: 2, kernelSize: 2, dilationRate: [2, 3], activation: 'tanh' }), inputShape: [1, 6, 7, 2], trainable: true });
layerHarness({ title: 'conv2d channelsFirst, [2,3] kernel, strides [1,2]', make: () => conv2d({ filters: 3, kernelSize: [2, 3], strides: [1, 2], dataFormat: 'channelsFirst' }), inputShape: [2, 2, 5, 6], trainable: true });
layerHarness({ title: 'conv2d no bias, gelu, l2', make: () => conv2d({ filters: 2, kernelSize: 1, useBias: false, activation: 'gelu', kernelRegularizer: l2() }), inputShape: [2, 3, 3, 2], trainable: true });
layerHarness({ title: 'conv2dTranspose stride 2 same', make: () => conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), inputShape: [2, 3, 4, 2], trainable: true });
layerHarness({ title: 'conv2dTranspose stride 2 valid relu', make: () => conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, activation: 'relu' }), inputShape: [2, 3, 3, 2], trainable: true });
layerHarness({ title: 'conv2dTranspose dilation 2 same', make: () => conv2dTranspose({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' }), inputShape: [1, 5, 4, 2], trainable: true });
layerHarness({ title: 'conv2dTranspose channelsFirst', make: () => conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst' }), inputShape: [2, 3, 2, 3], trainable: true });
layerHarness({ title: 'depthwiseConv2d depthMultiplier 2', make: () => depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }), inputShape: [2, 5, 5, 3], trainable: true });
layerHarness({ title: 'depthwiseConv2d stride 2 same relu6', make: () => depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', activation: 'relu6' }), inputShape: [2, 6, 5, 2], trainable: true });
layerHarness({ title: 'depthwiseConv2d dilation 2, channelsFirst', make: () => depthwiseConv2d({ kernelSize: 2, dilationRate: 2, dataFormat: 'channelsFirst', depthwiseRegularizer: l2() }), inputShape: [2, 2, 5, 5], trainable: true });
layerHarness({ title: 'separableConv2d depthMultiplier 2 same relu', make: () => separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' }), inputShape: [2, 5, 5, 3], trainable: true });
layerHarness({ title: 'separableConv2d dilation 2', make: () => separableConv2d({ filters: 2, kernelSize: 2, dilationRate: 2, pointwiseRegularizer: l2() }), inputShape: [2, 6, 5, 2], trainable: true });
layerHarness({ title: 'separableConv2d stride 2 channelsFirst no bias', make: () => separableConv2d({ filters: 3, kernelSize: 3, strides: 2, useBias: false, dataFormat: 'channelsFirst' }), inputShape: [2, 2, 6, 6], trainable: true });

// ---------------------------------------------------------------- plain-JS references (NHWC)
type A4 = number[][][][];

function zeros4(a: number, b: number, c: number, d: number): A4 {
  return Array.from({ length: a }, () => Array.from({ length: b }, () => Array.from({ length: c }, () => new Array<number>(d).fill(0))));
}

/** TensorFlow's padding before the data and output length, for one axis of a forward window. */
function axisPlan(len: number, k: number, s: number, d: number, same: boolean): { before: number; out: number } {
  const kd = (k - 1) * d + 1;
  if (!same) return { before: 0, out: Math.floor((len - kd) / s) + 1 };
  const out = Math.ceil(len / s);
  const total = Math.max(0, (out - 1) * s + kd - len);
  return { before: Math.floor(total / 2), out };
}

interface Win { s: [number, number]; d: [number, number]; same: boolean }

function refConv(x: A4, k: A4, w: Win): A4 {
  const [n, h, wd, ci] = [x.length, x[0]!.length, x[0]![0]!.length, x[0]![0]![0]!.length];
  const [kh, kw, , co] = [k.length, k[0]!.length, 0, k[0]![0]![0]!.length];
  const ph = axisPlan(h, kh, w.s[0], w.d[0], w.same);
  const pw = axisPlan(wd, kw, w.s[1], w.d[1], w.same);
  const y = zeros4(n, ph.out, pw.out, co);
  for (let b = 0; b < n; b++) for (let i = 0; i < ph.out; i++) for (let j = 0; j < pw.out; j++) for (let o = 0; o < co; o++) {
    let acc = 0;
    for (let a = 0; a < kh; a++) for (let c = 0; c < kw; c++) {
      const r = i * w.s[0] - ph.before + a * w.d[0];
      const q = j * w.s[1] - pw.before + c * w.d[1];
      if (r < 0 || r >= h || q < 0 || q >= wd) continue;
      for (let m = 0; m < ci; m++) acc += x[b]![r]![q]![m]! * k[a]![c]![m]![o]!;
    }
    y[b]![i]![j]![o] = acc;
  }
  return y;
}

function refDepthwise(x: A4, k: A4, w: Win): A4 {
  const [n, h, wd, ci] = [x.length, x[0]!.length, x[0]![0]!.length, x[0]![0]![0]!.length];
  const [kh, kw, dm] = [k.length, k[0]!.length, k[0]![0]![0]!.length];
  const ph = axisPlan(h, kh, w.s[0], w.d[0], w.same);
  const pw = axisPlan(wd, kw, w.s[1], w.d[1], w.same);
  const y = zeros4(n, ph.out, pw.out, ci * dm);
  for (let b = 0; b < n; b++) for (let i = 0; i < ph.out; i++) for (let j = 0; j < pw.out; j++) for (let m = 0; m < ci; m++) for (let q = 0; q < dm; q++) {
    let acc = 0;
    for (let a = 0; a < kh; a++) for (let c = 0; c < kw; c++) {
      const r = i * w.s[0] - ph.before + a * w.d[0];
      const t = j * w.s[1] - pw.before + c * w.d[1];
      if (r >= 0 && r < h && t >= 0 && t < wd) acc += x[b]![r]![t]![m]! * k[a]![c]![m]![q]!;
    }
    y[b]![i]![j]![m * dm + q] = acc;
  }
  return y;
}

/** Scatters each input pixel through the kernel (Keras output size, forward-conv padding). */
function refConvTranspose(x: A4, k: A4, w: Win): A4 {
  const [n, h, wd, ci] = [x.length, x[0]!.length, x[0]![0]!.length, x[0]![0]![0]!.length];
  const [kh, kw, co] = [k.length, k[0]!.length, k[0]![0]!.length];
  const outLen = (len: number, kk: number, s: number, d: number) => {
    const kd = (kk - 1) * d + 1;
    return w.same ? len * s : len * s + Math.max(kd - s, 0);
  };
  const oh = outLen(h, kh, w.s[0], w.d[0]);
  const ow = outLen(wd, kw, w.s[1], w.d[1]);
  const before = (out: number, len: number, kk: number, s: number, d: number) =>
    (w.same ? Math.floor(Math.max(0, (len - 1) * s + (kk - 1) * d + 1 - out) / 2) : 0);
  const bh = before(oh, h, kh, w.s[0], w.d[0]);
  const bw = before(ow, wd, kw, w.s[1], w.d[1]);
  const y = zeros4(n, oh, ow, co);
  for (let b = 0; b < n; b++) for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) for (let a = 0; a < kh; a++) for (let c = 0; c < kw; c++) {
    const r = i * w.s[0] - bh + a * w.d[0];
    const t = j * w.s[1] - bw + c * w.d[1];
    if (r < 0 || r >= oh || t < 0 || t >= ow) continue;
    for (let o = 0; o < co; o++) for (let m = 0; m < ci; m++) y[b]![r]![t]![o]! += x[b]![i]![j]![m]! * k[a]![c]![o]![m]!;
  }
  return y;
}

function map4(y: A4, f: (v: number, c: number) => number): A4 {
  return y.map((a) => a.map((b) => b.map((c) => c.map((v, ch) => f(v, ch)))));
}

function expectClose(actual: tf.Tensor, expected: A4, tol = 1e-4): void {
  expect(actual.shape).toEqual([expected.length, expected[0]!.length, expected[0]![0]!.length, expected[0]![0]![0]!.length]);
  const got = actual.dataSync();
  const want = expected.flat(3);
  want.forEach((v, i) => expect(Math.abs(got[i]! - v), `element ${i}: got ${got[i]}, want ${v}`).toBeLessThan(tol));
}

function input(shape: number[], seed = 11): tf.Tensor4D {
  return tf.randomUniform(shape, -1, 1, 'float32', seed) as unknown as tf.Tensor4D;
}

const arr = (t: tf.Tensor): A4 => t.arraySync() as A4;
const win = (s: number | [number, number], d: number | [number, number], same: boolean): Win => ({
  s: typeof s === 'number' ? [s, s] : s, d: typeof d === 'number' ? [d, d] : d, same,
});

describe('Conv2D values match a plain-JS convolution', () => {
  const cases: { title: string; shape: number[]; k: number | [number, number]; w: Win }[] = [
    { title: '3x3 valid', shape: [2, 5, 6, 2], k: 3, w: win(1, 1, false) },
    { title: '3x3 same, stride 2 (odd sizes)', shape: [1, 7, 5, 3], k: 3, w: win(2, 1, true) },
    { title: '2x2 same, stride 2 (even pad split)', shape: [1, 6, 6, 1], k: 2, w: win(2, 1, true) },
    { title: '[2,3] valid, strides [2,1]', shape: [2, 6, 7, 2], k: [2, 3], w: win([2, 1], 1, false) },
    { title: '3x3 dilation 2 valid', shape: [1, 7, 8, 2], k: 3, w: win(1, 2, false) },
    { title: '3x3 dilation 2 same', shape: [2, 6, 7, 2], k: 3, w: win(1, 2, true) },
    { title: '2x3 dilation [3,2] same', shape: [1, 8, 7, 1], k: [2, 3], w: win(1, [3, 2], true) },
  ];
  for (const c of cases) {
    it(c.title, () => {
      const layer = conv2d({
        filters: 3, kernelSize: c.k, strides: c.w.s, dilationRate: c.w.d, padding: c.w.same ? 'same' : 'valid',
        kernelInitializer: ru(1), biasInitializer: ru(2),
      });
      const x = input(c.shape);
      const y = layer.apply(x) as tf.Tensor;
      const [k, b] = layer.weights.map((w) => w.read());
      const bias = Array.from(b!.dataSync());
      expectClose(y, map4(refConv(arr(x), arr(k!), c.w), (v, ch) => v + bias[ch]!));
      tf.dispose([x, y]);
      layer.dispose();
    });
  }

  it('fused (relu) and unfused (tanh) activations apply after the bias', () => {
    for (const activation of ['relu', 'tanh', 'relu6', 'sigmoid'] as const) {
      const layer = conv2d({ filters: 2, kernelSize: 2, activation, kernelInitializer: ru(3), biasInitializer: constant({ value: 0.25 }) });
      const x = input([1, 4, 4, 2], 5);
      const y = layer.apply(x) as tf.Tensor;
      const f = { relu: (v: number) => Math.max(0, v), tanh: Math.tanh, relu6: (v: number) => Math.min(6, Math.max(0, v)), sigmoid: (v: number) => 1 / (1 + Math.exp(-v)) }[activation];
      expectClose(y, map4(refConv(arr(x), arr(layer.weights[0]!.read()), win(1, 1, false)), (v) => f(v + 0.25)));
      tf.dispose([x, y]);
      layer.dispose();
    }
  });

  it('channelsFirst computes the same as channelsLast on transposed data', () => {
    const x = input([2, 6, 5, 3]);
    const last = conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: ru(4), biasInitializer: ru(5) });
    const first = conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst', kernelInitializer: ru(4), biasInitializer: ru(5) });
    const yl = last.apply(x) as tf.Tensor;
    const xf = tf.transpose(x, [0, 3, 1, 2]);
    const yf = first.apply(xf) as tf.Tensor;
    expect(yf.shape).toEqual([2, 4, 3, 3]);
    expectClose(tf.transpose(yf, [0, 2, 3, 1]), arr(yl), 1e-5);
    expect(first.weights[0]!.shape).toEqual([3, 3, 3, 4]);
    tf.dispose([x, xf, yl, yf]);
    last.dispose();
    first.dispose();
  });
});

describe('DepthwiseConv2D, SeparableConv2D and Conv2DTranspose values', () => {
  const wins: { title: string; k: number; w: Win }[] = [
    { title: 'valid', k: 3, w: win(1, 1, false) },
    { title: 'same stride 2', k: 3, w: win(2, 1, true) },
    { title: 'dilation 2 same', k: 2, w: win(1, 2, true) },
    { title: 'dilation 2 valid', k: 3, w: win(1, 2, false) },
  ];
  for (const c of wins) {
    it(`depthwise, depthMultiplier 2, ${c.title}`, () => {
      const layer = depthwiseConv2d({
        kernelSize: c.k, depthMultiplier: 2, strides: c.w.s, dilationRate: c.w.d, padding: c.w.same ? 'same' : 'valid',
        depthwiseInitializer: ru(6), biasInitializer: ru(7),
      });
      const x = input([2, 7, 6, 3]);
      const y = layer.apply(x) as tf.Tensor;
      const [k, b] = layer.weights.map((w) => w.read());
      expect(k!.shape).toEqual([c.k, c.k, 3, 2]);
      const bias = Array.from(b!.dataSync());
      expectClose(y, map4(refDepthwise(arr(x), arr(k!), c.w), (v, ch) => v + bias[ch]!));
      tf.dispose([x, y]);
      layer.dispose();
    });

    it(`separable, depthMultiplier 2, ${c.title}`, () => {
      const layer = separableConv2d({
        filters: 3, kernelSize: c.k, depthMultiplier: 2, strides: c.w.s, dilationRate: c.w.d, padding: c.w.same ? 'same' : 'valid',
        depthwiseInitializer: ru(8), pointwiseInitializer: ru(9), biasInitializer: ru(10), activation: 'elu',
      });
      const x = input([1, 6, 7, 2]);
      const y = layer.apply(x) as tf.Tensor;
      const [dk, pk, b] = layer.weights.map((w) => w.read());
      expect(pk!.shape).toEqual([1, 1, 4, 3]);
      const bias = Array.from(b!.dataSync());
      const mid = refDepthwise(arr(x), arr(dk!), c.w);
      const elu = (v: number) => (v > 0 ? v : Math.exp(v) - 1);
      expectClose(y, map4(refConv(mid, arr(pk!), win(1, 1, false)), (v, ch) => elu(v + bias[ch]!)));
      tf.dispose([x, y]);
      layer.dispose();
    });

    it(`transpose, ${c.title}`, () => {
      const layer = conv2dTranspose({
        filters: 2, kernelSize: c.k, strides: c.w.s, dilationRate: c.w.d, padding: c.w.same ? 'same' : 'valid',
        kernelInitializer: ru(12), biasInitializer: ru(13),
      });
      const x = input([2, 4, 3, 3]);
      const y = layer.apply(x) as tf.Tensor;
      const [k, b] = layer.weights.map((w) => w.read());
      expect(k!.shape).toEqual([c.k, c.k, 2, 3]);
      const bias = Array.from(b!.dataSync());
      expectClose(y, map4(refConvTranspose(arr(x), arr(k!), c.w), (v, ch) => v + bias[ch]!));
      tf.dispose([x, y]);
      layer.dispose();
    });
  }

  it('transpose with kernel smaller than the stride (valid) gives in · stride', () => {
    const layer = conv2dTranspose({ filters: 1, kernelSize: 1, strides: 3, kernelInitializer: ru(14), useBias: false });
    const x = input([1, 2, 3, 2]);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 6, 9, 1]);
    expectClose(y, refConvTranspose(arr(x), arr(layer.weights[0]!.read()), win(3, 1, false)));
    tf.dispose([x, y]);
    layer.dispose();
  });
});

describe('output shapes follow the Keras formulas', () => {
  // [input size, kernel, stride, dilation, padding, expected output size], written out by hand.
  const conv: [number, number, number, number, 'valid' | 'same', number][] = [
    [7, 3, 1, 1, 'valid', 5], [7, 3, 1, 1, 'same', 7], [7, 3, 2, 1, 'valid', 3], [7, 3, 2, 1, 'same', 4],
    [8, 3, 2, 1, 'valid', 3], [8, 3, 2, 1, 'same', 4], [8, 2, 3, 1, 'valid', 3], [8, 2, 3, 1, 'same', 3],
    [9, 3, 1, 2, 'valid', 5], [9, 3, 1, 2, 'same', 9], [5, 5, 1, 1, 'valid', 1], [6, 1, 4, 1, 'valid', 2],
  ];
  for (const [len, k, s, d, padding, out] of conv) {
    it(`conv2d, depthwiseConv2d, separableConv2d: in ${len}, kernel ${k}, stride ${s}, dilation ${d}, ${padding} -> ${out}`, () => {
      for (const layer of [
        conv2d({ filters: 2, kernelSize: [k, 1], strides: [s, 1], dilationRate: [d, 1], padding }),
        depthwiseConv2d({ kernelSize: [k, 1], strides: [s, 1], dilationRate: [d, 1], padding, depthMultiplier: 2 }),
        separableConv2d({ filters: 2, kernelSize: [k, 1], strides: [s, 1], dilationRate: [d, 1], padding }),
      ]) {
        expect(layer.computeOutputShape([null, len, 4, 3])[1]).toBe(out);
        const x = tf.zeros([1, len, 4, 3]);
        const y = layer.apply(x) as tf.Tensor;
        expect(y.shape[1]).toBe(out);
        expect(y.shape[3]).toBe(layer instanceof DepthwiseConv2D ? 6 : 2);
        tf.dispose([x, y]);
        layer.dispose();
      }
    });
  }
  const deconv: [number, number, number, number, 'valid' | 'same', number][] = [
    [4, 3, 2, 1, 'same', 8], [4, 3, 2, 1, 'valid', 9], [4, 1, 2, 1, 'valid', 8], [4, 4, 2, 1, 'valid', 10],
    [3, 3, 1, 1, 'valid', 5], [3, 3, 1, 2, 'valid', 7], [3, 3, 1, 2, 'same', 3], [5, 2, 3, 1, 'same', 15],
  ];
  for (const [len, k, s, d, padding, out] of deconv) {
    it(`conv2dTranspose: in ${len}, kernel ${k}, stride ${s}, dilation ${d}, ${padding} -> ${out}`, () => {
      const layer = conv2dTranspose({ filters: 2, kernelSize: k, strides: s, dilationRate: d, padding });
      expect(layer.computeOutputShape([null, len, len, 3])).toEqual([null, out, out, 2]);
      const x = tf.ones([1, len, len, 3]);
      const y = layer.apply(x) as tf.Tensor;
      expect(y.shape).toEqual([1, out, out, 2]);
      tf.dispose([x, y]);
      layer.dispose();
    });
  }
  it('unknown spatial sizes stay null; channelsFirst puts channels at axis 1', () => {
    expect(conv2d({ filters: 5, kernelSize: 3 }).computeOutputShape([null, null, null, 2])).toEqual([null, null, null, 5]);
    expect(conv2d({ filters: 5, kernelSize: 3, dataFormat: 'channelsFirst' }).computeOutputShape([null, 2, 8, 9])).toEqual([null, 5, 6, 7]);
    expect(depthwiseConv2d({ kernelSize: 3, depthMultiplier: 3 }).computeOutputShape([4, 8, 8, 2])).toEqual([4, 6, 6, 6]);
  });
});

describe('config and weights', () => {
  it('Conv2D config uses camelCase Keras keys and canonical tuples', () => {
    const layer = conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'c1' });
    const cfg = layer.getConfig();
    expect(cfg).toMatchObject({
      name: 'c1', filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: 'same', dataFormat: 'channelsLast',
      dilationRate: [1, 1], activation: 'relu', useBias: true,
      kernelInitializer: { class_name: 'GlorotUniform' }, biasInitializer: { class_name: 'Zeros' },
    });
    expect(new Conv2D(JSON.parse(JSON.stringify(cfg)) as typeof cfg).getConfig()).toEqual(cfg);
  });

  it('weight names, shapes and order follow Keras', () => {
    const x = tf.zeros([1, 5, 5, 3]);
    const cases: [() => { apply: (t: tf.Tensor) => unknown; weights: { name: string; shape: number[] }[]; dispose: () => void }, [string, number[]][]][] = [
      [() => conv2d({ filters: 4, kernelSize: [2, 3], name: 'a' }), [['a/kernel', [2, 3, 3, 4]], ['a/bias', [4]]]],
      [() => conv2dTranspose({ filters: 4, kernelSize: 2, name: 'b' }), [['b/kernel', [2, 2, 4, 3]], ['b/bias', [4]]]],
      [() => depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'c' }), [['c/depthwise_kernel', [3, 3, 3, 2]], ['c/bias', [6]]]],
      [() => separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2, name: 'd' }),
        [['d/depthwise_kernel', [3, 3, 3, 2]], ['d/pointwise_kernel', [1, 1, 6, 5]], ['d/bias', [5]]]],
      [() => separableConv2d({ filters: 5, kernelSize: 3, useBias: false, name: 'e' }),
        [['e/depthwise_kernel', [3, 3, 3, 1]], ['e/pointwise_kernel', [1, 1, 3, 5]]]],
    ];
    for (const [make, expected] of cases) {
      const layer = make();
      tf.dispose(layer.apply(x) as tf.Tensor);
      expect(layer.weights.map((w) => [w.name, w.shape])).toEqual(expected);
      layer.dispose();
    }
    x.dispose();
  });

  it('regularizers add one penalty per regularized weight', () => {
    const layer = separableConv2d({ filters: 2, kernelSize: 2, depthwiseRegularizer: l2({ l2: 0.5 }), biasRegularizer: 'l1', biasInitializer: constant({ value: 1 }) });
    const x = tf.zeros([1, 3, 3, 2]);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const losses = layer.regularizationLosses();
    expect(losses).toHaveLength(2);
    const dk = layer.weights[0]!.read();
    expect(losses[0]!.dataSync()[0]).toBeCloseTo(0.5 * tf.sum(tf.square(dk)).dataSync()[0]!, 5);
    expect(losses[1]!.dataSync()[0]).toBeCloseTo(0.01 * 2, 6);
    expect(layer.getConfig().depthwiseRegularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.5 } });
    tf.dispose([x, ...losses]);
    layer.dispose();
  });
});

describe('bad options and inputs', () => {
  const base = { filters: 2, kernelSize: 3 };
  const bad: [string, () => unknown, RegExp][] = [
    ['kernelSize 0', () => conv2d({ ...base, kernelSize: 0 }), /Conv2D 'conv2d'.*'kernelSize'.*positive.*0/],
    ['kernelSize -2', () => depthwiseConv2d({ kernelSize: -2 }), /DepthwiseConv2D.*'kernelSize'.*-2/],
    ['kernelSize fractional', () => separableConv2d({ ...base, kernelSize: 1.5 }), /SeparableConv2D.*'kernelSize'.*1\.5/],
    ['kernelSize of three entries', () => conv2d({ ...base, kernelSize: [3, 3, 3] as unknown as [number, number] }), /'kernelSize'.*\[3,3,3\]/],
    ['kernelSize missing', () => conv2d({ filters: 2 } as unknown as { filters: number; kernelSize: number }), /'kernelSize' is required/],
    ['padding full', () => conv2d({ ...base, padding: 'full' as 'same' }), /Conv2D 'conv2d'.*'padding'.*'valid' or 'same'.*'full'/],
    ['padding causal', () => conv2dTranspose({ ...base, padding: 'causal' as 'same' }), /Conv2DTranspose.*'padding'.*'causal'/],
    ['filters 0', () => conv2d({ ...base, filters: 0 }), /Conv2D 'conv2d'.*'filters'.*positive integer.*0/],
    ['filters 2.5', () => conv2dTranspose({ ...base, filters: 2.5 }), /'filters'.*2\.5/],
    ['filters missing', () => separableConv2d({ kernelSize: 3 } as unknown as { filters: number; kernelSize: number }), /SeparableConv2D.*'filters'/],
    ['strides 0', () => conv2d({ ...base, strides: 0 }), /'strides'.*0/],
    ['dilationRate 0', () => conv2d({ ...base, dilationRate: [1, 0] }), /'dilationRate'.*\[1,0\]/],
    ['strides 2 with dilation 2', () => conv2d({ ...base, strides: 2, dilationRate: 2 }), /Conv2D 'conv2d'.*'strides' > 1.*'dilationRate' > 1.*\[2,2\].*\[2,2\]/],
    ['strides [1,2] with dilation [2,1] (depthwise)', () => depthwiseConv2d({ kernelSize: 3, strides: [1, 2], dilationRate: [2, 1] }), /DepthwiseConv2D.*'strides' > 1/],
    ['strides 2 with dilation 2 (separable)', () => separableConv2d({ ...base, strides: 2, dilationRate: 2 }), /SeparableConv2D.*'dilationRate' > 1/],
    ['strides 2 with dilation 2 (transpose)', () => conv2dTranspose({ ...base, strides: 2, dilationRate: 2 }), /Conv2DTranspose.*'dilationRate' > 1/],
    ['dataFormat NHWC', () => conv2d({ ...base, dataFormat: 'NHWC' as 'channelsLast' }), /'dataFormat'.*'channelsLast' or 'channelsFirst'.*'NHWC'/],
    ['depthMultiplier 0', () => depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 }), /DepthwiseConv2D.*'depthMultiplier'.*0/],
    ['depthMultiplier 1.5 (separable)', () => separableConv2d({ ...base, depthMultiplier: 1.5 }), /SeparableConv2D.*'depthMultiplier'.*1\.5/],
    ['unknown activation', () => conv2d({ ...base, activation: 'swoosh' as 'relu' }), /Conv2D 'conv2d'.*activation 'swoosh'/],
    ['unknown initializer', () => depthwiseConv2d({ kernelSize: 3, depthwiseInitializer: 'magic' }), /DepthwiseConv2D.*depthwiseInitializer 'magic'/],
  ];
  for (const [title, make, message] of bad) {
    it(`${title} -> ValueError`, () => {
      expect(make).toThrow(ValueError);
      expect(make).toThrow(message);
    });
  }

  it('input of rank 3 -> ShapeError naming the layer and the shape', () => {
    for (const layer of [conv2d({ ...base, name: 'c' }), conv2dTranspose({ ...base, name: 'c' }), depthwiseConv2d({ kernelSize: 3, name: 'c' }), separableConv2d({ ...base, name: 'c' })]) {
      const x = tf.zeros([2, 5, 5]);
      expect(() => layer.apply(x)).toThrow(ShapeError);
      expect(() => layer.apply(x)).toThrow(new RegExp(`${layer.className} 'c'.*rank 4.*\\[null,5,5\\]`));
      x.dispose();
    }
  });

  it('a kernel larger than the input (valid) -> ShapeError', () => {
    const layer = conv2d({ ...base, kernelSize: 3, dilationRate: 2 });
    const x = tf.zeros([1, 4, 8, 1]);
    expect(() => layer.apply(x)).toThrow(ShapeError);
    expect(() => layer.apply(x)).toThrow(/Conv2D 'conv2d'.*larger than the input.*\[null,4,8,1\].*\[0,4\]/);
    x.dispose();
  });

  it('channels that differ from the built ones -> ShapeError', () => {
    const layer = conv2d({ ...base, dataFormat: 'channelsFirst' });
    const a = tf.zeros([1, 2, 5, 5]);
    const b = tf.zeros([1, 3, 5, 5]);
    tf.dispose(layer.apply(a) as tf.Tensor);
    expect(() => layer.apply(b)).toThrow(ShapeError);
    expect(() => layer.apply(b)).toThrow(/Conv2D 'conv2d'.*dim 1 2, got 3/);
    tf.dispose([a, b]);
    layer.dispose();
  });

  it('an unknown channel dimension -> ShapeError at build', () => {
    const layer = depthwiseConv2d({ kernelSize: 1 });
    expect(() => layer.ensureBuilt([null, 4, 4, null])).toThrow(ShapeError);
    expect(() => layer.ensureBuilt([null, 4, 4, null])).toThrow(/DepthwiseConv2D.*channel dimension.*\[null,4,4,null\]/);
  });
});

describe('classes', () => {
  it('factories return the exported classes with Keras class names', () => {
    expect(conv2d({ filters: 1, kernelSize: 1 })).toBeInstanceOf(Conv2D);
    expect(conv2dTranspose({ filters: 1, kernelSize: 1 }).className).toBe('Conv2DTranspose');
    expect(depthwiseConv2d({ kernelSize: 1 }).className).toBe('DepthwiseConv2D');
    expect(separableConv2d({ filters: 1, kernelSize: 1 })).toBeInstanceOf(SeparableConv2D);
    expect(new Conv2DTranspose({ filters: 1, kernelSize: 1 }).className).toBe('Conv2DTranspose');
  });
});
