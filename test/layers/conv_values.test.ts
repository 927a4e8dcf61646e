/**
 * Conv layer outputs against plain-JS convolutions computed here, for strides, padding,
 * dilation, depth multipliers, activations and channelsFirst.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { constant, randomUniform } from '../../src/engine/initializers_api.js';
import { conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d } from '../../src/layers/conv/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const ru = (seed: number) => randomUniform({ minval: -0.5, maxval: 0.5, seed });

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

  it('softmax runs over the last axis of the output in its own data format, as in Keras', () => {
    const x = input([1, 4, 5, 2]);
    for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
      const layer = conv2d({ filters: 3, kernelSize: 1, activation: 'softmax', dataFormat, kernelInitializer: ru(15) });
      const y = layer.apply(x) as tf.Tensor;
      const sums = tf.sum(y, -1);
      Array.from(sums.dataSync()).forEach((v) => expect(v).toBeCloseTo(1, 5));
      tf.dispose([y, sums]);
      layer.dispose();
    }
    x.dispose();
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

