/**
 * Shared pieces of the gradient property tests: run counts, value generators that stay
 * away from kinks, and a check that a gradient report passed.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import * as st from '../engine/st.js';

const { tf } = st;

/** Runs per property; `GRAD_RUNS=200 npm run test:gradients` runs more. */
export const RUNS = Number(process.env.GRAD_RUNS ?? 5);

/** The finite-difference step checkGradients uses by default. */
export const EPS = 1e-3;

/** How far from a kink every pre-activation must stay. */
export const MARGIN = 10 * EPS;

/** Points where each activation's derivative jumps (or its second derivative, for elu). */
export const KINKS: Record<string, number[]> = {
  linear: [], relu: [0], relu6: [0, 6], elu: [0], selu: [0], sigmoid: [], hardSigmoid: [-3, 3], tanh: [],
  softmax: [], softplus: [], softsign: [0], swish: [], gelu: [], hardSwish: [-3, 3], mish: [],
};

/** Every activation name a layer accepts, in camelCase. */
export const ACTIVATIONS = Object.keys(KINKS) as st.ActivationName[];

/** A float in ±[lo, hi] (never between -lo and lo). */
export function signed(lo: number, hi: number): fc.Arbitrary<number> {
  return fc.tuple(fc.double({ min: lo, max: hi, noNaN: true }), fc.boolean()).map(([m, neg]) => (neg ? -m : m));
}

/** Moves `v` out of the band `(k - margin, k + margin)` around each kink `k`. */
export function awayFrom(kinks: number[], margin = 2 * MARGIN): (v: number) => number {
  return (v) => {
    for (const k of kinks) {
      if (Math.abs(v - k) < margin) v = v >= k ? k + margin : k - margin;
    }
    return v;
  };
}

/** An array of exactly `n` values from `arb`. */
export function values(n: number, arb: fc.Arbitrary<number>): fc.Arbitrary<number[]> {
  return fc.array(arb, { minLength: n, maxLength: n });
}

/** True when some value of `t` lies within `margin` of one of `kinks`. */
export function nearKink(t: st.tf.Tensor, kinks: number[], margin = MARGIN): boolean {
  if (kinks.length === 0) return false;
  return Array.from(t.dataSync()).some((v) => kinks.some((k) => Math.abs(v - k) < margin));
}

/** The product of a shape's dimensions. */
export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Flattens `y` and appends the layer's penalties, so one gradient check covers both. */
export function withPenalties(y: st.tf.Tensor, layer: st.Layer): st.tf.Tensor {
  const reg = layer.regularizationLosses();
  const flat = tf.reshape(y, [-1]);
  return reg.length ? tf.concat([flat, tf.stack(reg)]) : flat;
}

/**
 * The smallest gradient magnitude a float32 check can judge. The outputs carry round-off
 * of about 1e-7 relative, so a central difference with step EPS is uncertain by roughly
 * 1e-4 in absolute terms; a gradient much below 1e-2 cannot be checked to 1 %.
 */
export const RESOLVABLE = 1e-2;

/**
 * Asserts that a gradient report passed, showing its table when it did not. Cases where
 * some checked gradient is nonzero but below {@link RESOLVABLE} (random cancellations:
 * a sum of terms of both signs that nearly vanishes) are skipped like cases near a kink.
 * NaN or infinite errors are never skipped.
 */
export function expectPassed(report: st.testing.GradientCheckReport): void {
  fc.pre(report.entries.every((e) => {
    if (!Number.isFinite(e.relativeError) || e.relativeError === 0) return true;
    return e.maxAbsError / e.relativeError >= RESOLVABLE;
  }));
  expect(report.passed, report.toString()).toBe(true);
  expect(report.maxRelativeError).toBeLessThan(1e-2);
}

/**
 * Runs `body` with `cleanup` always run afterwards, even when `fc.pre` rejects the case,
 * then checks that no tensors were left behind.
 */
export function noLeak(body: (track: <T extends st.tf.Tensor | st.Layer>(x: T) => T) => void): void {
  const n0 = tf.memory().numTensors;
  const owned: (st.tf.Tensor | st.Layer)[] = [];
  try {
    body((x) => {
      owned.push(x);
      return x;
    });
  } finally {
    for (const o of owned) o.dispose();
  }
  expect(tf.memory().numTensors).toBe(n0);
}
