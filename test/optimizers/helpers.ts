import { expect } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import * as optimizers from '../../src/optimizers/index.js';

/** Rounds to float32, so references start from exactly what the tensors hold. */
export const f32 = (xs: number[]): number[] => xs.map((x) => Math.fround(x));

/**
 * Applies `grads` one step each to a fresh variable holding `w0` (shape `shape`) and
 * returns the weights after every step. Disposes everything it made.
 */
export function runSteps(opt: optimizers.Optimizer, w0: number[], grads: number[][], shape: number[] = [w0.length]): number[][] {
  const v = variable(w0, shape);
  const out: number[][] = [];
  for (const g of grads) {
    const gt = tf.tensor(g, shape);
    opt.applyGradients([{ variable: v, gradient: gt }]);
    gt.dispose();
    out.push(Array.from(v.dataSync()));
  }
  opt.dispose();
  v.dispose();
  return out;
}

/** Every entry of `actual` is within `tol` of `expected` (absolute). */
export function expectClose(actual: number[][], expected: number[][], tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, s) => {
    expect(row.length).toBe(expected[s]!.length);
    row.forEach((x, i) => {
      const e = expected[s]![i]!;
      if (!(Math.abs(x - e) <= tol)) {
        throw new Error(`step ${s + 1}, element ${i}: got ${x}, expected ${e} (|diff| ${Math.abs(x - e)} > ${tol})`);
      }
    });
  });
}

/** The largest absolute difference between two step sequences. */
export function maxDiff(a: number[][], b: number[][]): number {
  let d = 0;
  a.forEach((row, s) => row.forEach((x, i) => (d = Math.max(d, Math.abs(x - b[s]![i]!)))));
  return d;
}

/** A variable holding `values`, without leaving the initial tensor behind. */
export function variable(values: number[], shape: number[] = [values.length]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, shape)));
}
