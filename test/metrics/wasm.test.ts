/** The same metrics and losses on the wasm backend (the Node default), against plain JS. */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import * as losses from '../../src/losses/index.js';
import * as metrics from '../../src/metrics/index.js';
import * as lref from '../losses/reference.js';
import * as ref from './reference.js';

beforeAll(async () => {
  await setBackend('wasm');
});

const r = lref.rng(42);
const n = 24;
const k = 3;
const labels = Array.from({ length: n }, () => Math.floor(r() * k));
const onehot = lref.oneHot(labels, k);
const probs = lref.matrix(r, n, k, 0.05, 1);
const bin = lref.matrix(r, n, 1, 0, 1).map((row) => row.map((v) => (v > 0.5 ? 1 : 0)));
const binP = lref.matrix(r, n, 1, 0, 1);
const w = Array.from({ length: n }, () => Math.fround(r() * 2));

function metricValue(m: metrics.Metric, yt: tf.Tensor, yp: tf.Tensor, weighted: boolean): number {
  const sw = weighted ? tf.tensor1d(w) : undefined;
  const half = n / 2;
  for (const [s, e] of [[0, half], [half, n]] as const) {
    const [a, b] = [tf.slice(yt, s, e - s), tf.slice(yp, s, e - s)];
    const c = sw ? tf.slice(sw, s, e - s) : undefined;
    m.update(a, b, c);
    tf.dispose([a, b, ...(c ? [c] : [])]);
  }
  const res = m.result();
  const v = res.dataSync()[0]!;
  tf.dispose([res, yt, yp, ...(sw ? [sw] : [])]);
  m.dispose();
  return v;
}

describe('metrics on wasm', () => {
  it('runs on the wasm backend', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  it.each([false, true])('streamed values equal plain JS (weighted: %s), without leaks', (weighted) => {
    const ws = weighted ? w : undefined;
    const before = tf.memory().numTensors;
    const flatW = ws;
    const checks: [metrics.Metric, () => [tf.Tensor, tf.Tensor], number][] = [
      [metrics.categoricalAccuracy(), () => [tf.tensor2d(onehot), tf.tensor2d(probs)],
        ref.weightedMean(ref.perSample.categoricalAccuracy(onehot, probs), ws)],
      [metrics.sparseCategoricalAccuracy(), () => [tf.tensor1d(labels, 'int32'), tf.tensor2d(probs)],
        ref.weightedMean(ref.perSample.sparseCategoricalAccuracy(labels, probs), ws)],
      [metrics.binaryAccuracy(), () => [tf.tensor2d(bin), tf.tensor2d(binP)],
        ref.weightedMean(ref.perSample.binaryAccuracy(bin, binP), ws)],
      [metrics.rootMeanSquaredError(), () => [tf.tensor2d(onehot), tf.tensor2d(probs)],
        Math.sqrt(ref.weightedMean(ref.perSample.se(onehot, probs), ws))],
      [metrics.f1(), () => [tf.tensor2d(bin), tf.tensor2d(binP)], ref.f1(ref.counts(bin, binP, ws))],
      [metrics.auc(), () => [tf.tensor2d(bin), tf.tensor2d(binP)],
        ref.aucKeras(bin.flat(), binP.flat(), flatW, 200)],
    ];
    for (const [m, data, expected] of checks) {
      const [yt, yp] = data();
      expect(metricValue(m, yt, yp, weighted)).toBeCloseTo(expected, 5);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('losses on wasm', () => {
  it('cross-entropies and regression losses equal plain JS', () => {
    const run = (l: losses.Loss, t: tf.Tensor, p: tf.Tensor): number[] => {
      const out = l.call(t, p);
      const v = Array.from(out.dataSync());
      tf.dispose([out, t, p]);
      return v;
    };
    const close = (a: number[], e: number[]): void => a.forEach((x, i) => expect(x).toBeCloseTo(e[i]!, 4));
    close(run(losses.categoricalCrossentropy({ labelSmoothing: 0.1 }), tf.tensor2d(onehot), tf.tensor2d(probs)),
      lref.cce(onehot, probs, 0.1));
    close(run(losses.sparseCategoricalCrossentropy({ fromLogits: true }), tf.tensor1d(labels), tf.tensor2d(probs)),
      lref.cceLogits(onehot, probs));
    close(run(losses.binaryCrossentropy({ fromLogits: true }), tf.tensor2d(bin), tf.tensor2d(binP)),
      lref.bceLogits(bin, binP));
    close(run(losses.huber({ delta: 0.3 }), tf.tensor2d(onehot), tf.tensor2d(probs)), lref.huber(onehot, probs, 0.3));
    close(run(losses.hinge(), tf.tensor2d(bin), tf.tensor2d(binP)), lref.hinge(bin, binP));
  });
});
