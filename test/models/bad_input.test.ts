/**
 * Bad inputs and arguments of models: each throws a StrataError whose message names the
 * model or layer, the argument, what was expected and what came.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../engine/expect_error.js';
import * as st from '../engine/st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function mlp(): st.SequentialNetwork {
  return st.sequential([
    st.layers.input({ shape: [784] }),
    st.layers.dense({ units: 8, activation: 'relu' }),
    st.layers.dense({ units: 2 }),
  ]);
}

describe('bad model inputs', () => {
  it('Dense after a rank-1 input, at add time', () => {
    const net = st.sequential([st.layers.input({ shape: [] })]);
    expectError(() => net.add(st.layers.dense({ units: 3 })), st.ShapeError, "Dense 'dense'", 'input', 'rank >= 2', 'got shape [null]');
  });

  it('rank-1 data into a model whose first layer is Dense, at predict time', () => {
    const net = mlp();
    const x = tf.zeros([784]);
    expectError(() => net.predict(x), st.ShapeError, "Sequential 'sequential'", 'input 0', 'expected shape [null,784]', 'got [784]');
    x.dispose();
    net.dispose();
  });

  it('rank-1 data into a Sequential model that learns its input shape from the data', () => {
    const net = st.sequential([st.layers.dense({ units: 3 })]);
    const bad = tf.zeros([5]);
    expectError(() => net.predict(bad), st.ShapeError, "Dense 'dense'", 'rank >= 2', 'got shape [null]');
    // The failed first call must not fix a wrong input shape: good data still works.
    const good = tf.zeros([2, 5]);
    const y = net.predict(good) as st.tf.Tensor;
    expect(y.shape).toEqual([2, 3]);
    tf.dispose([bad, good, y]);
    net.dispose();
  });

  it('a built Dense (784 inputs) added after a 28-wide input, at add time', () => {
    const d = st.layers.dense({ units: 4 });
    tf.dispose(d.apply(tf.zeros([1, 784])) as st.tf.Tensor);
    const net = st.sequential([st.layers.input({ shape: [28] })]);
    expectError(() => net.add(d), st.ShapeError, "Dense 'dense': expected input last dim 784, got 28");
    d.dispose();
  });

  it('data with the wrong last dimension, at predict time', () => {
    const net = mlp();
    const x = tf.zeros([3, 28]);
    expectError(() => net.predict(x), st.ShapeError, "Sequential 'sequential'", 'input 0', 'expected shape [null,784]', 'got [3,28]');
    x.dispose();
    net.dispose();
  });

  it('predict with batchSize 0', () => {
    const net = mlp();
    const x = tf.zeros([3, 784]);
    expectError(() => net.predict(x, { batchSize: 0 }), st.ValueError, "Sequential 'sequential'.predict", "'batchSize'", 'positive integer', 'got 0');
    x.dispose();
    net.dispose();
  });

  it('setWeights with the wrong number of tensors', () => {
    const net = mlp();
    const ws = net.getWeights();
    expectError(() => net.setWeights(ws.slice(1)), st.ValueError, "Sequential 'sequential'.setWeights", 'expected 4', 'got 3');
    tf.dispose(ws);
    net.dispose();
  });

  it('setWeights with a tensor of the wrong shape', () => {
    const net = mlp();
    const ws = net.getWeights();
    const wrong = tf.zeros([8, 3]);
    expectError(() => net.setWeights([ws[0]!, ws[1]!, wrong, ws[3]!]), st.ShapeError,
      "Sequential 'sequential'.setWeights", "'dense_1/kernel'", 'shape [8,2]', 'got [8,3]');
    tf.dispose([...ws, wrong]);
    net.dispose();
  });

  it('getLayer with an unknown name', () => {
    const net = mlp();
    expectError(() => net.getLayer('dense_7'), st.ValueError, "Sequential 'sequential'", "no layer named 'dense_7'", 'layers are dense, dense_1');
    expectError(() => net.getLayer(5), st.ValueError, "Sequential 'sequential'", 'no layer at index 5', 'has 2 layers');
    net.dispose();
  });

  it('two layers with the same name in one Sequential model', () => {
    expectError(
      () => st.sequential([st.layers.dense({ units: 2, name: 'head', inputShape: [3] }), st.layers.dense({ units: 2, name: 'head' })]),
      st.ValueError, "Sequential 'sequential'", "two layers are named 'head'", 'unique',
    );
  });

  it('two layers with the same name in one functional model', () => {
    const x = st.layers.input({ shape: [3] });
    const a = st.layers.dense({ units: 2, name: 'head' }).apply(x);
    const b = st.layers.dense({ units: 2, name: 'head' }).apply(x);
    expectError(() => st.model({ inputs: x, outputs: [a, b] }), st.ValueError, "two layers are named 'head'", 'unique');
  });

  it('a functional model whose outputs do not depend on one of its inputs', () => {
    const x = st.layers.input({ shape: [3] });
    const unused = st.layers.input({ shape: [3], name: 'unused' });
    const y = st.layers.dense({ units: 2 }).apply(x);
    expectError(() => st.model({ inputs: [x, unused], outputs: y }), st.StrataError, 'model', "'unused'", 'not connected to any output');
  });

  it('a functional model whose input is not from st.layers.input', () => {
    const x = st.layers.input({ shape: [3] });
    const h = st.layers.dense({ units: 4 }).apply(x);
    const y = st.layers.dense({ units: 2 }).apply(h);
    expectError(() => st.model({ inputs: h, outputs: y }), st.ValueError, 'model', 'input', "Dense 'dense'", 'not from st.layers.input');
  });

  it('a functional model given a real tensor as input', () => {
    const t = tf.zeros([1, 3]);
    const y = st.layers.dense({ units: 2 }).apply(st.layers.input({ shape: [3] }));
    expectError(() => st.model({ inputs: t as unknown as st.SymbolicTensor, outputs: y }), st.ValueError, 'model', "'inputs'", 'symbolic tensors from st.layers.input');
    t.dispose();
  });

  it('a functional model whose output needs an input it was not given', () => {
    const a = st.layers.input({ shape: [3], name: 'a' });
    const b = st.layers.input({ shape: [3], name: 'b' });
    const y = st.layers.dense({ units: 2 }).apply(b);
    expectError(() => st.model({ inputs: a, outputs: y }), st.StrataError, 'model', "input 'b'", "not among the model's inputs");
  });
});
