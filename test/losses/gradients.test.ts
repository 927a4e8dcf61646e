import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import * as losses from '../../src/losses/index.js';
import { checkGradients } from '../../src/testing/index.js';
import * as ref from './reference.js';

beforeAll(async () => {
  await setBackend('cpu');
});

type Rows = number[][];

/** Moves each prediction at least `gap` away from the kinks of `kinksOf(target)`. */
function awayFrom(t: Rows, p: Rows, kinksOf: (y: number) => number[], gap = 0.05): Rows {
  return p.map((row, i) => row.map((v, j) => {
    let x = v;
    for (const k of kinksOf(t[i]![j]!)) if (Math.abs(x - k) < gap) x = k + (x >= k ? gap : -gap);
    return Math.fround(x);
  }));
}

interface Case {
  title: string;
  loss: losses.Loss;
  /** Targets and predictions for a seed. */
  data: (r: () => number, n: number, k: number) => { t: Rows | number[]; p: Rows };
}

const bits = (r: () => number, n: number, k: number): Rows =>
  ref.matrix(r, n, k, 0, 1).map((row) => row.map((v) => (v > 0.5 ? 1 : 0)));

const cases: Case[] = [
  { title: 'meanSquaredError', loss: losses.meanSquaredError(),
    data: (r, n, k) => ({ t: ref.matrix(r, n, k, -1, 1), p: ref.matrix(r, n, k, -1, 1) }) },
  { title: 'meanAbsoluteError', loss: losses.meanAbsoluteError(), data: (r, n, k) => {
    const t = ref.matrix(r, n, k, -1, 1);
    return { t, p: awayFrom(t, ref.matrix(r, n, k, -1, 1), (y) => [y]) };
  } },
  { title: 'huber delta 0.5', loss: losses.huber({ delta: 0.5 }), data: (r, n, k) => {
    const t = ref.matrix(r, n, k, -1, 1);
    return { t, p: awayFrom(t, ref.matrix(r, n, k, -1, 1), (y) => [y - 0.5, y + 0.5]) };
  } },
  { title: 'hinge', loss: losses.hinge(), data: (r, n, k) => {
    const t = bits(r, n, k).map((row) => row.map((v) => 2 * v - 1));
    return { t, p: awayFrom(t, ref.matrix(r, n, k, -2, 2), (y) => [1 / y]) };
  } },
  // Smoothing 0.1 moves the targets to 0.05 and 0.95, where the gradient is 0: predictions
  // in [0.1, 0.9] stay clear of them (at [0.05, 0.95] seed 0 hit a near-zero gradient whose
  // finite difference was 2 % off).
  { title: 'binaryCrossentropy', loss: losses.binaryCrossentropy({ labelSmoothing: 0.1 }),
    data: (r, n, k) => ({ t: bits(r, n, k), p: ref.matrix(r, n, k, 0.1, 0.9) }) },
  { title: 'binaryCrossentropy fromLogits', loss: losses.binaryCrossentropy({ fromLogits: true }),
    data: (r, n, k) => ({ t: bits(r, n, k), p: ref.matrix(r, n, k, -4, 4) }) },
  { title: 'categoricalCrossentropy', loss: losses.categoricalCrossentropy({ labelSmoothing: 0.1 }), data: (r, n, k) => ({
    t: ref.oneHot(Array.from({ length: n }, () => Math.floor(r() * (k + 1))), k + 1), p: ref.matrix(r, n, k + 1, 0.1, 1),
  }) },
  { title: 'categoricalCrossentropy fromLogits', loss: losses.categoricalCrossentropy({ fromLogits: true }),
    data: (r, n, k) => ({
      t: ref.oneHot(Array.from({ length: n }, () => Math.floor(r() * (k + 1))), k + 1), p: ref.matrix(r, n, k + 1, -3, 3),
    }) },
  { title: 'sparseCategoricalCrossentropy fromLogits', loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    data: (r, n, k) => ({ t: Array.from({ length: n }, () => Math.floor(r() * (k + 1))), p: ref.matrix(r, n, k + 1, -3, 3) }) },
  { title: 'sparseCategoricalCrossentropy', loss: losses.sparseCategoricalCrossentropy(),
    data: (r, n, k) => ({ t: Array.from({ length: n }, () => Math.floor(r() * (k + 1))), p: ref.matrix(r, n, k + 1, 0.1, 1) }) },
];

describe('loss gradients match finite differences', () => {
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
    }), { numRuns: 15 });
  });
});
