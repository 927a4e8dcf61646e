import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import { filterClasses, oneHot, scale, shuffle, take, trainTestSplit } from '../../src/data/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Runs `fn`, disposes what it returns, and checks that nothing else was left behind. */
function noLeak(fn: () => unknown): void {
  const before = tf.memory().numTensors;
  tf.dispose(fn() as tf.TensorContainer);
  expect(tf.memory().numTensors).toBe(before);
}

/** x: n samples of shape [2], sample i = [i, -i]; y: label i * 3 (int32), so pairs can be checked. */
function dataset(n: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const xs = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    xs[2 * i] = i;
    xs[2 * i + 1] = -i;
  }
  return { x: tf.tensor2d(xs, [n, 2]), y: tf.tensor1d(Int32Array.from({ length: n }, (_, i) => 3 * i), 'int32') };
}

function rows(x: tf.Tensor): number[] {
  const v = x.arraySync() as number[][];
  for (const r of v) expect(r[1]).toBe(-r[0]!);
  return v.map((r) => r[0]!);
}

function expectAligned(x: tf.Tensor, y: tf.Tensor): number[] {
  const ids = rows(x);
  expect(Array.from(y.dataSync())).toEqual(ids.map((i) => 3 * i));
  return ids;
}

const sorted = (a: number[]): number[] => [...a].sort((p, q) => p - q);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('oneHot', () => {
  it('puts a single 1 at each label', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain((k) => fc.tuple(fc.constant(k), fc.array(fc.integer({ min: 0, max: k - 1 }), { maxLength: 20 }))), ([k, labels]) => {
        const t = tf.tensor1d(labels, 'int32');
        const before = tf.memory().numTensors;
        const h = oneHot(t, k);
        expect(tf.memory().numTensors).toBe(before + 1);
        expect(h.shape).toEqual([labels.length, k]);
        expect(h.dtype).toBe('float32');
        const m = h.arraySync();
        m.forEach((row, i) => expect(row).toEqual(range(k).map((c) => (c === labels[i] ? 1 : 0))));
        tf.dispose([t, h]);
      }),
      { numRuns: 40 },
    );
  });

  it('accepts [n, 1] and integer-valued float labels', () => {
    const t = tf.tensor2d([[2], [0]], [2, 1], 'float32');
    noLeak(() => {
      const h = oneHot(t, 3);
      expect(h.arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
      return h;
    });
    t.dispose();
  });

  it('rejects labels out of range or not integers, and a bad numClasses', () => {
    const t = tf.tensor1d([0, 3], 'int32');
    const f = tf.tensor1d([0.5]);
    const m = tf.tensor2d([[0, 1]]);
    expect(() => oneHot(t, 3)).toThrow(/oneHot: argument 'labels' must hold class indices, each an integer in \[0, 3\); got 3 at index 1/);
    expect(() => oneHot(f, 3)).toThrow(ValueError);
    expect(() => oneHot(m, 3)).toThrow(ShapeError);
    for (const k of [0, -1, 2.5, NaN]) expect(() => oneHot(t, k)).toThrow(/oneHot: argument 'numClasses' must be an integer >= 1/);
    expect(() => oneHot([0, 1] as unknown as tf.Tensor, 2)).toThrow(/oneHot: argument 'labels' must be a tensor; got an array of length 2/);
    tf.dispose([t, f, m]);
  });
});

describe('scale', () => {
  it('maps the range linearly, endpoints to endpoints', () => {
    const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 10 }), finite, finite, finite, finite, (vals, a, b, c, d) => {
        fc.pre(Math.abs(b - a) > 1e-2);
        const x = tf.tensor1d(vals);
        const before = tf.memory().numTensors;
        const y = scale(x, { from: [a, b], to: [c, d] });
        expect(tf.memory().numTensors).toBe(before + 1);
        const xv = x.dataSync();
        const got = y.dataSync();
        xv.forEach((v, i) => {
          const want = c + ((v - a) / (b - a)) * (d - c);
          expect(Math.abs(got[i]! - want)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(want)) + 1e-3 * Math.abs(d - c));
        });
        tf.dispose([x, y]);
      }),
      { numRuns: 50 },
    );
  });

  it('defaults to [0, 255] -> [0, 1] and returns float32 from int32', () => {
    const x = tf.tensor1d([0, 51, 255], 'int32');
    noLeak(() => {
      const y = scale(x);
      expect(y.dtype).toBe('float32');
      const v = Array.from(y.dataSync());
      expect(v[0]).toBe(0);
      expect(v[1]).toBeCloseTo(0.2, 6);
      expect(v[2]).toBeCloseTo(1, 6);
      return y;
    });
    x.dispose();
  });

  it('rejects bad ranges', () => {
    const x = tf.tensor1d([1]);
    expect(() => scale(x, { from: [3, 3] })).toThrow(/scale: option 'from' must be a range of non-zero width; got \[3, 3\]/);
    expect(() => scale(x, { to: [0, Infinity] })).toThrow(/scale: option 'to' must be a pair of finite numbers/);
    expect(() => scale(x, { from: [1] as unknown as [number, number] })).toThrow(ValueError);
    x.dispose();
  });
});

