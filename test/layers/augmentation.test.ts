import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ValueError } from '../../src/engine/errors.js';
import type { Layer } from '../../src/engine/layer.js';
import { rotationMatrices, translationMatrices, zoomMatrices } from '../../src/layers/augmentation/affine.js';
import {
  RandomAffine, RandomBrightness, RandomContrast, RandomLayer, randomBrightness, randomContrast, randomCrop, randomFlip,
  randomRotation, randomTranslation, randomZoom,
} from '../../src/layers/augmentation/index.js';
import { layerHarness } from '../harness/layer_harness.js';
import { KERAS_CASES, expectClose, layerFromCase, t } from './keras_fixture.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const MAKERS: [string, () => RandomLayer<unknown>][] = [
  ['randomFlip', () => randomFlip({ seed: 1 })],
  ['randomFlip horizontal channelsFirst', () => randomFlip({ mode: 'horizontal', seed: 1, dataFormat: 'channelsFirst' })],
  ['randomRotation', () => randomRotation({ factor: 0.2, seed: 2 })],
  ['randomRotation constant nearest', () => randomRotation({ factor: [-0.1, 0.3], fillMode: 'constant', interpolation: 'nearest', fillValue: 0.5, seed: 2 })],
  ['randomZoom', () => randomZoom({ heightFactor: 0.3, seed: 3 })],
  ['randomZoom both', () => randomZoom({ heightFactor: [-0.2, 0.1], widthFactor: 0.4, fillMode: 'wrap', seed: 3 })],
  ['randomTranslation', () => randomTranslation({ heightFactor: 0.2, widthFactor: [-0.1, 0.3], fillMode: 'nearest', seed: 4 })],
  ['randomContrast', () => randomContrast({ factor: 0.5, valueRange: [-1, 1], seed: 5 })],
  ['randomBrightness', () => randomBrightness({ factor: 0.3, valueRange: [-1, 1], seed: 6 })],
  ['randomCrop', () => randomCrop({ height: 3, width: 2, seed: 7 })],
];

for (const [title, make] of MAKERS) layerHarness({ title, make, inputShape: [2, 5, 4, 3], trainable: false, stochastic: true });

function images(seed = 1, shape: [number, number, number, number] = [3, 6, 5, 2]): tf.Tensor4D {
  return tf.randomUniform(shape, -1, 1, 'float32', seed) as tf.Tensor4D;
}

const values = (x: tf.Tensor) => Array.from(x.dataSync());

