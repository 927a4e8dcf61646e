import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function classifier(loss: string) {
  const net = st.sequential([st.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })]);
  net.compile({ optimizer: 'sgd', loss });
  return net;
}

async function expectNoStep(net: ReturnType<typeof classifier>, run: () => Promise<unknown>, pattern: RegExp) {
  const before = net.getWeights().map((t) => Array.from(t.dataSync()));
  await expect(run()).rejects.toThrow(pattern);
  await expect(run()).rejects.toBeInstanceOf(st.StrataError);
  expect(net.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(before);
}

describe('fit rejects bad data before any step', () => {
  it('mismatched x/y sample counts, naming both shapes', async () => {
    const net = classifier('sparseCategoricalCrossentropy');
    const x = tf.zeros([10, 4]);
    const y = tf.zeros([9], 'int32');
    await expectNoStep(net, () => net.fit(x, y, { verbose: 0 }), /\[10,4\].*\[9\]/);
    net.dispose();
  });

  it('one-hot labels given to a sparse loss, naming both shapes', async () => {
    const net = classifier('sparseCategoricalCrossentropy');
    const x = tf.zeros([10, 4]);
    const y = tf.oneHot(tf.zeros([10], 'int32'), 3);
    await expectNoStep(net, () => net.fit(x, y, { verbose: 0 }), /\[10,3\]/);
    net.dispose();
  });

  it('a y of the wrong width for a categorical loss, naming both shapes', async () => {
    const net = classifier('categoricalCrossentropy');
    const x = tf.zeros([10, 4]);
    const y = tf.zeros([10, 5]);
    await expectNoStep(net, () => net.fit(x, y, { verbose: 0 }), /\[10,5\].*3|3.*\[10,5\]/);
    net.dispose();
  });

  it('x of the wrong width, naming the model input shape', async () => {
    const net = classifier('sparseCategoricalCrossentropy');
    const x = tf.zeros([10, 5]);
    const y = tf.zeros([10], 'int32');
    await expectNoStep(net, () => net.fit(x, y, { verbose: 0 }), /\[null,4\].*\[10,5\]/);
    net.dispose();
  });

  it('fit before compile is a StateError', async () => {
    const net = st.sequential([st.layers.dense({ units: 1, inputShape: [1] })]);
    const x = tf.zeros([2, 1]);
    await expect(net.fit(x, x)).rejects.toThrow(st.StateError);
    net.dispose();
  });

  it('bad fit options name the argument', async () => {
    const net = classifier('sparseCategoricalCrossentropy');
    const x = tf.zeros([10, 4]);
    const y = tf.zeros([10], 'int32');
    await expect(net.fit(x, y, { batchSize: 0, verbose: 0 })).rejects.toThrow(/batchSize/);
    await expect(net.fit(x, y, { validationSplit: 1.5, verbose: 0 })).rejects.toThrow(/validationSplit/);
    await expect(net.fit(x, y, { epochs: -1, verbose: 0 })).rejects.toThrow(/epochs/);
    net.dispose();
  });
});