describe('shuffle', () => {
  it('is a permutation that keeps x/y pairs aligned, reproducible with a seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer(), (n, seed) => {
        const { x, y } = dataset(n);
        const before = tf.memory().numTensors;
        const a = shuffle(x, y, { seed });
        const b = shuffle(x, y, { seed });
        expect(tf.memory().numTensors).toBe(before + 4);
        const ids = expectAligned(a.x, a.y);
        expect(sorted(ids)).toEqual(range(n));
        expect(rows(b.x)).toEqual(ids);
        tf.dispose([x, y, a.x, a.y, b.x, b.y]);
      }),
      { numRuns: 40 },
    );
  });

  it('shuffles x alone, and different seeds give different orders', () => {
    const { x, y } = dataset(30);
    noLeak(() => {
      const s1 = shuffle(x, { seed: 1 });
      const s2 = shuffle(x, { seed: 2 });
      const s3 = shuffle(x);
      expect(sorted(rows(s1))).toEqual(range(30));
      expect(sorted(rows(s3))).toEqual(range(30));
      expect(rows(s1)).not.toEqual(rows(s2));
      expect(rows(s1)).not.toEqual(range(30));
      return [s1, s2, s3];
    });
    tf.dispose([x, y]);
  });

  it('rejects mismatched lengths, bad seeds and non-tensors', () => {
    const { x } = dataset(4);
    const y3 = tf.tensor1d([1, 2, 3]);
    const s = tf.scalar(1);
    expect(() => shuffle(x, y3)).toThrow(ShapeError);
    expect(() => shuffle(x, y3)).toThrow(/shuffle: 'x' and 'y' must have the same number of samples \(axis 0\); got x \[4,2\] and y \[3\]/);
    expect(() => shuffle(x, { seed: 1.5 })).toThrow(/shuffle: option 'seed' must be an integer; got 1.5/);
    expect(() => shuffle(s)).toThrow(/shuffle: argument 'x' must have rank >= 1/);
    expect(() => shuffle(x, 'y' as unknown as tf.Tensor)).toThrow(ValueError);
    tf.dispose([x, y3, s]);
  });
});

describe('trainTestSplit', () => {
  it('splits into sizes that add up, each sample in exactly one set with its target', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 50 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.boolean(), fc.integer(), (n, f, shuf, seed) => {
        fc.pre(Math.ceil(n * f) < n);
        const { x, y } = dataset(n);
        const before = tf.memory().numTensors;
        const s = trainTestSplit(x, y, { testFraction: f, shuffle: shuf, seed });
        expect(tf.memory().numTensors).toBe(before + 4);
        const nTest = Math.ceil(n * f);
        expect(s.xTest.shape[0]).toBe(nTest);
        expect(s.xTrain.shape[0]).toBe(n - nTest);
        const train = expectAligned(s.xTrain, s.yTrain);
        const test = expectAligned(s.xTest, s.yTest);
        expect(sorted([...train, ...test])).toEqual(range(n));
        if (!shuf) {
          expect(train).toEqual(range(n - nTest));
          expect(test).toEqual(range(n).slice(n - nTest));
        }
        tf.dispose([x, y, s.xTrain, s.yTrain, s.xTest, s.yTest]);
      }),
      { numRuns: 40 },
    );
  });

  it('defaults to a shuffled 25% test set, reproducible with a seed', () => {
    const { x, y } = dataset(20);
    noLeak(() => {
      const a = trainTestSplit(x, y, { seed: 5 });
      const b = trainTestSplit(x, y, { seed: 5 });
      expect(a.xTest.shape).toEqual([5, 2]);
      expect(rows(a.xTest)).toEqual(rows(b.xTest));
      expect(rows(a.xTrain)).not.toEqual(range(15));
      return [a, b];
    });
    tf.dispose([x, y]);
  });

  it('rejects fractions outside (0, 1) and splits that leave a set empty', () => {
    const { x, y } = dataset(3);
    for (const f of [0, 1, -0.1, 1.5, NaN]) {
      expect(() => trainTestSplit(x, y, { testFraction: f })).toThrow(/trainTestSplit: option 'testFraction' must be a number in \(0, 1\)/);
    }
    expect(() => trainTestSplit(x, y, { testFraction: 0.9 })).toThrow(/3 samples with testFraction 0.9 leave no training samples/);
    const y2 = tf.tensor1d([1, 2]);
    expect(() => trainTestSplit(x, y2)).toThrow(ShapeError);
    tf.dispose([x, y, y2]);
  });
});

