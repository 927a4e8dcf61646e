/**
 * Gradient property tests for the losses added for Keras parity: analytic gradients
 * (autodiff) against central finite differences on random shapes and values, inputs kept
 * away from each loss's kinks.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import * as losses from '../../src/losses/index.js';
import { checkGradients } from '../../src/testing/index.js';
import * as ref from '../losses/reference.js';
import { RUNS } from './helpers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

type Rows = number[][];

/** Moves each prediction at least `gap` away from the kinks of `kinksOf(target, row, j)`. */
function awayFrom(t: Rows, p: Rows, kinksOf: (y: number) => number[], gap = 0.05): Rows {
  return p.map((row, i) => row.map((v, j) => {
    let x = v;
    for (const k of kinksOf(t[i]![j]!)) if (Math.abs(x - k) < gap) x = k + (x >= k ? gap : -gap);
    return Math.fround(x);
  }));
}

const bits = (r: () => number, n: number, k: number): Rows =>
  ref.matrix(r, n, k, 0, 1).map((row) => row.map((v) => (v > 0.5 ? 1 : 0)));
const labels = (r: () => number, n: number, k: number): number[] => Array.from({ length: n }, () => Math.floor(r() * k));
/** Probability rows (each sums to 1) of width k, entries at least 0.05 / k. */
const simplex = (r: () => number, n: number, k: number): Rows =>
  ref.matrix(r, n, k, 0.05, 1).map((row) => {
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / s);
  });

interface Case {
  title: string;
  loss: losses.Loss;
  data: (r: () => number, n: number, k: number) => { t: Rows | number[]; p: Rows };
}

const cases: Case[] = [
  { title: 'meanAbsolutePercentageError', loss: losses.meanAbsolutePercentageError(), data: (r, n, k) => {
    const t = ref.matrix(r, n, k, 0.5, 3);
    return { t, p: awayFrom(t, ref.matrix(r, n, k, -3, 3), (y) => [y]) };
  } },
  { title: 'meanSquaredLogarithmicError', loss: losses.meanSquaredLogarithmicError(),
    data: (r, n, k) => ({ t: ref.matrix(r, n, k, 0, 5), p: ref.matrix(r, n, k, 0.1, 5) }) },
  { title: 'logCosh', loss: losses.logCosh(), data: (r, n, k) => ({ t: ref.matrix(r, n, k, -3, 3), p: ref.matrix(r, n, k, -3, 3) }) },
  { title: 'poisson', loss: losses.poisson(), data: (r, n, k) => ({ t: ref.matrix(r, n, k, 0, 6), p: ref.matrix(r, n, k, 0.3, 6) }) },
  { title: 'klDivergence', loss: losses.klDivergence(), data: (r, n, k) => ({ t: simplex(r, n, k + 1), p: simplex(r, n, k + 1) }) },
  { title: 'cosineSimilarity', loss: losses.cosineSimilarity(),
    data: (r, n, k) => ({ t: ref.matrix(r, n, k + 1, -2, 2), p: ref.matrix(r, n, k + 1, 0.2, 2) }) },
  { title: 'cosineSimilarity axis 0', loss: losses.cosineSimilarity({ axis: 0 }),
    data: (r, n, k) => ({ t: ref.matrix(r, n + 1, k, -2, 2), p: ref.matrix(r, n + 1, k, 0.2, 2) }) },
  { title: 'squaredHinge', loss: losses.squaredHinge(), data: (r, n, k) => {
    const t = bits(r, n, k).map((row) => row.map((v) => 2 * v - 1));
    return { t, p: awayFrom(t, ref.matrix(r, n, k, -2, 2), (y) => [1 / y]) };
  } },
  { title: 'categoricalHinge', loss: losses.categoricalHinge(), data: (r, n, k) => {
    // Distinct scores, so the max over the wrong classes has one winner, and a margin
    // (neg - pos + 1) away from 0.
    const t = ref.oneHot(labels(r, n, k + 2), k + 2);
    const p = t.map((row) => {
      const scores = row.map((_, j) => j * 0.7 + r() * 0.2);
      const pos = row.reduce((a, v, j) => a + v * scores[j]!, 0);
      const neg = Math.max(...row.map((v, j) => (v === 0 ? scores[j]! : -Infinity)));
      if (Math.abs(neg - pos + 1) < 0.05) scores[row.indexOf(1)] = pos + 0.3;
      return scores.map((v) => Math.fround(v));
    });
    return { t, p };
  } },
  { title: 'binaryFocalCrossentropy', loss: losses.binaryFocalCrossentropy({ gamma: 2, applyClassBalancing: true }),
    data: (r, n, k) => ({ t: bits(r, n, k), p: ref.matrix(r, n, k, 0.05, 0.95) }) },
  { title: 'binaryFocalCrossentropy fromLogits, smoothing', loss: losses.binaryFocalCrossentropy({ gamma: 1.5, fromLogits: true, labelSmoothing: 0.1 }),
    data: (r, n, k) => ({ t: bits(r, n, k), p: ref.matrix(r, n, k, -3, 3) }) },
  { title: 'categoricalFocalCrossentropy', loss: losses.categoricalFocalCrossentropy(),
    data: (r, n, k) => ({ t: ref.oneHot(labels(r, n, k + 1), k + 1), p: ref.matrix(r, n, k + 1, 0.1, 1) }) },
  { title: 'categoricalFocalCrossentropy fromLogits, smoothing', loss: losses.categoricalFocalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    data: (r, n, k) => ({ t: ref.oneHot(labels(r, n, k + 1), k + 1), p: ref.matrix(r, n, k + 1, -3, 3) }) },
  { title: 'categoricalCrossentropy axis 0, smoothing', loss: losses.categoricalCrossentropy({ axis: 0, labelSmoothing: 0.1 }),
    data: (r, n, k) => {
      const t = ref.oneHot(labels(r, k, n + 1), n + 1);
      const transpose = (m: Rows): Rows => m[0]!.map((_, j) => m.map((row) => row[j]!));
      return { t: transpose(t), p: ref.matrix(r, n + 1, k, 0.1, 1) };
    } },
  { title: 'sparseCategoricalCrossentropy ignoreClass (logits)', loss: losses.sparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 0 }),
    data: (r, n, k) => ({ t: labels(r, n + 1, k + 2), p: ref.matrix(r, n + 1, k + 2, -3, 3) }) },
  { title: 'sparseCategoricalCrossentropy ignoreClass (probabilities)', loss: losses.sparseCategoricalCrossentropy({ ignoreClass: 1 }),
    data: (r, n, k) => ({ t: labels(r, n + 1, k + 2), p: ref.matrix(r, n + 1, k + 2, 0.1, 1) }) },
];

describe('gradients of the Keras-parity losses match finite differences', () => {
  it.each(cases)('$title', ({ loss, data }) => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (seed, n, k) => {
      const { t, p } = data(ref.rng(seed), n, k);
      const yt = tf.tensor(t);
      const yp = tf.tensor(p);
      const before = tf.memory().numTensors;
      const report = checkGradients((x: tf.Tensor) => loss.call(yt, x), [yp]);
      expect(tf.memory().numTensors).toBe(before);
      expect(report.passed, report.toString()).toBe(true);
      tf.dispose([yt, yp]);
    }), { numRuns: Math.max(RUNS, 10) });
  });
});