describe('augmentation layers: Keras transforms with fixed parameters', () => {
  const deg = Math.PI / 180;
  for (const c of KERAS_CASES.filter((k) => k.params)) {
    it(c.name, () => {
      const layer = layerFromCase(c) as RandomLayer<unknown>;
      const x = t(c.x, c.x_shape) as tf.Tensor4D;
      const [, h, w] = c.x_shape as [number, number, number];
      const p = c.params!;
      const f32 = (a: number[]) => Float32Array.from(a);
      let params: unknown;
      if (layer.className === 'RandomRotation') params = rotationMatrices(f32(p.angle_degrees!.map((a) => a * deg)), h, w);
      else if (layer.className === 'RandomZoom') params = zoomMatrices(f32(p.height_zoom!), f32(p.width_zoom!), h, w);
      else if (layer.className === 'RandomTranslation') params = translationMatrices(f32(p.height_fraction!.map((v) => v * h)), f32(p.width_fraction!.map((v) => v * w)));
      else if (layer.className === 'RandomContrast') params = f32(p.contrast_factor!);
      else params = f32(p.delta!);
      const y = tf.tidy(() => layer.applyParams(x, params));
      expectClose(y, c.y, c.y_shape, 1e-5, 1e-4);
      tf.dispose([x, y]);
    });
  }

  it('Keras configs of every augmentation layer load with their values', () => {
    for (const name of ['RandomFlip', 'RandomCrop', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast', 'RandomBrightness']) {
      const c = KERAS_CASES.find((k) => k.class_name === name)!;
      const layer = layerFromCase(c);
      expect(layer.className).toBe(name);
    }
    const crop = layerFromCase(KERAS_CASES.find((k) => k.class_name === 'RandomCrop')!) as RandomLayer<unknown>;
    expect(crop.seed).toBe(7);
    const rot = layerFromCase(KERAS_CASES.find((k) => k.name === 'randomRotation constant nearest')!) as RandomAffine;
    expect([rot.fillMode, rot.interpolation, rot.fillValue]).toEqual(['constant', 'nearest', 0.5]);
    const contrast = layerFromCase(KERAS_CASES.find((k) => k.class_name === 'RandomContrast')!) as RandomContrast;
    expect(contrast.factor).toEqual([0, 0.6]);
    expect(contrast.valueRange).toEqual([0, 1]);
    const bright = layerFromCase(KERAS_CASES.find((k) => k.class_name === 'RandomBrightness')!) as RandomBrightness;
    expect(bright.factor).toEqual([-0.5, 0.5]);
  });
});

describe('augmentation layers: training only, seeded', () => {
  it('pass images through unchanged at inference (crop: centre crop and resize)', () => {
    const x = images();
    for (const [title, make] of MAKERS.filter(([n]) => n !== 'randomCrop')) {
      const layer = make();
      const y = layer.apply(x) as tf.Tensor;
      expect(values(y), title).toEqual(values(x));
      y.dispose();
    }
    const crop = randomCrop({ height: 4, width: 5 }).apply(x) as tf.Tensor;
    expect(crop.shape).toEqual([3, 4, 5, 2]);
    tf.dispose([x, crop]);
  });

  it('change images in training; the same seed gives the same outputs, batch after batch', () => {
    const x = images(2);
    for (const [title, make] of MAKERS) {
      const a = make();
      const b = make();
      const ya = [0, 1, 2].map(() => a.apply(x, { training: true }) as tf.Tensor);
      const yb = [0, 1, 2].map(() => b.apply(x, { training: true }) as tf.Tensor);
      ya.forEach((y, i) => expect(values(y), `${title} call ${i}`).toEqual(values(yb[i]!)));
      if (title !== 'randomCrop') expect(ya.some((y) => values(y).some((v, j) => v !== x.dataSync()[j])), title).toBe(true);
      a.resetSeed();
      const again = a.apply(x, { training: true }) as tf.Tensor;
      expect(values(again), `${title} after resetSeed`).toEqual(values(ya[0]!));
      tf.dispose([...ya, ...yb, again]);
    }
    const s1 = randomRotation({ factor: 0.3, seed: 1 }).apply(x, { training: true }) as tf.Tensor;
    const s2 = randomRotation({ factor: 0.3, seed: 2 }).apply(x, { training: true }) as tf.Tensor;
    expect(values(s1)).not.toEqual(values(s2));
    tf.dispose([x, s1, s2]);
  });

  it('flips give each image or its mirror; crops give windows of the input', () => {
    const x = images(3, [8, 4, 5, 1]);
    const y = randomFlip({ mode: 'horizontal', seed: 9 }).apply(x, { training: true }) as tf.Tensor;
    const mirror = tf.reverse(x, 2);
    let flipped = 0;
    for (let i = 0; i < 8; i++) {
      const yi = values(tf.slice(y, [i], [1]));
      const same = yi.every((v, j) => v === values(tf.slice(x, [i], [1]))[j]);
      const flip = yi.every((v, j) => v === values(tf.slice(mirror, [i], [1]))[j]);
      expect(same || flip).toBe(true);
      if (flip) flipped++;
    }
    expect(flipped).toBeGreaterThan(0);
    expect(flipped).toBeLessThan(8);
    const c = randomCrop({ height: 2, width: 3, seed: 4 });
    const p = c.sampleParams(8, 4, 5)!;
    expect(p[0]).toBeGreaterThanOrEqual(0);
    expect(p[0]).toBeLessThanOrEqual(2);
    expect(p[1]).toBeLessThanOrEqual(2);
    const win = c.applyParams(x, p);
    expect(values(win)).toEqual(values(tf.slice(x, [0, p[0], p[1], 0], [-1, 2, 3, -1])));
    tf.dispose([x, y, mirror, win]);
  });

  it('keep values in range: brightness and contrast clip to valueRange, constant fill stays within the data and the fill', () => {
    const x = tf.randomUniform([16, 5, 5, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    for (const layer of [randomBrightness({ factor: 0.9, valueRange: [0, 1], seed: 1 }), randomContrast({ factor: 0.9, valueRange: [0, 1], seed: 1 })]) {
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const v = values(y);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      expect(v.some((a) => a === 0 || a === 1)).toBe(true);
      y.dispose();
    }
    const r = randomRotation({ factor: 0.5, fillMode: 'constant', fillValue: 2, seed: 3 }).apply(x, { training: true }) as tf.Tensor;
    const rv = values(r);
    // Bilinear values are convex blends of data in [0, 1] and the fill 2; corners get the fill.
    expect(Math.min(...rv)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...rv)).toBeLessThanOrEqual(2 + 1e-6);
    expect(rv.some((a) => a > 1.5)).toBe(true);
    tf.dispose([x, r]);
  });

  it('samples rotation angles, zooms and shifts inside their ranges', () => {
    const rot = randomRotation({ factor: [0.1, 0.2], seed: 1 });
    const m = rot.sampleParams(50, 4, 4);
    for (let i = 0; i < 50; i++) {
      const angle = Math.atan2(m[i * 8 + 3]!, m[i * 8]!) / (2 * Math.PI);
      expect(angle).toBeGreaterThanOrEqual(0.1 - 1e-6);
      expect(angle).toBeLessThanOrEqual(0.2 + 1e-6);
    }
    const z = randomZoom({ heightFactor: [-0.5, -0.25], seed: 1 }).sampleParams(50, 4, 4);
    for (let i = 0; i < 50; i++) {
      expect(z[i * 8 + 4]).toBeGreaterThanOrEqual(0.5);
      expect(z[i * 8 + 4]).toBeLessThanOrEqual(0.75);
      expect(z[i * 8]).toBe(z[i * 8 + 4]);
    }
    const tr = randomTranslation({ heightFactor: 0.25, widthFactor: 0, seed: 1 }).sampleParams(50, 8, 4);
    for (let i = 0; i < 50; i++) {
      expect(Math.abs(tr[i * 8 + 5]!)).toBeLessThanOrEqual(2);
      expect(Math.abs(tr[i * 8 + 2]!)).toBe(0);
    }
  });

  it('rejects bad options naming the layer and the argument', () => {
    expect(() => randomRotation({ factor: 2 })).toThrow(/RandomRotation 'random_rotation': 'factor' must be a number or a \[lower, upper\] pair within \[-1, 1\]; got 2/);
    expect(() => randomRotation({ factor: 0.1, fillMode: 'mirror' as never })).toThrow(/'fillMode' must be/);
    expect(() => randomZoom({ heightFactor: -1 })).toThrow(/must be above -1/);
    expect(() => randomFlip({ mode: 'diagonal' as never })).toThrow(ValueError);
    expect(() => randomContrast({ factor: 1.5 })).toThrow(/'factor'.*within \[0, 1\]/);
    expect(() => randomBrightness({ factor: 0.1, valueRange: [1, 1] })).toThrow(/'valueRange'/);
    expect(() => randomCrop({ height: 0, width: 2 })).toThrow(/'height' must be a positive integer/);
    expect(() => randomFlip({ seed: 0.5 })).toThrow(/'seed' must be an integer/);
  });
});

describe('augmentation inside fit', () => {
  it('acts in every training batch and never in predict, without leaking tensors', async () => {
    const st = await import('../../src/index.js');
    const flip = st.layers.randomFlip({ seed: 1 });
    let draws = 0;
    const sample = flip.sampleParams.bind(flip);
    flip.sampleParams = (n: number) => { draws++; return sample(n); };
    const net = st.sequential([
      st.layers.input({ shape: [6, 6, 1] }), flip, st.layers.randomRotation({ factor: 0.1, seed: 2 }),
      st.layers.conv2d({ filters: 2, kernelSize: 3 }), st.layers.flatten(), st.layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    net.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const x = tf.randomUniform([8, 6, 6, 1], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'float32');
    const n0 = tf.memory().numTensors;
    await net.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(draws).toBe(4);
    const p = net.predict(x) as tf.Tensor;
    expect(draws).toBe(4);
    p.dispose();
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([x, y]);
    (net as unknown as Layer).dispose?.();
  });
});
