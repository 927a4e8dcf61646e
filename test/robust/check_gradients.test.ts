import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

describe('checkGradients never passes vacuously', () => {
  it('an unbuilt layer passed as weights: layer is built by f and its weights are checked and named', () => {
    const layer = st.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) });
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    const report = st.testing.checkGradients((t) => layer.apply(t) as st.tf.Tensor, [x], { weights: layer });
    expect(report.passed).toBe(true);
    expect(report.checkedWeights).toEqual(['dense/kernel', 'dense/bias']);
    expect(report.entries.map((e) => e.name)).toEqual(['input 0', 'dense/kernel', 'dense/bias']);
    expect(report.entries.every((e) => e.checked > 0)).toBe(true);
    // only the layer's new weights remain
    expect(tf.memory().numTensors).toBe(before + 2);
    x.dispose();
    layer.dispose();
  });

  it("an unbuilt layer's (empty) weight list: the layer is built and its weights are checked", () => {
    const layer = st.layers.dense({ units: 3, kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) });
    const x = tf.randomNormal([2, 4], 0, 1, 'float32', 5);
    const report = st.testing.checkGradients((t) => layer.apply(t) as st.tf.Tensor, [x], { weights: layer.weights });
    expect(report.checkedWeights).toEqual(['dense/kernel', 'dense/bias']);
    expect(report.passed).toBe(true);
    x.dispose();
    layer.dispose();
  });

  it('a layer f never applies, or a weight f never reads, fails', () => {
    const layer = st.layers.dense({ units: 3 });
    const x = tf.ones([2, 4]);
    expect(() => st.testing.checkGradients((t) => tf.mul(t, 2), [x], { weights: layer })).toThrow(st.ValueError);
    const unused = tf.variable(tf.ones([2]));
    const report = st.testing.checkGradients((t) => tf.mul(t, 2), [x], { weights: [unused] });
    expect(report.passed).toBe(false);
    expect(report.entries[1]!.passed).toBe(false);
    tf.dispose([x, unused]);
    layer.dispose();
  });

  it('empty inputs check nothing and do not pass', () => {
    const x = tf.zeros([0, 3]);
    const report = st.testing.checkGradients((t) => tf.mul(t, 2), [x]);
    expect(report.passed).toBe(false);
    x.dispose();
  });
});
