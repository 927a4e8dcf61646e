/**
 * Losses against the real Keras 3: each case replays the inputs of one of Keras' own unit
 * tests (its `cite`, e.g. keras/src/losses/losses_test.py::KLDivergenceTest::test_unweighted)
 * through Keras and records the per-sample losses (reduction None), the mean, and the
 * sample-weighted mean; see scripts/fixtures/make_keras_numbers.py.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import * as losses from '../../src/losses/index.js';

interface Case {
  className: string;
  config: Record<string, unknown>;
  yTrue: number[][] | number[][][];
  yPred: number[][] | number[][][];
  perSample: number[] | number[][];
  mean: number;
  sampleWeight?: number[];
  weightedMean?: number;
  cite: string;
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/keras_numbers/losses.json', import.meta.url), 'utf8')) as {
  cases: Case[];
}).cases;

beforeAll(async () => {
  await setBackend('cpu');
});

const read = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('losses match Keras 3 on the inputs of its own unit tests', () => {
  it.each(cases.map((c) => [`${c.cite} ${JSON.stringify(c.config)}`, c] as const))('%s', (_t, c) => {
    // Built the way a saved Keras config is read: class name and snake_case keys.
    const loss = losses.lossFromConfig(c.className, c.config);
    const yt = tf.tensor(c.yTrue);
    const yp = tf.tensor(c.yPred);
    const before = tf.memory().numTensors;
    const per = read(loss.call(yt, yp));
    expect(tf.memory().numTensors).toBe(before);
    const mean = per.reduce((a, b) => a + b, 0) / per.length;
    expect(mean).toBeCloseTo(c.mean, 4);
    const kerasPer = (c.perSample as number[] | number[][]).flat();
    // Where Keras keeps one loss per sample, so does strata.
    if (kerasPer.length === per.length) kerasPer.forEach((v, i) => expect(per[i]).toBeCloseTo(v, 4));
    if (c.sampleWeight) {
      // Keras' default reduction: sum(w · loss) / batch size, as strata's training loop does.
      const weighted = per.reduce((a, v, i) => a + v * c.sampleWeight![i]!, 0) / per.length;
      expect(weighted).toBeCloseTo(c.weightedMean!, 4);
    }
    tf.dispose([yt, yp]);
  });

  it('each new loss resolves from camelCase, snake_case, class name and Keras alias', () => {
    const table: [string, string][] = [
      ['kl_divergence', 'KLDivergence'], ['kld', 'KLDivergence'], ['poisson', 'Poisson'], ['log_cosh', 'LogCosh'],
      ['logCosh', 'LogCosh'], ['mape', 'MeanAbsolutePercentageError'], ['mean_absolute_percentage_error', 'MeanAbsolutePercentageError'],
      ['msle', 'MeanSquaredLogarithmicError'], ['squared_hinge', 'SquaredHinge'], ['categoricalHinge', 'CategoricalHinge'],
      ['cosine_similarity', 'CosineSimilarity'], ['binary_focal_crossentropy', 'BinaryFocalCrossentropy'],
      ['CategoricalFocalCrossentropy', 'CategoricalFocalCrossentropy'],
    ];
    for (const [name, cls] of table) expect(losses.getLoss(name).className, name).toBe(cls);
  });

  it('configs round-trip through lossFromConfig', () => {
    const made: losses.Loss[] = [
      losses.binaryFocalCrossentropy({ gamma: 3, applyClassBalancing: true, alpha: 0.4, fromLogits: true, labelSmoothing: 0.1 }),
      losses.categoricalFocalCrossentropy({ alpha: 0.5, gamma: 1, axis: 1 }),
      losses.cosineSimilarity({ axis: 0 }),
      losses.sparseCategoricalCrossentropy({ ignoreClass: 255, fromLogits: true }),
      losses.categoricalCrossentropy({ labelSmoothing: 0.2, axis: 0 }),
    ];
    for (const l of made) expect(losses.lossFromConfig(l.className, l.getConfig()).getConfig()).toEqual(l.getConfig());
  });

  it('bad options are ValueErrors naming the option', () => {
    expect(() => losses.binaryFocalCrossentropy({ gamma: -1 })).toThrow(/'gamma' must be a number in \[0, ∞\)/);
    expect(() => losses.categoricalFocalCrossentropy({ axis: 0.5 })).toThrow(/'axis' must be an integer/);
    expect(() => losses.sparseCategoricalCrossentropy({ ignoreClass: 1.5 })).toThrow(/'ignoreClass' must be an integer or null/);
    const yt = tf.tensor2d([[1, 0]]);
    expect(() => losses.cosineSimilarity({ axis: 3 }).call(yt, yt)).toThrow(/'axis' 3 is outside the 2 axes/);
    yt.dispose();
  });

  it('label smoothing along a non-last class axis uses that axis size', () => {
    // Class axis 0 of a [3, 2] batch: three classes. Smoothing 0.3 turns one-hot 1 into 0.8.
    const loss = losses.categoricalCrossentropy({ labelSmoothing: 0.3, axis: 0 });
    const yt = tf.tensor2d([[1, 0], [0, 1], [0, 0]]);
    const yp = tf.tensor2d([[0.7, 0.1], [0.2, 0.6], [0.1, 0.3]]);
    const got = read(loss.call(yt, yp));
    const t = [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1]];
    const p = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]];
    const want = t.map((row, j) => -row.reduce((a, v, i) => a + v * Math.log(p[j]![i]!), 0));
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    tf.dispose([yt, yp]);
  });
});
