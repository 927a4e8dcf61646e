import { beforeAll, describe, expect, it } from 'vitest';
import { getRegularizer, serializeRegularizer } from '../../src/engine/regularizers.js';
import * as st from './st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const W = [[0.5, -2], [3, -0.25], [0, 1]];
const SUM_ABS = 0.5 + 2 + 3 + 0.25 + 0 + 1; // 6.75
const SUM_SQ = 0.25 + 4 + 9 + 0.0625 + 0 + 1; // 14.3125

function penalty(r: st.regularizers.L1L2, w: number[][] = W): number {
  return tf.tidy(() => r.apply(tf.tensor2d(w)).dataSync()[0]!);
}

describe('regularizers', () => {
  it('l1, l2 and l1l2 penalties match hand-computed values', () => {
    expect(penalty(st.regularizers.l1({ l1: 0.1 }))).toBeCloseTo(0.1 * SUM_ABS, 6);
    expect(penalty(st.regularizers.l2({ l2: 0.2 }))).toBeCloseTo(0.2 * SUM_SQ, 5);
    expect(penalty(st.regularizers.l1l2({ l1: 0.1, l2: 0.2 }))).toBeCloseTo(0.1 * SUM_ABS + 0.2 * SUM_SQ, 5);
    expect(penalty(new st.regularizers.L1L2())).toBe(0);
  });

  it('factory defaults are 0.01, as in Keras', () => {
    expect(st.regularizers.l1().getConfig()).toEqual({ l1: 0.01, l2: 0 });
    expect(st.regularizers.l2().getConfig()).toEqual({ l1: 0, l2: 0.01 });
    expect(st.regularizers.l1l2().getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(penalty(st.regularizers.l2())).toBeCloseTo(0.01 * SUM_SQ, 6);
    expect(penalty(st.regularizers.l1l2())).toBeCloseTo(0.01 * (SUM_ABS + SUM_SQ), 6);
  });

  it('resolves names and saved specs; serializes to the Keras form', () => {
    expect(getRegularizer('l1').getConfig()).toEqual({ l1: 0.01, l2: 0 });
    expect(getRegularizer('l2').getConfig()).toEqual({ l1: 0, l2: 0.01 });
    expect(getRegularizer('l1l2').getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(getRegularizer('l1_l2').getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    const r = st.regularizers.l1l2({ l1: 0.3, l2: 0.004 });
    const spec = serializeRegularizer(r);
    expect(spec).toEqual({ class_name: 'L1L2', config: { l1: 0.3, l2: 0.004 } });
    expect(getRegularizer(JSON.parse(JSON.stringify(spec))).getConfig()).toEqual({ l1: 0.3, l2: 0.004 });
    expect(getRegularizer({ class_name: 'L2', config: { l2: 0.5 } }).getConfig()).toEqual({ l1: 0, l2: 0.5 });
    expect(getRegularizer(r)).toBe(r);
  });

  it('rejects negative or non-finite factors with a ValueError naming the factor and the value', () => {
    expect(() => st.regularizers.l1({ l1: -0.1 })).toThrow(st.ValueError);
    expect(() => st.regularizers.l1({ l1: -0.1 })).toThrow(/L1L2: 'l1' must be a finite number >= 0; got -0\.1/);
    expect(() => st.regularizers.l2({ l2: Infinity })).toThrow(/'l2' must be a finite number >= 0; got Infinity/);
  });

  it("a Dense layer's regularizationLosses are the penalties of its kernel and bias", () => {
    const layer = st.layers.dense({
      units: 2,
      kernelInitializer: st.initializers.constant({ value: -0.5 }),
      biasInitializer: st.initializers.constant({ value: 2 }),
      kernelRegularizer: st.regularizers.l1({ l1: 0.1 }),
      biasRegularizer: 'l2',
    });
    tf.dispose(layer.apply(tf.zeros([1, 3])) as st.tf.Tensor);
    const n0 = tf.memory().numTensors;
    const values = tf.tidy(() => layer.regularizationLosses().map((t) => t.dataSync()[0]!));
    expect(tf.memory().numTensors).toBe(n0);
    expect(values).toHaveLength(2);
    expect(values[0]).toBeCloseTo(0.1 * 6 * 0.5, 6); // 6 kernel entries of |−0.5|
    expect(values[1]).toBeCloseTo(0.01 * 2 * 4, 6); // 2 bias entries of 2²
    layer.dispose();
  });

  it('a layer without regularizers has no penalties', () => {
    const layer = st.layers.dense({ units: 2 });
    tf.dispose(layer.apply(tf.zeros([1, 3])) as st.tf.Tensor);
    expect(layer.regularizationLosses()).toEqual([]);
    layer.dispose();
  });
});