describe('filterClasses', () => {
  const labelsArb = fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 40 });
  const classesArb = fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 10 });

  it('keeps exactly the samples of the listed classes, in order, remapped to their list position', () => {
    fc.assert(
      fc.property(labelsArb, classesArb, fc.boolean(), (labels, classes, remap) => {
        const n = labels.length;
        const x = tf.tensor2d(Float32Array.from(labels.flatMap((_, i) => [i, -i])), [n, 2]);
        const y = tf.tensor1d(labels, 'int32');
        const before = tf.memory().numTensors;
        const out = filterClasses(x, y, classes, { remap });
        expect(tf.memory().numTensors).toBe(before + 2);
        const kept = range(n).filter((i) => classes.includes(labels[i]!));
        expect(rows(out.x)).toEqual(kept);
        expect(out.y.dtype).toBe('int32');
        expect(Array.from(out.y.dataSync())).toEqual(kept.map((i) => (remap ? classes.indexOf(labels[i]!) : labels[i]!)));
        tf.dispose([x, y, out.x, out.y]);
      }),
      { numRuns: 60 },
    );
  });

  it('filters one-hot targets, keeping only the listed columns when remapping', () => {
    const x = tf.tensor2d([[0], [1], [2], [3]]);
    const y = tf.tensor2d([[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 1, 0, 0]]);
    noLeak(() => {
      const a = filterClasses(x, y, [3, 2]);
      expect(a.x.arraySync()).toEqual([[1], [2]]);
      expect(a.y.arraySync()).toEqual([[0, 1], [1, 0]]);
      const b = filterClasses(x, y, [3, 2], { remap: false });
      expect(b.y.arraySync()).toEqual([[0, 0, 1, 0], [0, 0, 0, 1]]);
      const one = filterClasses(x, y, [1]);
      expect(one.x.arraySync()).toEqual([[3]]);
      expect(one.y.arraySync()).toEqual([[1]]);
      return [a, b, one];
    });
    tf.dispose([x, y]);
  });

  it('returns empty tensors when no sample matches, keeping float labels float', () => {
    const x = tf.tensor2d([[0, 1], [2, 3]]);
    const y = tf.tensor1d([0, 1], 'float32');
    noLeak(() => {
      const out = filterClasses(x, y, [7]);
      expect(out.x.shape).toEqual([0, 2]);
      expect(out.y.shape).toEqual([0]);
      expect(out.y.dtype).toBe('float32');
      return out;
    });
    tf.dispose([x, y]);
  });

  it('rejects bad class lists and labels', () => {
    const x = tf.tensor2d([[0], [1]]);
    const y = tf.tensor1d([0, 1], 'int32');
    const yHot = tf.tensor2d([[1, 0], [0.5, 0.5]]);
    const yBad = tf.tensor1d([0, -1], 'int32');
    const y1 = tf.tensor1d([0]);
    const before = tf.memory().numTensors;
    expect(() => filterClasses(x, y, [])).toThrow(/filterClasses: argument 'classes' must be a non-empty array/);
    expect(() => filterClasses(x, y, [1, 1])).toThrow(/lists class 1 twice/);
    expect(() => filterClasses(x, y, [0.5])).toThrow(/must hold non-negative integers; got 0.5/);
    expect(() => filterClasses(x, yHot, [0])).toThrow(/row 1 is not one-hot/);
    expect(() => filterClasses(x, yHot, [2])).toThrow(/class 2 is outside the 2 one-hot columns/);
    expect(() => filterClasses(x, yBad, [0])).toThrow(/got -1 at index 1/);
    expect(() => filterClasses(x, y1, [0])).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, yHot, yBad, y1]);
  });
});

describe('take', () => {
  it('keeps the first min(n, length) samples with their targets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 40 }), (len, n) => {
        const { x, y } = dataset(len);
        const before = tf.memory().numTensors;
        const out = take(x, y, n);
        expect(tf.memory().numTensors).toBe(before + 2);
        expect(expectAligned(out.x, out.y)).toEqual(range(Math.min(n, len)));
        tf.dispose([x, y, out.x, out.y]);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects a bad count', () => {
    const { x, y } = dataset(3);
    for (const n of [-1, 1.5, NaN]) expect(() => take(x, y, n)).toThrow(/take: argument 'n' must be an integer >= 0/);
    tf.dispose([x, y]);
  });
});
