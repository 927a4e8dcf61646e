/**
 * The Keras reference cases of keras_reference.test.ts (losses) and
 * ../metrics/keras_reference.test.ts, again on the wasm backend (the Node default), plus a
 * gradient through each loss and the pre-training value checks: every kernel they use must
 * exist there.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

const read = <T>(name: string): T[] =>
  (JSON.parse(readFileSync(new URL(`../fixtures/keras_numbers/${name}`, import.meta.url), 'utf8')) as { cases: T[] }).cases;

interface LossCase { className: string; config: Record<string, unknown>; yTrue: number[][]; yPred: number[][]; mean: number; cite: string }
interface MetricCase {
  className: string; strata: Record<string, unknown>; yTrue: number[] | number[][]; yPred: number[] | number[][];
  sampleWeight: number[] | number[][] | null; result: number | number[]; cite: string;
}

beforeAll(async () => {
  await st.setBackend('wasm');
});

describe('on wasm', () => {
  it.each(read<LossCase>('losses.json').map((c) => [`${c.cite} ${JSON.stringify(c.config)}`, c] as const))('loss %s', (_t, c) => {
    const loss = st.losses.lossFromConfig(c.className, c.config);
    const yt = tf.tensor(c.yTrue);
    const yp = tf.tensor(c.yPred);
    const per = loss.call(yt, yp);
    const v = Array.from(per.dataSync());
    expect(v.reduce((a, b) => a + b, 0) / v.length).toBeCloseTo(c.mean, 4);
    const g = tf.grad((p: st.tf.Tensor) => tf.sum(loss.call(yt, p)))(yp);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([yt, yp, per, g]);
  });

  const makers: Record<string, (o: Record<string, unknown>) => st.metrics.Metric> = {
    Accuracy: (o) => st.metrics.accuracy(o), BinaryAccuracy: (o) => st.metrics.binaryAccuracy(o),
    CategoricalAccuracy: (o) => st.metrics.categoricalAccuracy(o), SparseCategoricalAccuracy: (o) => st.metrics.sparseCategoricalAccuracy(o),
    TopKCategoricalAccuracy: (o) => st.metrics.topKCategoricalAccuracy(o),
    SparseTopKCategoricalAccuracy: (o) => st.metrics.sparseTopKCategoricalAccuracy(o),
    Precision: (o) => st.metrics.precision(o), Recall: (o) => st.metrics.recall(o), AUC: (o) => st.metrics.auc(o),
    CosineSimilarity: (o) => st.metrics.cosineSimilarity(o),
  };

  it.each(read<MetricCase>('metrics.json').map((c) => [c.cite, c] as const))('metric %s', (_t, c) => {
    const m = makers[c.className]!(c.strata);
    const yt = tf.tensor(c.yTrue);
    const yp = tf.tensor(c.yPred);
    const sw = c.sampleWeight ? tf.tensor(c.sampleWeight) : undefined;
    m.update(yt, yp, sw);
    const r = Array.isArray(c.result) ? (m as st.metrics.ConfusionCounts).results() : m.result();
    const got = Array.from(r.dataSync());
    (Array.isArray(c.result) ? c.result : [c.result]).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    tf.dispose([yt, yp, r, ...(sw ? [sw] : [])]);
    m.dispose();
  });

  it('bad labels and weights are caught before training', async () => {
    const net = st.sequential([st.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
    net.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const x = tf.zeros([3, 2]);
    const y = tf.tensor1d([0, 7, 1]);
    await expect(net.fit(x, y, { verbose: 0 })).rejects.toThrow(/label value of 7 .*\[0, 3\)/);
    const ok = tf.tensor1d([0, 2, 1]);
    const sw = tf.tensor1d([1, NaN, 1]);
    await expect(net.evaluate(x, ok, { sampleWeight: sw })).rejects.toThrow(/got NaN at sample 1/);
    tf.dispose([x, y, ok, sw]);
    net.dispose();
  });
});
