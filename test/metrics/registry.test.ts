import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ValueError } from '../../src/engine/errors.js';
import * as losses from '../../src/losses/index.js';
import * as metrics from '../../src/metrics/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function valueOf(m: metrics.Metric, yt: tf.Tensor, yp: tf.Tensor): number {
  m.update(yt, yp);
  const r = m.result();
  const v = r.dataSync()[0]!;
  tf.dispose([r, yt, yp]);
  m.dispose();
  return v;
}

describe('getMetric', () => {
  const cases: [string, new (...a: never[]) => metrics.Metric, string][] = [
    ['binary_accuracy', metrics.BinaryAccuracy, 'binaryAccuracy'],
    ['binaryAccuracy', metrics.BinaryAccuracy, 'binaryAccuracy'],
    ['categorical_accuracy', metrics.CategoricalAccuracy, 'categoricalAccuracy'],
    ['sparse_categorical_accuracy', metrics.SparseCategoricalAccuracy, 'sparseCategoricalAccuracy'],
    ['mse', metrics.MeanSquaredErrorMetric, 'mse'],
    ['mean_squared_error', metrics.MeanSquaredErrorMetric, 'mse'],
    ['mae', metrics.MeanAbsoluteErrorMetric, 'mae'],
    ['meanAbsoluteError', metrics.MeanAbsoluteErrorMetric, 'mae'],
    ['rmse', metrics.RootMeanSquaredError, 'rmse'],
    ['root_mean_squared_error', metrics.RootMeanSquaredError, 'rmse'],
    ['precision', metrics.Precision, 'precision'],
    ['recall', metrics.Recall, 'recall'],
    ['f1', metrics.F1Score, 'f1'],
    ['f1_score', metrics.F1Score, 'f1'],
    ['auc', metrics.AUC, 'auc'],
    ['AUC', metrics.AUC, 'auc'],
  ];
  it.each(cases)('%s → %o named %s', (id, Cls, name) => {
    const m = metrics.getMetric(id);
    expect(m).toBeInstanceOf(Cls);
    expect(m.name).toBe(name);
    m.dispose();
  });

  it("'accuracy' is Keras 3's shape-driven AutoAccuracy whatever the loss; 'acc' logs as 'acc'", () => {
    const pick = (id: string, loss?: losses.Loss): metrics.Metric => metrics.getMetric(id, loss);
    const table: [metrics.Metric, string][] = [
      [pick('accuracy', losses.binaryCrossentropy()), 'accuracy'],
      [pick('acc', losses.categoricalCrossentropy()), 'acc'],
      [pick('accuracy', losses.getLoss('sparse_categorical_crossentropy')), 'accuracy'],
      [pick('accuracy'), 'accuracy'],
      [pick('accuracy', losses.meanSquaredError()), 'accuracy'],
    ];
    for (const [m, name] of table) {
      expect(m).toBeInstanceOf(metrics.AutoAccuracy);
      expect(m.name).toBe(name);
      m.dispose();
    }
  });

  // keras/src/trainers/compile_utils.py::is_binary_or_sparse_categorical decides from shapes.
  it('accuracyKind follows Keras 3: one prediction column → binary; lower-rank or one-column targets → sparse', () => {
    expect(metrics.accuracyKind([4, 1], [4, 1])).toBe('binary');
    expect(metrics.accuracyKind([4], [4])).toBe('binary');
    expect(metrics.accuracyKind([4], [4, 3])).toBe('sparse');
    expect(metrics.accuracyKind([4, 1], [4, 3])).toBe('sparse');
    expect(metrics.accuracyKind([4, 3], [4, 3])).toBe('categorical');
    // A multi-label sigmoid output: Keras 3 picks categorical accuracy here too.
    expect(metrics.accuracyKind([4, 5], [4, 5])).toBe('categorical');
  });

  it('st.metrics.accuracy() is the exact-match Accuracy of Keras (not argmax)', () => {
    const m = metrics.accuracy();
    expect(valueOf(m, tf.tensor1d([2, 0]), tf.tensor1d([2, 1]))).toBe(0.5);
    const p = metrics.accuracy();
    // Probabilities never equal one-hot targets exactly.
    expect(valueOf(p, tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.8], [0.9, 0.1]]))).toBe(0);
  });

  it('with a fromLogits binary loss, thresholded metrics apply the sigmoid', () => {
    const loss = losses.binaryCrossentropy({ fromLogits: true });
    // Logit 0.3 is probability 0.57: positive. Read as a probability it would be negative.
    const acc = metrics.getMetric('accuracy', loss);
    expect(valueOf(acc, tf.tensor2d([[1], [0]]), tf.tensor2d([[0.3], [-0.2]]))).toBe(1);
    const plain = metrics.getMetric('accuracy', losses.binaryCrossentropy());
    expect(valueOf(plain, tf.tensor2d([[1], [0]]), tf.tensor2d([[0.3], [-0.2]]))).toBe(0.5);
    const rec = metrics.getMetric('recall', loss);
    expect(valueOf(rec, tf.tensor2d([[1], [1]]), tf.tensor2d([[0.3], [-0.2]]))).toBe(0.5);
  });

  it('the shape-driven accuracy picks binary, sparse or categorical per batch shapes', () => {
    const acc = (): metrics.Metric => metrics.getMetric('accuracy');
    expect(valueOf(acc(), tf.tensor2d([[1], [0], [1]]), tf.tensor2d([[0.7], [0.6], [0.2]]))).toBeCloseTo(1 / 3, 6);
    expect(valueOf(acc(), tf.tensor1d([2, 0]), tf.tensor2d([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]))).toBe(1);
    expect(valueOf(acc(), tf.tensor2d([[2], [1]]), tf.tensor2d([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]))).toBe(0.5);
    expect(valueOf(acc(), tf.tensor2d([[0, 0, 1], [0, 1, 0]]), tf.tensor2d([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]))).toBe(0.5);
  });

  it('a loss name gives the running mean of that loss', () => {
    const m = metrics.getMetric('huber');
    expect(m).toBeInstanceOf(metrics.LossMetric);
    expect(m.name).toBe('huber');
    expect(valueOf(m, tf.tensor2d([[0], [0]]), tf.tensor2d([[0.5], [3]]))).toBeCloseTo((0.125 + 2.5) / 2, 6);
  });

  it('passes a Metric object through', () => {
    const m = metrics.auc({ name: 'roc' });
    expect(metrics.getMetric(m)).toBe(m);
    expect(m.name).toBe('roc');
    m.dispose();
  });

  it('an unknown name is a ValueError listing the known names', () => {
    expect(() => metrics.getMetric('acuracy')).toThrow(ValueError);
    expect(() => metrics.getMetric('acuracy')).toThrow(/unknown metric 'acuracy'.*accuracy.*binaryAccuracy.*auc/);
  });
});
