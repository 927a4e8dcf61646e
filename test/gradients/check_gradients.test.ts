import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../engine/st.js';
import { RUNS, signed, values } from './helpers.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

type Save = (ts: st.tf.Tensor[]) => void;

/** `x³` with a hand-written gradient `factor · 3x² · dy`; factor 1 is the right one. */
function cubeWithGrad(factor: number): (x: st.tf.Tensor) => st.tf.Tensor {
  return tf.customGrad((...args: (st.tf.Tensor | Save)[]) => {
    const [x, save] = args as [st.tf.Tensor, Save];
    save([x]);
    return {
      value: tf.pow(x, 3),
      gradFunc: (dy: st.tf.Tensor, saved: st.tf.Tensor[]) => tf.mul(dy, tf.mul(3 * factor, tf.square(saved[0]!))),
    };
  }) as (x: st.tf.Tensor) => st.tf.Tensor;
}

/** `x · w` (w a variable) whose gradient for w is `factor` times the right one. */
function scaleWithGrad(w: st.tf.Variable, factor: number): (x: st.tf.Tensor) => st.tf.Tensor {
  const op = tf.customGrad((...args: (st.tf.Tensor | Save)[]) => {
    const [x, v, save] = args as [st.tf.Tensor, st.tf.Tensor, Save];
    save([x, v]);
    return {
      value: tf.mul(x, v),
      gradFunc: (dy: st.tf.Tensor, [sx, sv]: st.tf.Tensor[]) => [
        tf.mul(dy, sv!),
        tf.mul(factor, tf.sum(tf.mul(dy, sx!), 0)),
      ],
    };
  }) as (x: st.tf.Tensor, v: st.tf.Tensor) => st.tf.Tensor;
  return (x) => op(x, w);
}

const point = fc.integer({ min: 1, max: 12 }).chain((n) => values(n, signed(0.2, 2)));

