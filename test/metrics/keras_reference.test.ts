/**
 * Metrics against the real Keras 3: each case replays the inputs of one of Keras' own unit
 * tests (named in the case's `cite`, e.g.
 * keras/src/metrics/confusion_metrics_test.py::AUCTest::test_weighted_pr_interpolation)
 * through Keras and records its result; see scripts/fixtures/make_keras_numbers.py.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ValueError } from '../../src/engine/errors.js';
import * as metrics from '../../src/metrics/index.js';

interface Case {
  className: string;
  strata: Record<string, unknown>;
  yTrue: number[] | number[][];
  yPred: number[] | number[][];
  sampleWeight: number[] | number[][] | null;
  result: number | number[];
  cite: string;
}

const cases = (JSON.parse(readFileSync(new URL('../fixtures/keras_numbers/metrics.json', import.meta.url), 'utf8')) as {
  cases: Case[];
}).cases;

beforeAll(async () => {
  await setBackend('cpu');
});

type Maker = (o: Record<string, unknown>) => metrics.Metric;
const MAKERS: Record<string, Maker> = {
  Accuracy: (o) => metrics.accuracy(o),
  BinaryAccuracy: (o) => metrics.binaryAccuracy(o),
  CategoricalAccuracy: (o) => metrics.categoricalAccuracy(o),
  SparseCategoricalAccuracy: (o) => metrics.sparseCategoricalAccuracy(o),
  TopKCategoricalAccuracy: (o) => metrics.topKCategoricalAccuracy(o),
  SparseTopKCategoricalAccuracy: (o) => metrics.sparseTopKCategoricalAccuracy(o),
  Precision: (o) => metrics.precision(o),
  Recall: (o) => metrics.recall(o),
  AUC: (o) => metrics.auc(o),
  CosineSimilarity: (o) => metrics.cosineSimilarity(o),
};

describe('metrics match Keras 3 on the inputs of its own unit tests', () => {
  it.each(cases.map((c) => [c.cite, c] as const))('%s', (_cite, c) => {
    const m = MAKERS[c.className]!(c.strata);
    const yt = tf.tensor(c.yTrue);
    const yp = tf.tensor(c.yPred);
    const sw = c.sampleWeight ? tf.tensor(c.sampleWeight) : undefined;
    const before = tf.memory().numTensors;
    m.update(yt, yp, sw);
    const many = Array.isArray(c.result);
    const r = many ? (m as metrics.ConfusionCounts).results() : m.result();
    const got = Array.from(r.dataSync());
    r.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const want = many ? (c.result as number[]) : [c.result as number];
    expect(got).toHaveLength(want.length);
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    tf.dispose([yt, yp, ...(sw ? [sw] : [])]);
    m.dispose();
  });

  it('a thresholds list makes result() a clear error (use results()), and compile refuses it', () => {
    const m = metrics.precision({ thresholds: [0.3, 0.6] });
    expect(() => m.result()).toThrow(ValueError);
    expect(() => m.result()).toThrow(/2 thresholds.*results\(\)/);
    m.dispose();
    expect(() => metrics.precision({ threshold: 0.3, thresholds: [0.5] })).toThrow(/not both/);
    expect(() => metrics.recall({ thresholds: [] })).toThrow(/non-empty list/);
    expect(() => metrics.recall({ topK: 0 })).toThrow(/'topK' must be an integer >= 1/);
    expect(() => metrics.auc({ curve: 'pr' as 'PR' })).toThrow(/'curve' must be 'ROC' or 'PR'/);
    expect(() => metrics.topKCategoricalAccuracy({ k: 1.5 })).toThrow(/'k' must be an integer >= 1/);
  });

  it('top-k accuracy counts ties at the boundary as hits, as in_top_k does', () => {
    const m = metrics.sparseTopKCategoricalAccuracy({ k: 1 });
    const yt = tf.tensor1d([1, 0]);
    const yp = tf.tensor2d([[0.5, 0.5, 0], [0.2, 0.3, 0.5]]);
    m.update(yt, yp);
    const r = m.result();
    expect(r.dataSync()[0]).toBe(0.5);
    tf.dispose([yt, yp, r]);
    m.dispose();
  });
});
