import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, canonicalActivation, getActivation } from '../../src/engine/activations.js';
import * as st from './st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** erf by its Maclaurin series (|x| ≤ 4) or its asymptotic expansion; ~1e-9 accurate. */
function erf(x: number): number {
  const a = Math.abs(x);
  if (a > 4) {
    const t = 1 / (2 * a * a);
    const erfc = (Math.exp(-a * a) / (a * Math.sqrt(Math.PI))) * (1 - t + 3 * t * t - 15 * t * t * t);
    return Math.sign(x) * (1 - erfc);
  }
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** The textbook definitions (Keras 3 conventions), elementwise. */
const FORMULAS: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  relu6: (x) => Math.min(Math.max(0, x), 6),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
  sigmoid,
  hard_sigmoid: (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
  tanh: Math.tanh,
  softplus: (x) => Math.log1p(Math.exp(x)),
  softsign: (x) => x / (1 + Math.abs(x)),
  swish: (x) => x * sigmoid(x),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  hard_silu: (x) => x * Math.min(Math.max(x / 6 + 0.5, 0), 1),
  mish: (x) => x * Math.tanh(Math.log1p(Math.exp(x))),
};

// -8 … 8 in steps of 0.25, plus points next to the kinks.
const GRID = [...Array.from({ length: 65 }, (_, i) => -8 + i * 0.25), -3.01, -2.99, 2.99, 3.01, 5.99, 6.01, 1e-3, -1e-3];

function applyJs(name: string, xs: number[]): number[] {
  return tf.tidy(() => Array.from(getActivation(name)(tf.tensor1d(xs)).dataSync()));
}

function expectClose(actual: number[], expected: number[], what: string): void {
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(Math.abs(a - e), `${what} at x=${GRID[i]}: got ${a}, expected ${e}`).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(e)));
  });
}

describe('activation table', () => {
  for (const [name, fn] of Object.entries(FORMULAS)) {
    it(`${name} matches its formula`, () => {
      expectClose(applyJs(name, GRID), GRID.map(fn), name);
    });
  }

  it('softmax normalises the last axis', () => {
    const rows = [[1, 2, 3, 4], [-5, 0, 5, 10], [100, 100, 99, 0]];
    const got = tf.tidy(() => getActivation('softmax')(tf.tensor2d(rows)).arraySync() as number[][]);
    rows.forEach((r, i) => {
      const m = Math.max(...r);
      const e = r.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, j) => expect(got[i]![j]).toBeCloseTo(v / s, 6));
    });
  });

  it('every canonical name has a formula checked above', () => {
    expect([...ACTIVATION_NAMES].sort()).toEqual([...Object.keys(FORMULAS), 'softmax'].sort());
  });

  it('accepts camelCase, snake_case and silu for swish', () => {
    expect(canonicalActivation('hardSigmoid')).toBe('hard_sigmoid');
    expect(canonicalActivation('hard_sigmoid')).toBe('hard_sigmoid');
    expect(canonicalActivation('silu')).toBe('swish');
    expect(canonicalActivation('relu6')).toBe('relu6');
    expect(canonicalActivation('sigmoid_x')).toBeUndefined();
    expect(applyJs('hardSigmoid', [1.5])).toEqual(applyJs('hard_sigmoid', [1.5]));
    expect(applyJs('silu', [0.7])).toEqual(applyJs('swish', [0.7]));
  });

  it('an unknown name is a ValueError naming the owner, the argument and the known names', () => {
    expect(() => getActivation('relu7', "Dense 'dense'")).toThrow(st.ValueError);
    expect(() => getActivation('relu7', "Dense 'dense'")).toThrow(/^Dense 'dense': unknown activation 'relu7'; expected one of .*relu6/);
  });

  it('leaks no tensors', () => {
    const x = tf.tensor1d(GRID);
    const n0 = tf.memory().numTensors;
    for (const name of ACTIVATION_NAMES) tf.tidy(() => { getActivation(name)(x); });
    expect(tf.memory().numTensors).toBe(n0);
    x.dispose();
  });
});