describe('checkGradients', () => {
  it('passes a correct custom gradient', () => {
    fc.assert(fc.property(point, (xs) => {
      const x = tf.tensor1d(xs);
      const report = st.testing.checkGradients(cubeWithGrad(1), [x]);
      x.dispose();
      expect(report.passed, report.toString()).toBe(true);
      expect(report.maxRelativeError).toBeLessThan(1e-2);
    }), { numRuns: RUNS });
  });

  it('fails a custom gradient that is off by a factor', () => {
    fc.assert(fc.property(point, fc.constantFrom(0.5, 0.9, 1.1, 2), (xs, factor) => {
      const x = tf.tensor1d(xs);
      const report = st.testing.checkGradients(cubeWithGrad(factor), [x]);
      x.dispose();
      expect(report.passed).toBe(false);
      expect(report.entries[0]!.passed).toBe(false);
      // Off by `factor`: the error relative to the larger of the two is |1 − 1/factor| or |1 − factor|.
      const expected = Math.abs(factor - 1) / Math.max(factor, 1);
      expect(report.maxRelativeError).toBeGreaterThan(expected * 0.9);
      expect(report.maxRelativeError).toBeLessThan(expected * 1.1);
    }), { numRuns: RUNS });
  });

  it('fails a custom gradient with the wrong sign', () => {
    fc.assert(fc.property(point, (xs) => {
      const x = tf.tensor1d(xs);
      const report = st.testing.checkGradients(cubeWithGrad(-1), [x]);
      x.dispose();
      expect(report.passed).toBe(false);
      // |a − (−a)| / |a| = 2.
      expect(report.maxRelativeError).toBeCloseTo(2, 1);
    }), { numRuns: RUNS });
  });

  it('checks weights too: a wrong weight gradient fails only that entry', () => {
    const w = tf.variable(tf.tensor1d([0.7, -1.3, 2]));
    const x = tf.tensor2d([[1, 2, -1], [0.5, -0.25, 3]]);
    const good = st.testing.checkGradients(scaleWithGrad(w, 1), [x], { weights: [w] });
    expect(good.passed, good.toString()).toBe(true);
    const bad = st.testing.checkGradients(scaleWithGrad(w, -1), [x], { weights: [w] });
    expect(bad.passed).toBe(false);
    expect(bad.entries.map((e) => e.passed)).toEqual([true, false]);
    expect(bad.entries[1]!.name).toBe(w.name);
    // The weight is put back exactly as it was.
    expect(Array.from(w.dataSync())).toEqual(Array.from(new Float32Array([0.7, -1.3, 2])));
    tf.dispose([w, x]);
  });

  it('writes a readable report: a verdict line, then one line per input and weight', () => {
    const layer = st.layers.dense({ units: 2, activation: 'tanh', name: 'probe' });
    const x = tf.tensor2d([[0.3, -0.8, 1.1]]);
    tf.dispose(layer.apply(x) as st.tf.Tensor);
    const ok = st.testing.checkGradients((t) => layer.apply(t) as st.tf.Tensor, [x], { weights: layer.weights });
    const okLines = ok.toString().split('\n');
    expect(okLines[0]).toMatch(/^gradient check: passed \(max relative error \d\.\d\de[-+]\d+, tolerance 0\.01\)$/);
    expect(okLines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['ok input', 'ok probe/kernel', 'ok probe/bias']);
    expect(okLines[2]).toMatch(/rel \d\.\d\de[-+]\d+ +abs \d\.\d\de[-+]\d+ +\(6 elements\)$/);

    const bad = st.testing.checkGradients(cubeWithGrad(2), [x]);
    const badLines = bad.toString().split('\n');
    expect(badLines[0]).toMatch(/^gradient check: FAILED \(max relative error 5\.0\de-1, tolerance 0\.01\)$/);
    expect(badLines[1]).toMatch(/^FAIL input 0 +rel 5\.0\de-1/);
    tf.dispose(x);
    layer.dispose();
  });

  it('leaks no tensors, with inputs and with weights', () => {
    const layer = st.layers.dense({ units: 3, activation: 'softmax' });
    const xs = [tf.randomNormal([4, 5], 0, 1, 'float32', 1), tf.randomNormal([4, 3], 0, 1, 'float32', 2)];
    tf.dispose(layer.apply(xs[0]!) as st.tf.Tensor);
    const n0 = tf.memory().numTensors;
    const f = (a: st.tf.Tensor, b: st.tf.Tensor) => tf.mul(layer.apply(a) as st.tf.Tensor, b);
    st.testing.checkGradients(f, xs, { weights: layer.weights });
    st.testing.checkGradients(cubeWithGrad(-1), [xs[1]!]);
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose(xs);
    layer.dispose();
  });

  it('checks every element of a large output: the projection error does not grow with the output size', () => {
    // 2,000 outputs: a difference of two projected sums would carry round-off of ~1e-3 here.
    const x = tf.randomUniform([1, 2000], -2, 2, 'float32', 4);
    const report = st.testing.checkGradients((t) => tf.sigmoid(t), [x], { maxElements: 20 });
    expect(report.passed, report.toString()).toBe(true);
    expect(report.entries[0]!.checked).toBe(20);
    x.dispose();
  });

  it('uses the true float32 step, so large input values are checked accurately', () => {
    // At |x| ≈ 300, x ± 1e-3 rounds to float32 with an error of ~1 % of the step.
    const x = tf.tensor1d([300.1, -257.3, 411.7]);
    const report = st.testing.checkGradients((t) => tf.mul(t, 2), [x]);
    expect(report.passed, report.toString()).toBe(true);
    expect(report.maxRelativeError).toBeLessThan(1e-3);
    x.dispose();
  });

  it('rejects a non-positive epsilon and an empty input list', () => {
    const x = tf.scalar(1);
    expect(() => st.testing.checkGradients((t) => t, [x], { epsilon: 0 })).toThrow(st.ValueError);
    expect(() => st.testing.checkGradients((t) => t, [])).toThrow(/checkGradients: 'inputs'/);
    x.dispose();
  });
});
