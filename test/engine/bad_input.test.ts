/**
 * Bad options and inputs of layers: each throws a StrataError whose message names the
 * layer, the argument, what was expected and what came.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect_error.js';
import * as st from './st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

describe('bad layer options', () => {
  it('Dense units: 0', () => {
    expectError(() => st.layers.dense({ units: 0 }), st.ValueError, "Dense 'dense'", "'units'", 'positive integer', 'got 0');
  });

  it('Dense units: 2.5', () => {
    expectError(() => st.layers.dense({ units: 2.5 }), st.ValueError, "Dense 'dense'", "'units'", 'positive integer', 'got 2.5');
  });

  it('Dense with an unknown activation name', () => {
    expectError(
      () => st.layers.dense({ units: 2, activation: 'relu7' as st.ActivationName, name: 'head' }),
      st.ValueError, "Dense 'head'", 'activation', "'relu7'", /expected one of .*relu6/,
    );
  });

  it('Dense with an unknown initializer name', () => {
    expectError(
      () => st.layers.dense({ units: 2, kernelInitializer: 'glorotUniformm' }),
      st.ValueError, "Dense 'dense'", 'kernelInitializer', "'glorotUniformm'", /expected one of .*glorotUniform/,
    );
  });

  it('Dense with an unknown regularizer', () => {
    expectError(
      () => st.layers.dense({ units: 2, biasRegularizer: 'l3' as 'l1' }),
      st.ValueError, "Dense 'dense'", 'biasRegularizer', "'l3'", 'expected l1, l2, l1l2',
    );
  });

  it('ELU alpha ≤ 0', () => {
    expectError(() => st.layers.elu({ alpha: 0 }), st.ValueError, "ELU 'elu'", "'alpha'", '> 0', 'got 0');
    expectError(() => st.layers.elu({ alpha: -1 }), st.ValueError, "ELU 'elu'", "'alpha'", '> 0', 'got -1');
  });

  it('LeakyReLU negative alpha', () => {
    expectError(() => st.layers.leakyReLU({ alpha: -0.1 }), st.ValueError, "LeakyReLU 'leaky_re_lu'", "'alpha'", '>= 0', 'got -0.1');
  });

  it('ReLU maxValue ≤ 0', () => {
    expectError(() => st.layers.reLU({ maxValue: 0 }), st.ValueError, "ReLU 're_lu'", "'maxValue'", '> 0', 'got 0');
  });

  it('PReLU sharedAxes with an axis below 1', () => {
    expectError(() => st.layers.prelu({ sharedAxes: [0, 1] }), st.ValueError, "PReLU 'p_re_lu'", "'sharedAxes'", 'integers >= 1', 'got [0,1]');
  });

  it('PReLU sharedAxes beyond the input rank', () => {
    const layer = st.layers.prelu({ sharedAxes: [3] });
    const x = tf.zeros([2, 4, 5]);
    expectError(() => layer.apply(x), st.ValueError, "PReLU 'p_re_lu'", "'sharedAxes'", 'entry 3', 'input rank 3');
    x.dispose();
  });

  it('Softmax axis that is not an integer', () => {
    expectError(() => st.layers.softmax({ axis: 1.5 }), st.ValueError, "Softmax 'softmax'", "'axis'", 'integer', 'got 1.5');
  });

  it('Softmax axis beyond the input rank', () => {
    const layer = st.layers.softmax({ axis: 3 });
    const x = tf.zeros([2, 4, 5]);
    const n0 = tf.memory().numTensors;
    expectError(() => layer.apply(x), st.ValueError, "Softmax 'softmax'", "'axis' 3", 'out of range', 'rank 3');
    expect(tf.memory().numTensors).toBe(n0);
    x.dispose();
  });

  it('Activation with an unknown name', () => {
    expectError(() => st.layers.activation({ activation: 'swishy' as st.ActivationName }), st.ValueError,
      "Activation 'activation'", 'activation', "'swishy'", 'expected one of');
  });

  it('a Dense applied to a rank-1 tensor', () => {
    const layer = st.layers.dense({ units: 3 });
    const x = tf.zeros([4]);
    expectError(() => layer.apply(x), st.ShapeError, "Dense 'dense'", 'input', 'rank >= 2', 'got shape [null]');
    x.dispose();
  });

  it('a built Dense applied to a tensor with the wrong last dimension', () => {
    const layer = st.layers.dense({ units: 3 });
    tf.dispose(layer.apply(tf.zeros([1, 784])) as st.tf.Tensor);
    const x = tf.zeros([2, 28]);
    expectError(() => layer.apply(x), st.ShapeError, "Dense 'dense': expected input last dim 784, got 28");
    x.dispose();
    layer.dispose();
  });
});
