/**
 * Oracle: the new losses, metrics and schedules against the real Keras 3 on random inputs
 * (beyond the committed fixtures of Keras' own test inputs). Runs with `npm run test:oracle`.
 */
import { describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { runPython } from './python.js';

const { tf } = st;

/** A seeded uniform generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KERAS = `
import json, sys
import numpy as np
import keras
cases = json.loads(sys.argv[1])
out = []
for c in cases:
    kind, cls, cfg = c['kind'], c['className'], c['config']
    yt, yp = np.asarray(c['yTrue']), np.asarray(c['yPred'], dtype='float32')
    if kind == 'loss' and c.get('mean'):
        out.append([float(getattr(keras.losses, cls)(**cfg)(yt, yp))])
    elif kind == 'loss':
        out.append(np.asarray(getattr(keras.losses, cls)(reduction=None, **cfg)(yt, yp), dtype='float64').ravel().tolist())
    else:
        m = getattr(keras.metrics, cls)(**cfg)
        m.update_state(yt, yp)
        out.append(np.asarray(m.result(), dtype='float64').ravel().tolist())
print(json.dumps(out))
`;

interface Case {
  kind: 'loss' | 'metric'; className: string; config: Record<string, unknown>; yTrue: number[][] | number[]; yPred: number[][];
  /** Compare the batch mean (Keras' default reduction), not per-sample values. */
  mean?: boolean;
}

function makeCases(seed: number): Case[] {
  const r = rng(seed);
  const n = 6;
  const k = 4;
  const mat = (lo: number, hi: number): number[][] => Array.from({ length: n }, () => Array.from({ length: k }, () => lo + (hi - lo) * r()));
  const probs = (): number[][] => mat(0.05, 1).map((row) => row.map((v) => v / row.reduce((a, b) => a + b, 0)));
  const labels = Array.from({ length: n }, () => Math.floor(r() * k));
  const onehot = labels.map((l) => Array.from({ length: k }, (_, j) => (j === l ? 1 : 0)));
  const bits = mat(0, 1).map((row) => row.map((v) => (v > 0.5 ? 1 : 0)));
  return [
    { kind: 'loss', className: 'KLDivergence', config: {}, yTrue: probs(), yPred: probs() },
    { kind: 'loss', className: 'Poisson', config: {}, yTrue: mat(0, 5), yPred: mat(0.1, 5) },
    { kind: 'loss', className: 'LogCosh', config: {}, yTrue: mat(-3, 3), yPred: mat(-3, 3) },
    { kind: 'loss', className: 'MeanAbsolutePercentageError', config: {}, yTrue: mat(-3, 3), yPred: mat(-3, 3) },
    { kind: 'loss', className: 'MeanSquaredLogarithmicError', config: {}, yTrue: mat(-1, 5), yPred: mat(-1, 5) },
    { kind: 'loss', className: 'SquaredHinge', config: {}, yTrue: bits, yPred: mat(-2, 2) },
    { kind: 'loss', className: 'CategoricalHinge', config: {}, yTrue: onehot, yPred: mat(-2, 2) },
    { kind: 'loss', className: 'CosineSimilarity', config: {}, yTrue: mat(-2, 2), yPred: mat(-2, 2) },
    { kind: 'loss', className: 'BinaryFocalCrossentropy', config: { gamma: 1.5, apply_class_balancing: true, alpha: 0.4 }, yTrue: bits, yPred: mat(0.01, 0.99) },
    { kind: 'loss', className: 'BinaryFocalCrossentropy', config: { from_logits: true, label_smoothing: 0.2 }, yTrue: bits, yPred: mat(-4, 4) },
    { kind: 'loss', className: 'CategoricalFocalCrossentropy', config: { gamma: 3 }, yTrue: onehot, yPred: mat(0.05, 1) },
    { kind: 'loss', className: 'CategoricalFocalCrossentropy', config: { from_logits: true, label_smoothing: 0.1 }, yTrue: onehot, yPred: mat(-3, 3) },
    // Keras applies ignore_class through a mask that only its reduction reads, so compare means.
    { kind: 'loss', className: 'SparseCategoricalCrossentropy', config: { from_logits: true, ignore_class: 1 }, yTrue: labels, yPred: mat(-3, 3), mean: true },
    { kind: 'metric', className: 'TopKCategoricalAccuracy', config: { k: 2 }, yTrue: onehot, yPred: mat(0, 1) },
    { kind: 'metric', className: 'SparseTopKCategoricalAccuracy', config: { k: 2 }, yTrue: labels, yPred: mat(0, 1) },
    { kind: 'metric', className: 'Precision', config: { thresholds: [0.3, 0.5, 0.8] }, yTrue: bits, yPred: mat(0, 1) },
    { kind: 'metric', className: 'Recall', config: { top_k: 2 }, yTrue: bits, yPred: mat(0, 1) },
    { kind: 'metric', className: 'AUC', config: { curve: 'PR', num_thresholds: 50 }, yTrue: bits, yPred: mat(0, 1) },
  ];
}

function strataValue(c: Case): number[] {
  const yt = tf.tensor(c.yTrue);
  const yp = tf.tensor(c.yPred);
  try {
    if (c.kind === 'loss') {
      const per = st.losses.lossFromConfig(c.className, c.config).call(yt, yp);
      const v = Array.from(per.dataSync());
      per.dispose();
      return c.mean ? [v.reduce((a, b) => a + b, 0) / v.length] : v;
    }
    const camel = Object.fromEntries(Object.entries(c.config).map(([k, v]) => [k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()), v]));
    const make: Record<string, () => st.metrics.Metric> = {
      TopKCategoricalAccuracy: () => st.metrics.topKCategoricalAccuracy(camel),
      SparseTopKCategoricalAccuracy: () => st.metrics.sparseTopKCategoricalAccuracy(camel),
      Precision: () => st.metrics.precision(camel), Recall: () => st.metrics.recall(camel), AUC: () => st.metrics.auc(camel),
    };
    const m = make[c.className]!();
    m.update(yt, yp);
    const r = m instanceof st.metrics.ConfusionCounts ? m.results() : m.result();
    const v = Array.from(r.dataSync());
    r.dispose();
    m.dispose();
    return v;
  } finally {
    tf.dispose([yt, yp]);
  }
}

describe('oracle: Keras 3 on random inputs', () => {
  it.each([1, 2, 3])('seed %i', async (seed) => {
    await st.setBackend('cpu');
    const cases = makeCases(seed);
    const keras = JSON.parse(runPython(KERAS, [JSON.stringify(cases)])) as number[][];
    cases.forEach((c, i) => {
      const mine = strataValue(c);
      const want = keras[i]!;
      expect(mine.length, c.className).toBe(want.length);
      want.forEach((v, j) => expect(Math.abs(mine[j]! - v), `${c.className} ${JSON.stringify(c.config)} [${j}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    });
  }, 120_000);
});
