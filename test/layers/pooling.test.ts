import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import {
  AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D,
  averagePooling2d, globalAveragePooling2d, globalMaxPooling2d, maxPooling2d,
} from '../../src/layers/pooling/index.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

layerHarness({ title: 'maxPooling2d default', make: () => maxPooling2d(), inputShape: [2, 6, 6, 3], trainable: false });
layerHarness({ title: 'maxPooling2d 3x3 stride 2 same', make: () => maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), inputShape: [2, 7, 5, 2], trainable: false });
layerHarness({ title: 'maxPooling2d channelsFirst [2,3]', make: () => maxPooling2d({ poolSize: [2, 3], dataFormat: 'channelsFirst' }), inputShape: [2, 3, 4, 6], trainable: false });
layerHarness({ title: 'averagePooling2d default', make: () => averagePooling2d(), inputShape: [2, 4, 6, 2], trainable: false });
layerHarness({ title: 'averagePooling2d 3x3 stride 1 same', make: () => averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }), inputShape: [1, 5, 4, 2], trainable: false });
layerHarness({ title: 'averagePooling2d channelsFirst stride [1,2]', make: () => averagePooling2d({ poolSize: 2, strides: [1, 2], dataFormat: 'channelsFirst' }), inputShape: [2, 2, 5, 6], trainable: false });
layerHarness({ title: 'globalAveragePooling2d', make: () => globalAveragePooling2d(), inputShape: [2, 3, 4, 5], trainable: false });
layerHarness({ title: 'globalAveragePooling2d keepdims channelsFirst', make: () => globalAveragePooling2d({ keepdims: true, dataFormat: 'channelsFirst' }), inputShape: [2, 3, 4, 5], trainable: false });
layerHarness({ title: 'globalMaxPooling2d', make: () => globalMaxPooling2d(), inputShape: [2, 3, 4, 5], trainable: false });
layerHarness({ title: 'globalMaxPooling2d keepdims', make: () => globalMaxPooling2d({ keepdims: true }), inputShape: [2, 3, 4, 5], trainable: false });

type A4 = number[][][][];

/** Plain-JS pooling (NHWC) with TensorFlow's 'same' padding; averages skip padded cells. */
function refPool(x: A4, kind: 'max' | 'avg', p: [number, number], s: [number, number], same: boolean): A4 {
  const [h, w] = [x[0]!.length, x[0]![0]!.length];
  const plan = (len: number, k: number, st: number) => {
    if (!same) return { out: Math.floor((len - k) / st) + 1, before: 0 };
    const out = Math.ceil(len / st);
    return { out, before: Math.floor(Math.max(0, (out - 1) * st + k - len) / 2) };
  };
  const ph = plan(h, p[0], s[0]);
  const pw = plan(w, p[1], s[1]);
  return x.map((img) => Array.from({ length: ph.out }, (_, i) => Array.from({ length: pw.out }, (_, j) =>
    img[0]![0]!.map((_, c) => {
      const vals: number[] = [];
      for (let a = 0; a < p[0]; a++) for (let b = 0; b < p[1]; b++) {
        const r = i * s[0] - ph.before + a;
        const q = j * s[1] - pw.before + b;
        if (r >= 0 && r < h && q >= 0 && q < w) vals.push(img[r]![q]![c]!);
      }
      return kind === 'max' ? Math.max(...vals) : vals.reduce((u, v) => u + v, 0) / vals.length;
    }))));
}

function expectClose(actual: tf.Tensor, expected: number[], tol = 1e-5): void {
  const got = actual.dataSync();
  expect(got.length).toBe(expected.length);
  expected.forEach((v, i) => expect(Math.abs(got[i]! - v), `element ${i}: got ${got[i]}, want ${v}`).toBeLessThan(tol));
}

