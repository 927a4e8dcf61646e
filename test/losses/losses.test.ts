import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { SerializationError, ValueError } from '../../src/engine/errors.js';
import * as losses from '../../src/losses/index.js';
import * as ref from './reference.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Runs the loss and reads the per-sample values, checking shape and that nothing leaks. */
function run(loss: losses.Loss, t: tf.Tensor | number[][] | number[], p: tf.Tensor | number[][]): number[] {
  const yt = t instanceof tf.Tensor ? t : tf.tensor(t);
  const yp = p instanceof tf.Tensor ? p : tf.tensor(p);
  const before = tf.memory().numTensors;
  const out = loss.call(yt, yp);
  expect(tf.memory().numTensors).toBe(before + 1);
  expect(out.shape).toEqual([yp.shape[0]]);
  const v = Array.from(out.dataSync());
  tf.dispose([out, yt, yp]);
  return v;
}

function close(actual: number[], expected: number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(Math.abs(a - e), `index ${i}: got ${a}, expected ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  });
}

const shapes = fc.record({ seed: fc.integer(), n: fc.integer({ min: 1, max: 6 }), k: fc.integer({ min: 1, max: 5 }) });
const RUNS = { numRuns: 25 };

describe('regression losses against plain JS', () => {
  it('meanSquaredError', () => {
    fc.assert(fc.property(shapes, ({ seed, n, k }) => {
      const r = ref.rng(seed);
      const t = ref.matrix(r, n, k, -3, 3);
      const p = ref.matrix(r, n, k, -3, 3);
      close(run(losses.meanSquaredError(), t, p), ref.mse(t, p));
    }), RUNS);
  });

  it('meanAbsoluteError', () => {
    fc.assert(fc.property(shapes, ({ seed, n, k }) => {
      const r = ref.rng(seed);
      const t = ref.matrix(r, n, k, -3, 3);
      const p = ref.matrix(r, n, k, -3, 3);
      close(run(losses.meanAbsoluteError(), t, p), ref.mae(t, p));
    }), RUNS);
  });

  it('huber on both sides of delta', () => {
    fc.assert(fc.property(shapes, fc.constantFrom(0.3, 1, 2.5), ({ seed, n, k }, delta) => {
      const r = ref.rng(seed);
      const t = ref.matrix(r, n, k, -3, 3);
      const p = ref.matrix(r, n, k, -3, 3);
      close(run(losses.huber({ delta }), t, p), ref.huber(t, p, delta));
    }), RUNS);
  });

  it('huber defaults to delta 1', () => {
    const l = losses.huber();
    expect(l.getConfig()).toEqual({ delta: 1 });
    close(run(l, [[0, 0]], [[0.5, 3]]), [(0.125 + 2.5) / 2]);
  });

  it('hinge with -1/+1 targets and with 0/1 targets (mapped to -1/+1)', () => {
    fc.assert(fc.property(shapes, fc.boolean(), ({ seed, n, k }, zeroOne) => {
      const r = ref.rng(seed);
      const t = ref.matrix(r, n, k, 0, 1).map((row) => row.map((v) => (v > 0.5 ? 1 : zeroOne ? 0 : -1)));
      const p = ref.matrix(r, n, k, -2, 2);
      close(run(losses.hinge(), t, p), ref.hinge(t, p));
    }), RUNS);
  });

  it('averages every non-batch axis of rank-3 input', () => {
    const r = ref.rng(3);
    const t = ref.matrix(r, 2, 12, -1, 1);
    const p = ref.matrix(r, 2, 12, -1, 1);
    const v = run(losses.meanSquaredError(), tf.tensor3d(t.flat(), [2, 3, 4]), tf.tensor3d(p.flat(), [2, 3, 4]));
    close(v, ref.mse(t, p));
  });

  it('aligns [batch] targets with [batch, 1] predictions instead of broadcasting', () => {
    const t = [1, 2, 3];
    const p = [[1.5], [2], [0]];
    close(run(losses.meanSquaredError(), tf.tensor1d(t), p), [0.25, 0, 9]);
    close(run(losses.meanSquaredError(), tf.tensor2d(t, [3, 1]), tf.tensor1d(p.flat()) as unknown as tf.Tensor2D), [0.25, 0, 9]);
  });
});

describe('binaryCrossentropy', () => {
  it('from probabilities, with and without label smoothing', () => {
    fc.assert(fc.property(shapes, fc.constantFrom(0, 0.1, 0.5), ({ seed, n, k }, s) => {
      const r = ref.rng(seed);
      const t = ref.matrix(r, n, k, 0, 1).map((row) => row.map((v) => (v > 0.5 ? 1 : 0)));
      const p = ref.matrix(r, n, k, 0.01, 0.99);
      close(run(losses.binaryCrossentropy({ labelSmoothing: s }), t, p), ref.bce(t, p, s));
    }), RUNS);
  });

  it('from logits equals sigmoid + the probability version, and the textbook formula', () => {
    fc.assert(fc.property(shapes, fc.constantFrom(0, 0.2), ({ seed, n, k }, s) => {
      const r = ref.rng(seed);
      const t = ref.matrix(r, n, k, 0, 1).map((row) => row.map((v) => (v > 0.5 ? 1 : 0)));
      const x = ref.matrix(r, n, k, -6, 6);
      const viaLogits = run(losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: s }), t, x);
      close(viaLogits, ref.bceLogits(t, x, s), 1e-4);
      const probs = x.map((row) => row.map((v) => Math.fround(ref.sigmoid(v))));
      close(viaLogits, run(losses.binaryCrossentropy({ labelSmoothing: s }), t, probs), 1e-4);
    }), RUNS);
  });

  it('clips probabilities 0 and 1 to [1e-7, 1 - 1e-7]: finite, and as Keras computes', () => {
    const v = run(losses.binaryCrossentropy(), [[0], [1], [1], [0]], [[1], [0], [1], [0]]);
    v.forEach((x) => expect(Number.isFinite(x)).toBe(true));
    close(v, [-Math.log(1 - ref.HI), -Math.log(ref.LO), -Math.log(ref.HI), -Math.log(1 - ref.LO)], 1e-4);
  });

  it('from logits is finite and exact for huge logits', () => {
    close(run(losses.binaryCrossentropy({ fromLogits: true }), [[0, 1, 1, 0]], [[100, -100, 100, -100]]), [(100 + 100) / 4]);
  });

  it('from logits has gradient (sigmoid(x) - y) / width, also at x = 0', () => {
    const y = tf.tensor2d([[1, 0, 1]]);
    const x = tf.tensor2d([[0, 0, -2]]);
    const loss = losses.binaryCrossentropy({ fromLogits: true });
    const g = tf.grad((z: tf.Tensor) => tf.sum(loss.call(y, z)))(x);
    close(Array.from(g.dataSync()), [(0.5 - 1) / 3, 0.5 / 3, (ref.sigmoid(-2) - 1) / 3]);
    tf.dispose([y, x, g]);
  });
});

describe('categoricalCrossentropy and sparseCategoricalCrossentropy', () => {
  const classes = fc.record({ seed: fc.integer(), n: fc.integer({ min: 1, max: 6 }), k: fc.integer({ min: 2, max: 6 }) });
  const labelsOf = (r: () => number, n: number, k: number): number[] =>
    Array.from({ length: n }, () => Math.floor(r() * k));

  it('from probabilities (renormalised), with label smoothing', () => {
    fc.assert(fc.property(classes, fc.constantFrom(0, 0.1, 0.3), ({ seed, n, k }, s) => {
      const r = ref.rng(seed);
      const t = ref.oneHot(labelsOf(r, n, k), k);
      const p = ref.matrix(r, n, k, 0.05, 1);
      close(run(losses.categoricalCrossentropy({ labelSmoothing: s }), t, p), ref.cce(t, p, s));
    }), RUNS);
  });

  it('from logits equals softmax + the probability version', () => {
    fc.assert(fc.property(classes, fc.constantFrom(0, 0.1), ({ seed, n, k }, s) => {
      const r = ref.rng(seed);
      const t = ref.oneHot(labelsOf(r, n, k), k);
      const x = ref.matrix(r, n, k, -5, 5);
      const viaLogits = run(losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: s }), t, x);
      close(viaLogits, ref.cceLogits(t, x, s), 1e-4);
      const probs = x.map((row) => ref.softmax(row).map(Math.fround));
      close(viaLogits, run(losses.categoricalCrossentropy({ labelSmoothing: s }), t, probs), 1e-4);
    }), RUNS);
  });

  it('from logits stays finite for huge logits', () => {
    const v = run(losses.categoricalCrossentropy({ fromLogits: true }), [[1, 0, 0]], [[-500, 500, 0]]);
    close(v, [1000]);
  });

  it('from logits has gradient softmax(x) - y', () => {
    const y = tf.tensor2d([[0, 1, 0]]);
    const x = tf.tensor2d([[0.5, -1, 2]]);
    const loss = losses.categoricalCrossentropy({ fromLogits: true });
    const g = tf.grad((z: tf.Tensor) => tf.sum(loss.call(y, z)))(x);
    const s = ref.softmax([0.5, -1, 2]);
    close(Array.from(g.dataSync()), [s[0]!, s[1]! - 1, s[2]!]);
    tf.dispose([y, x, g]);
  });

  it('sparse equals categorical on one-hot targets: [batch] or [batch, 1], float or int, probs or logits', () => {
    fc.assert(fc.property(classes, fc.boolean(), fc.boolean(), fc.boolean(), ({ seed, n, k }, col, int, logits) => {
      const r = ref.rng(seed);
      const labels = labelsOf(r, n, k);
      const p = logits ? ref.matrix(r, n, k, -4, 4) : ref.matrix(r, n, k, 0.05, 1);
      const shape = col ? [n, 1] : [n];
      const yt = tf.tensor(labels, shape, int ? 'int32' : 'float32');
      const sparse = run(losses.sparseCategoricalCrossentropy({ fromLogits: logits }), yt, p);
      const expected = logits ? ref.cceLogits(ref.oneHot(labels, k), p) : ref.cce(ref.oneHot(labels, k), p);
      close(sparse, expected, 1e-4);
    }), RUNS);
  });

  it('rank-3 (sequence) targets: per-sample mean over time steps', () => {
    const r = ref.rng(11);
    const labels = [0, 2, 1, 1, 2, 0];
    const x = ref.matrix(r, 6, 3, -2, 2);
    const v = run(losses.sparseCategoricalCrossentropy({ fromLogits: true }),
      tf.tensor2d(labels, [2, 3]), tf.tensor3d(x.flat(), [2, 3, 3]));
    const per = ref.cceLogits(ref.oneHot(labels, 3), x);
    close(v, [(per[0]! + per[1]! + per[2]!) / 3, (per[3]! + per[4]! + per[5]!) / 3], 1e-4);
  });
});

describe('getLoss and lossFromConfig', () => {
  const cases: [string, string][] = [
    ['mse', 'MeanSquaredError'], ['mean_squared_error', 'MeanSquaredError'], ['meanSquaredError', 'MeanSquaredError'],
    ['MeanSquaredError', 'MeanSquaredError'], ['mae', 'MeanAbsoluteError'], ['mean_absolute_error', 'MeanAbsoluteError'],
    ['huber', 'Huber'], ['huber_loss', 'Huber'], ['hinge', 'Hinge'],
    ['bce', 'BinaryCrossentropy'], ['binary_crossentropy', 'BinaryCrossentropy'], ['binaryCrossentropy', 'BinaryCrossentropy'],
    ['categorical_crossentropy', 'CategoricalCrossentropy'], ['categoricalCrossentropy', 'CategoricalCrossentropy'],
    ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
    ['sparseCategoricalCrossentropy', 'SparseCategoricalCrossentropy'],
  ];
  it.each(cases)('%s resolves to %s', (id, className) => {
    expect(losses.getLoss(id).className).toBe(className);
  });

  it('passes a Loss object through', () => {
    const l = losses.huber({ delta: 3 });
    expect(losses.getLoss(l)).toBe(l);
  });

  it('an unknown name is a ValueError listing the known names', () => {
    expect(() => losses.getLoss('categorical_crossentropyy')).toThrow(ValueError);
    expect(() => losses.getLoss('nope')).toThrow(/unknown loss 'nope'.*meanSquaredError.*sparseCategoricalCrossentropy.*mse/);
  });

  it('kind tells which accuracy applies', () => {
    expect(losses.getLoss('bce').kind).toBe('binary');
    expect(losses.getLoss('categorical_crossentropy').kind).toBe('categorical');
    expect(losses.getLoss('sparse_categorical_crossentropy').kind).toBe('sparse');
    expect(losses.getLoss('mse').kind).toBe('regression');
  });

  it('configs round-trip, and Keras snake_case configs load', () => {
    const made = [
      losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
      losses.categoricalCrossentropy({ labelSmoothing: 0.1 }),
      losses.sparseCategoricalCrossentropy({ fromLogits: true }), losses.huber({ delta: 0.5 }), losses.hinge(),
    ];
    for (const l of made) {
      const again = losses.lossFromConfig(l.className, JSON.parse(JSON.stringify(l.getConfig())));
      expect(again.className).toBe(l.className);
      expect(again.getConfig()).toEqual(l.getConfig());
    }
    const keras = losses.lossFromConfig('CategoricalCrossentropy',
      { name: 'categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: true, label_smoothing: 0.1, axis: -1 });
    expect(keras.getConfig()).toEqual({ fromLogits: true, labelSmoothing: 0.1, axis: -1 });
  });

  it('lossFromConfig rejects unknown classes and bad configs with SerializationError', () => {
    expect(() => losses.lossFromConfig('Foo', {})).toThrow(SerializationError);
    expect(() => losses.lossFromConfig('Foo', {})).toThrow(/unknown loss class 'Foo'/);
    expect(() => losses.lossFromConfig('Huber', { delta: -1 })).toThrow(SerializationError);
    expect(() => losses.lossFromConfig('Huber', { delta: -1 })).toThrow(/Huber.*delta/);
    // Keras' class axis is supported now; losses without one accept only -1.
    expect(() => losses.lossFromConfig('MeanSquaredError', { axis: 1 })).toThrow(/axis/);
    expect(losses.lossFromConfig('CategoricalCrossentropy', { axis: 1 }).getConfig().axis).toBe(1);
  });

  it('options are validated', () => {
    expect(() => losses.binaryCrossentropy({ labelSmoothing: 1.5 })).toThrow(ValueError);
    expect(() => losses.categoricalCrossentropy({ labelSmoothing: -0.1 })).toThrow(/labelSmoothing/);
    expect(() => losses.huber({ delta: 0 })).toThrow(/delta/);
  });
});

describe('checkShapes', () => {
  const owner = "Sequential 'sequential'.fit";

  function expectShapeError(fn: () => void, ...parts: (string | RegExp)[]): void {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe('ShapeError');
    for (const p of parts) expect((caught as Error).message).toMatch(p);
  }

  it('one-hot targets given to a sparse loss', () => {
    expectShapeError(() => losses.sparseCategoricalCrossentropy().checkShapes([32, 10], [null, 10], owner),
      owner, '[32,10]', '[null,10]', /one-hot/, /categoricalCrossentropy/);
  });

  it('class-index targets given to a categorical loss', () => {
    expectShapeError(() => losses.categoricalCrossentropy().checkShapes([32], [null, 10], owner),
      owner, '[32]', '[null,10]', /sparseCategoricalCrossentropy/);
  });

  it('a categorical target whose width differs from the prediction', () => {
    expectShapeError(() => losses.categoricalCrossentropy().checkShapes([32, 9], [null, 10], owner),
      owner, '[32,9]', '[null,10]', /9 classes.*10/);
  });

  it('a batch-size mismatch', () => {
    expectShapeError(() => losses.meanSquaredError().checkShapes([31, 1], [32, 1], owner),
      owner, '[31,1]', '[32,1]', /batch size/);
  });

  it('a rank mismatch for an elementwise loss', () => {
    expectShapeError(() => losses.binaryCrossentropy().checkShapes([32, 4, 2], [null, 4], owner),
      owner, '[32,4,2]', '[null,4]', /rank/);
  });

  it('call checks too, naming the loss', () => {
    const yt = tf.zeros([4, 3]);
    const yp = tf.zeros([4, 2]);
    expectShapeError(() => losses.meanAbsoluteError().call(yt, yp), "loss 'meanAbsoluteError'", '[4,3]', '[4,2]');
    tf.dispose([yt, yp]);
  });

  it('accepts what fits', () => {
    expect(() => losses.sparseCategoricalCrossentropy().checkShapes([32], [null, 10], owner)).not.toThrow();
    expect(() => losses.sparseCategoricalCrossentropy().checkShapes([32, 1], [null, 10], owner)).not.toThrow();
    expect(() => losses.categoricalCrossentropy().checkShapes([32, 10], [null, 10], owner)).not.toThrow();
    expect(() => losses.binaryCrossentropy().checkShapes([32], [null, 1], owner)).not.toThrow();
    expect(() => losses.meanSquaredError().checkShapes([32, 5], [null, 5], owner)).not.toThrow();
  });
});
