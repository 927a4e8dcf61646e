import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ValueError } from '../../src/engine/errors.js';
import { Dropout, dropout } from '../../src/layers/core/dropout.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

layerHarness({ title: 'dropout 0.5', make: () => dropout({ rate: 0.5 }), inputShape: [4, 6], trainable: false, stochastic: true });
layerHarness({ title: 'dropout seeded, noise shape', make: () => dropout({ rate: 0.2, noiseShape: [null, 1, 3], seed: 3 }), inputShape: [2, 4, 3], trainable: false, stochastic: true });
layerHarness({ title: 'dropout rate 0', make: () => dropout({ rate: 0 }), inputShape: [3, 2], trainable: false });

describe('Dropout', () => {
  it('is the identity in inference and does not hand back its input', () => {
    const layer = dropout({ rate: 0.5 });
    const x = tf.randomNormal([5, 7], 0, 1, 'float32', 1);
    for (const ctx of [{}, { training: false }]) {
      const y = layer.apply(x, ctx) as tf.Tensor;
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      y.dispose();
      expect(x.isDisposed).toBe(false);
    }
    x.dispose();
  });

  it('in training zeroes about `rate` of the elements and scales the kept ones by 1/(1-rate)', () => {
    for (const rate of [0.1, 0.3, 0.7]) {
      const layer = dropout({ rate });
      const x = tf.ones([100, 100]);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const v = y.dataSync();
      let zeros = 0;
      for (const e of v) {
        if (e === 0) zeros += 1;
        else expect(e).toBeCloseTo(1 / (1 - rate), 5);
      }
      // Binomial(10000, rate) has a standard deviation below 0.005 of the count: 0.03 is > 6 sigma.
      expect(Math.abs(zeros / v.length - rate)).toBeLessThan(0.03);
      tf.dispose([x, y]);
    }
  });

  it('keeps the expected sum (mean of many masks)', () => {
    const layer = dropout({ rate: 0.4 });
    const x = tf.fill([50, 40], 2);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const mean = tf.mean(y).dataSync()[0]!;
    // Each element has mean 2 and sd 2·sqrt(0.4/0.6) ≈ 1.63; over 2000 elements the sd of the mean is 0.037.
    expect(Math.abs(mean - 2)).toBeLessThan(0.25);
    tf.dispose([x, y]);
  });

  it('noiseShape broadcasts the mask (whole rows dropped together)', () => {
    const layer = dropout({ rate: 0.5, noiseShape: [null, 1] });
    const x = tf.ones([200, 8]);
    const y = layer.apply(x, { training: true }) as tf.Tensor2D;
    const rows = y.arraySync();
    let dropped = 0;
    for (const r of rows) {
      expect(new Set(r).size).toBe(1);
      if (r[0] === 0) dropped += 1;
    }
    expect(dropped).toBeGreaterThan(50);
    expect(dropped).toBeLessThan(150);
    tf.dispose([x, y]);
  });

  it('seeded layers draw the same sequence of masks; successive calls differ', () => {
    const a = dropout({ rate: 0.5, seed: 42 });
    const b = dropout({ rate: 0.5, seed: 42 });
    const x = tf.ones([10, 10]);
    const run = (l: Dropout) => {
      const y = l.apply(x, { training: true }) as tf.Tensor;
      const v = Array.from(y.dataSync());
      y.dispose();
      return v;
    };
    const a1 = run(a);
    const a2 = run(a);
    expect(run(b)).toEqual(a1);
    expect(run(b)).toEqual(a2);
    expect(a2).not.toEqual(a1);
    x.dispose();
  });

  it('gradients pass only through kept elements, scaled', () => {
    const layer = dropout({ rate: 0.5, seed: 9 });
    const x = tf.randomNormal([6, 6], 0, 1, 'float32', 2);
    const probe = dropout({ rate: 0.5, seed: 9 });
    const y = probe.apply(tf.onesLike(x), { training: true }) as tf.Tensor;
    const g = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t, { training: true }) as tf.Tensor))(x);
    expect(Array.from(g.dataSync())).toEqual(Array.from(y.dataSync()));
    tf.dispose([x, y, g]);
  });

  it('rejects a rate outside [0, 1), naming the layer and the argument', () => {
    for (const rate of [1.5, 1, -0.1, Number.NaN]) {
      expect(() => dropout({ rate, name: 'drop' })).toThrow(ValueError);
      expect(() => dropout({ rate, name: 'drop' })).toThrow(/Dropout 'drop'.*'rate'/);
    }
    expect(() => dropout({ rate: 0.5, noiseShape: [0, 2] })).toThrow(/noiseShape/);
    expect(() => dropout({ rate: 0.5, seed: 1.5 })).toThrow(/seed/);
  });

  it('rejects a noiseShape that does not fit the input', () => {
    const layer = dropout({ rate: 0.5, noiseShape: [null, 3] });
    const x = tf.ones([2, 4]);
    expect(() => layer.apply(x, { training: true })).toThrow(/noiseShape/);
    x.dispose();
  });

  it('round-trips its config', () => {
    const layer = dropout({ rate: 0.25, noiseShape: [null, 1, 4], seed: 5, name: 'd' });
    expect(layer.getConfig()).toEqual({ name: 'd', trainable: true, rate: 0.25, noiseShape: [null, 1, 4], seed: 5 });
    expect(new Dropout(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
  });
});
