import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, StateError } from '../../src/engine/errors.js';
import * as metrics from '../../src/metrics/index.js';
import * as lref from '../losses/reference.js';
import * as ref from './reference.js';

beforeAll(async () => {
  await setBackend('cpu');
});

type Rows = number[][];

interface Data {
  yt: number[] | Rows;
  yp: Rows;
  ytDtype?: 'int32' | 'float32';
  w?: number[];
}

function scalar(t: tf.Scalar): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

/** Feeds the rows in the given batches and returns the result. */
function streamed(m: metrics.Metric, d: Data, parts: [number, number][]): number {
  for (const [s, e] of parts) {
    const yt = tf.tensor(d.yt.slice(s, e), undefined, d.ytDtype ?? 'float32');
    const yp = tf.tensor(d.yp.slice(s, e));
    const sw = d.w ? tf.tensor1d(d.w.slice(s, e)) : undefined;
    m.update(yt, yp, sw);
    tf.dispose([yt, yp, ...(sw ? [sw] : [])]);
  }
  return scalar(m.result());
}

function near(actual: number, expected: number, tol = 1e-5): void {
  expect(Math.abs(actual - expected), `got ${actual}, expected ${expected}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

const input = fc.record({
  seed: fc.integer(),
  n: fc.integer({ min: 1, max: 30 }),
  k: fc.integer({ min: 1, max: 4 }),
  cuts: fc.array(fc.nat(), { maxLength: 6 }),
  weighted: fc.boolean(),
});
type Input = { seed: number; n: number; k: number; cuts: number[]; weighted: boolean };

const weightsOf = (r: () => number, n: number): number[] =>
  Array.from({ length: n }, () => (r() < 0.2 ? 0 : Math.fround(2 * r())));
const binaryRows = (r: () => number, n: number, k: number): Rows =>
  lref.matrix(r, n, k, 0, 1).map((row) => row.map((v) => (v > 0.5 ? 1 : 0)));
const labelsOf = (r: () => number, n: number, k: number): number[] => Array.from({ length: n }, () => Math.floor(r() * k));

interface Case {
  title: string;
  make: () => metrics.Metric;
  data: (r: () => number, n: number, k: number) => Data;
  expected: (d: Data) => number;
}

const cases: Case[] = [
  {
    title: 'binaryAccuracy',
    make: () => metrics.binaryAccuracy(),
    data: (r, n, k) => ({ yt: binaryRows(r, n, k), yp: lref.matrix(r, n, k, 0, 1) }),
    expected: (d) => ref.weightedMean(ref.perSample.binaryAccuracy(d.yt as Rows, d.yp), d.w),
  },
  {
    title: 'binaryAccuracy, threshold 0.7',
    make: () => metrics.binaryAccuracy({ threshold: 0.7 }),
    data: (r, n, k) => ({ yt: binaryRows(r, n, k), yp: lref.matrix(r, n, k, 0, 1) }),
    expected: (d) => ref.weightedMean(ref.perSample.binaryAccuracy(d.yt as Rows, d.yp, 0.7), d.w),
  },
  {
    title: 'categoricalAccuracy',
    make: () => metrics.categoricalAccuracy(),
    data: (r, n, k) => ({ yt: lref.oneHot(labelsOf(r, n, k + 1), k + 1), yp: lref.matrix(r, n, k + 1, 0, 1) }),
    expected: (d) => ref.weightedMean(ref.perSample.categoricalAccuracy(d.yt as Rows, d.yp), d.w),
  },
  {
    title: 'sparseCategoricalAccuracy, int labels [batch]',
    make: () => metrics.sparseCategoricalAccuracy(),
    data: (r, n, k) => ({ yt: labelsOf(r, n, k + 1), ytDtype: 'int32', yp: lref.matrix(r, n, k + 1, 0, 1) }),
    expected: (d) => ref.weightedMean(ref.perSample.sparseCategoricalAccuracy(d.yt as number[], d.yp), d.w),
  },
  {
    title: 'sparseCategoricalAccuracy, float labels [batch, 1]',
    make: () => metrics.sparseCategoricalAccuracy(),
    data: (r, n, k) => ({ yt: labelsOf(r, n, k + 1).map((l) => [l]), yp: lref.matrix(r, n, k + 1, 0, 1) }),
    expected: (d) => ref.weightedMean(ref.perSample.sparseCategoricalAccuracy((d.yt as Rows).map((x) => x[0]!), d.yp), d.w),
  },
  {
    title: 'mse',
    make: () => metrics.meanSquaredError(),
    data: (r, n, k) => ({ yt: lref.matrix(r, n, k, -2, 2), yp: lref.matrix(r, n, k, -2, 2) }),
    expected: (d) => ref.weightedMean(ref.perSample.se(d.yt as Rows, d.yp), d.w),
  },
  {
    title: 'mae',
    make: () => metrics.meanAbsoluteError(),
    data: (r, n, k) => ({ yt: lref.matrix(r, n, k, -2, 2), yp: lref.matrix(r, n, k, -2, 2) }),
    expected: (d) => ref.weightedMean(ref.perSample.ae(d.yt as Rows, d.yp), d.w),
  },
  {
    title: 'rmse (root of the overall mean, not a mean of batch roots)',
    make: () => metrics.rootMeanSquaredError(),
    data: (r, n, k) => ({ yt: lref.matrix(r, n, k, -2, 2), yp: lref.matrix(r, n, k, -2, 2) }),
    expected: (d) => Math.sqrt(ref.weightedMean(ref.perSample.se(d.yt as Rows, d.yp), d.w)),
  },
  {
    title: 'precision',
    make: () => metrics.precision(),
    data: (r, n, k) => ({ yt: binaryRows(r, n, k), yp: lref.matrix(r, n, k, 0, 1) }),
    expected: (d) => ref.precision(ref.counts(d.yt as Rows, d.yp, d.w)),
  },
  {
    title: 'recall',
    make: () => metrics.recall(),
    data: (r, n, k) => ({ yt: binaryRows(r, n, k), yp: lref.matrix(r, n, k, 0, 1) }),
    expected: (d) => ref.recall(ref.counts(d.yt as Rows, d.yp, d.w)),
  },
  {
    title: 'f1',
    make: () => metrics.f1(),
    data: (r, n, k) => ({ yt: binaryRows(r, n, k), yp: lref.matrix(r, n, k, 0, 1) }),
    expected: (d) => ref.f1(ref.counts(d.yt as Rows, d.yp, d.w)),
  },
  {
    title: 'auc (200 thresholds)',
    make: () => metrics.auc(),
    data: (r, n, k) => ({ yt: binaryRows(r, n, k), yp: lref.matrix(r, n, k, 0, 1) }),
    expected: (d) => aucOf(d, 200),
  },
  {
    title: 'auc (7 thresholds)',
    make: () => metrics.auc({ numThresholds: 7 }),
    data: (r, n, k) => ({ yt: binaryRows(r, n, k), yp: lref.matrix(r, n, k, 0, 1) }),
    expected: (d) => aucOf(d, 7),
  },
  {
    title: 'loss as a metric (binaryCrossentropy)',
    make: () => metrics.getMetric('binary_crossentropy'),
    data: (r, n, k) => ({ yt: binaryRows(r, n, k), yp: lref.matrix(r, n, k, 0.01, 0.99) }),
    expected: (d) => ref.weightedMean(lref.bce(d.yt as Rows, d.yp), d.w),
  },
];

/** Every entry is one decision, weighted by its sample's weight. */
function aucOf(d: Data, numThresholds: number): number {
  const k = d.yp[0]!.length;
  const w = d.w ? d.w.flatMap((x) => new Array<number>(k).fill(x)) : undefined;
  return ref.aucKeras((d.yt as Rows).flat(), d.yp.flat(), w, numThresholds);
}

describe('streaming over random batch splits equals the value on all data at once', () => {
  it.each(cases)('$title', (c) => {
    fc.assert(fc.property(input, ({ seed, n, k, cuts, weighted }: Input) => {
      const r = lref.rng(seed);
      const d = c.data(r, n, k);
      if (weighted) d.w = weightsOf(r, n);
      const m = c.make();
      const inBatches = streamed(m, d, ref.batches(n, cuts));
      near(inBatches, c.expected(d));
      m.reset();
      near(streamed(m, d, [[0, n]]), inBatches);
      m.dispose();
    }), { numRuns: 20 });
  });
});

describe('mean()', () => {
  it('is the weighted mean of every value added, over batches of any size', () => {
    fc.assert(fc.property(input, ({ seed, n, cuts, weighted }: Input) => {
      const r = lref.rng(seed);
      const values = Array.from({ length: n }, () => Math.fround(4 * r() - 2));
      const w = weighted ? weightsOf(r, n) : undefined;
      const m = metrics.mean();
      for (const [s, e] of ref.batches(n, cuts)) {
        const v = tf.tensor1d(values.slice(s, e));
        const sw = w ? tf.tensor1d(w.slice(s, e)) : undefined;
        m.add(v, sw);
        tf.dispose([v, ...(sw ? [sw] : [])]);
      }
      near(scalar(m.result()), ref.weightedMean(values, w));
      m.dispose();
    }), { numRuns: 20 });
  });

  it('accepts scalar values with a scalar weight (a batch mean over n samples)', () => {
    const m = metrics.mean();
    const add = (v: number, n: number): void => {
      const [a, b] = [tf.scalar(v), tf.scalar(n)];
      m.add(a, b);
      tf.dispose([a, b]);
    };
    add(1, 3);
    add(5, 1);
    near(scalar(m.result()), 2);
    m.dispose();
  });

  it('broadcasts [batch] weights over the other axes of the values', () => {
    const m = metrics.mean();
    const v = tf.tensor2d([[1, 3], [10, 20]]);
    const w = tf.tensor1d([1, 0]);
    m.add(v, w);
    near(scalar(m.result()), 2);
    tf.dispose([v, w]);
    m.dispose();
  });
});

describe('state', () => {
  it('result is 0 before any update, and reset forgets', () => {
    const m = metrics.binaryAccuracy();
    expect(scalar(m.result())).toBe(0);
    streamed(m, { yt: [[1], [1]], yp: [[0.9], [0.8]] }, [[0, 2]]);
    m.reset();
    near(streamed(m, { yt: [[1], [0]], yp: [[0.9], [0.8]] }, [[0, 2]]), 0.5);
    m.dispose();
  });

  it('sample weights of the wrong shape are a ShapeError naming the metric', () => {
    const m = metrics.meanSquaredError();
    const [yt, yp, sw] = [tf.zeros([4, 2]), tf.zeros([4, 2]), tf.ones([4, 2])];
    expect(() => m.update(yt, yp, sw)).toThrow(ShapeError);
    expect(() => m.update(yt, yp, sw)).toThrow(/metric 'mse': sampleWeight must have shape \[4\].*\[4,2\]/);
    tf.dispose([yt, yp, sw]);
    m.dispose();
  });

  it('mismatched targets are a ShapeError naming the metric and both shapes', () => {
    const m = metrics.categoricalAccuracy();
    const [yt, yp] = [tf.zeros([4]), tf.zeros([4, 3])];
    expect(() => m.update(yt, yp)).toThrow(ShapeError);
    expect(() => m.update(yt, yp)).toThrow(/^metric 'categoricalAccuracy'.*sparseCategoricalAccuracy.*yTrue \[4\] and yPred \[4,3\]/);
    tf.dispose([yt, yp]);
    m.dispose();
  });

  it('using a disposed metric is a StateError', () => {
    const m = metrics.auc();
    m.dispose();
    expect(() => m.result()).toThrow(StateError);
    expect(() => m.result()).toThrow(/metric 'auc': result\(\) called after dispose/);
  });
});