describe('pooling values match plain JS', () => {
  const cases: { title: string; p: [number, number]; s: [number, number]; same: boolean }[] = [
    { title: '2x2 valid', p: [2, 2], s: [2, 2], same: false },
    { title: '3x3 stride 2 valid', p: [3, 3], s: [2, 2], same: false },
    { title: '3x3 stride 2 same', p: [3, 3], s: [2, 2], same: true },
    { title: '2x2 stride 2 same on odd sizes', p: [2, 2], s: [2, 2], same: true },
    { title: '3x2 stride [1,2] same', p: [3, 2], s: [1, 2], same: true },
  ];
  for (const c of cases) {
    for (const kind of ['max', 'avg'] as const) {
      it(`${kind} ${c.title}`, () => {
        const x = tf.randomUniform([2, 7, 5, 3], -1, 1, 'float32', 3);
        const opts = { poolSize: c.p, strides: c.s, padding: c.same ? 'same' as const : 'valid' as const };
        const layer = kind === 'max' ? maxPooling2d(opts) : averagePooling2d(opts);
        const y = layer.apply(x) as tf.Tensor;
        const want = refPool(x.arraySync() as A4, kind, c.p, c.s, c.same);
        expect(y.shape).toEqual([2, want[0]!.length, want[0]![0]!.length, 3]);
        expectClose(y, want.flat(3));
        tf.dispose([x, y]);
      });
    }
  }

  it('a hand-worked 4x4 example', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]);
    const mx = maxPooling2d().apply(x) as tf.Tensor;
    const av = averagePooling2d().apply(x) as tf.Tensor;
    expect(Array.from(mx.dataSync())).toEqual([6, 8, 14, 16]);
    expect(Array.from(av.dataSync())).toEqual([3.5, 5.5, 11.5, 13.5]);
    tf.dispose([x, mx, av]);
  });

  it('channelsFirst pools the same cells as channelsLast', () => {
    const x = tf.randomUniform([2, 6, 7, 3], -1, 1, 'float32', 9);
    for (const make of [maxPooling2d, averagePooling2d]) {
      const yl = make({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.Tensor;
      const xf = tf.transpose(x, [0, 3, 1, 2]);
      const yf = make({ poolSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst' }).apply(xf) as tf.Tensor;
      expect(yf.shape).toEqual([2, 3, 3, 4]);
      const back = tf.transpose(yf, [0, 2, 3, 1]);
      expectClose(back, Array.from(yl.dataSync()));
      tf.dispose([yl, xf, yf, back]);
    }
    x.dispose();
  });

  it('global pooling averages and maximises over height and width', () => {
    const x = tf.randomUniform([2, 3, 4, 5], -1, 1, 'float32', 4);
    const data = x.arraySync() as A4;
    const cells = (n: number, c: number) => data[n]!.flatMap((row) => row.map((px) => px[c]!));
    const mean = [0, 1].flatMap((n) => [0, 1, 2, 3, 4].map((c) => cells(n, c).reduce((a, b) => a + b, 0) / 12));
    const max = [0, 1].flatMap((n) => [0, 1, 2, 3, 4].map((c) => Math.max(...cells(n, c))));
    const ga = globalAveragePooling2d().apply(x) as tf.Tensor;
    const gm = globalMaxPooling2d({ keepdims: true }).apply(x) as tf.Tensor;
    expect(ga.shape).toEqual([2, 5]);
    expect(gm.shape).toEqual([2, 1, 1, 5]);
    expectClose(ga, mean);
    expectClose(gm, max);
    const xf = tf.transpose(x, [0, 3, 1, 2]);
    const gf = globalAveragePooling2d({ dataFormat: 'channelsFirst', keepdims: true }).apply(xf) as tf.Tensor;
    expect(gf.shape).toEqual([2, 5, 1, 1]);
    expectClose(gf, mean);
    tf.dispose([x, ga, gm, xf, gf]);
  });
});

describe('average pooling gradient with same padding', () => {
  it('counts only the cells inside the image (tfjs-core\'s avgPool gradient divides by the full window)', () => {
    // [x0 x1] pooled 1x2, stride 1, same: y0 = (x0 + x1) / 2, y1 = x1 / 1 (padded cell skipped).
    const x = tf.tensor4d([3, 5], [1, 1, 2, 1]);
    const layer = averagePooling2d({ poolSize: [1, 2], strides: 1, padding: 'same' });
    const y = layer.apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([4, 5]);
    const w = tf.tensor4d([1, 10], [1, 1, 2, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, w)))(x);
    expect(Array.from(g.dataSync())).toEqual([0.5, 0.5 + 10]);
    tf.dispose([x, y, w, g]);
  });
});

describe('pooling output shapes and config', () => {
  // [input size, pool, stride, padding, expected], worked out by hand from the Keras formula.
  const table: [number, number, number, 'valid' | 'same', number][] = [
    [28, 2, 2, 'valid', 14], [7, 2, 2, 'valid', 3], [7, 2, 2, 'same', 4], [7, 3, 1, 'same', 7],
    [7, 3, 1, 'valid', 5], [8, 3, 3, 'same', 3], [8, 3, 3, 'valid', 2], [5, 5, 1, 'valid', 1],
  ];
  for (const [len, p, s, padding, out] of table) {
    it(`in ${len}, pool ${p}, stride ${s}, ${padding} -> ${out}`, () => {
      for (const make of [maxPooling2d, averagePooling2d]) {
        const layer = make({ poolSize: p, strides: s, padding });
        expect(layer.computeOutputShape([null, len, len, 2])).toEqual([null, out, out, 2]);
        const x = tf.zeros([1, len, len, 2]);
        const y = layer.apply(x) as tf.Tensor;
        expect(y.shape).toEqual([1, out, out, 2]);
        tf.dispose([x, y]);
      }
    });
  }

  it('strides default to the pool size; config holds canonical tuples', () => {
    const layer = maxPooling2d({ poolSize: 3, name: 'p' });
    expect(layer.strides).toEqual([3, 3]);
    expect(layer.getConfig()).toMatchObject({ name: 'p', poolSize: [3, 3], strides: [3, 3], padding: 'valid', dataFormat: 'channelsLast' });
    expect(maxPooling2d().getConfig()).toMatchObject({ poolSize: [2, 2], strides: [2, 2] });
    expect(averagePooling2d({ strides: null }).strides).toEqual([2, 2]);
    expect(globalMaxPooling2d().getConfig()).toMatchObject({ dataFormat: 'channelsLast', keepdims: false });
    expect(globalAveragePooling2d().computeOutputShape([null, null, null, 7])).toEqual([null, 7]);
  });

  it('factories return the exported classes with Keras class names', () => {
    expect(maxPooling2d()).toBeInstanceOf(MaxPooling2D);
    expect(averagePooling2d()).toBeInstanceOf(AveragePooling2D);
    expect(globalAveragePooling2d()).toBeInstanceOf(GlobalAveragePooling2D);
    expect(globalMaxPooling2d()).toBeInstanceOf(GlobalMaxPooling2D);
    expect([maxPooling2d(), averagePooling2d(), globalAveragePooling2d(), globalMaxPooling2d()].map((l) => l.className))
      .toEqual(['MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D']);
    expect(maxPooling2d().name).toBe('max_pooling2d');
  });
});

describe('pooling bad options and inputs', () => {
  const bad: [string, () => unknown, RegExp][] = [
    ['poolSize 0', () => maxPooling2d({ poolSize: 0 }), /MaxPooling2D 'max_pooling2d'.*'poolSize'.*positive.*0/],
    ['poolSize [2, -1]', () => averagePooling2d({ poolSize: [2, -1] }), /AveragePooling2D.*'poolSize'.*\[2,-1\]/],
    ['strides 0', () => maxPooling2d({ strides: 0 }), /MaxPooling2D.*'strides'.*0/],
    ['padding full', () => maxPooling2d({ padding: 'full' as 'same' }), /MaxPooling2D.*'padding'.*'valid' or 'same'.*'full'/],
    ['dataFormat NCHW', () => averagePooling2d({ dataFormat: 'NCHW' as 'channelsFirst' }), /'dataFormat'.*'NCHW'/],
    ['global dataFormat', () => globalMaxPooling2d({ dataFormat: 'x' as 'channelsFirst' }), /GlobalMaxPooling2D.*'dataFormat'/],
    ['keepdims not boolean', () => globalAveragePooling2d({ keepdims: 1 as unknown as boolean }), /GlobalAveragePooling2D.*'keepdims'.*boolean.*1/],
  ];
  for (const [title, make, message] of bad) {
    it(`${title} -> ValueError`, () => {
      expect(make).toThrow(ValueError);
      expect(make).toThrow(message);
    });
  }

  it('input of rank 3 -> ShapeError naming the layer and the shape', () => {
    for (const layer of [maxPooling2d({ name: 'p' }), averagePooling2d({ name: 'p' }), globalAveragePooling2d({ name: 'p' }), globalMaxPooling2d({ name: 'p' })]) {
      const x = tf.zeros([2, 4, 4]);
      expect(() => layer.apply(x)).toThrow(ShapeError);
      expect(() => layer.apply(x)).toThrow(new RegExp(`${layer.className} 'p'.*rank 4.*\\[null,4,4\\]`));
      x.dispose();
    }
  });

  it('a pool window larger than the input (valid) -> ShapeError', () => {
    const x = tf.zeros([1, 2, 5, 1]);
    const layer = maxPooling2d({ poolSize: 3 });
    expect(() => layer.apply(x)).toThrow(ShapeError);
    expect(() => layer.apply(x)).toThrow(/MaxPooling2D 'max_pooling2d'.*pool window.*\[null,2,5,1\]/);
    x.dispose();
  });
});
