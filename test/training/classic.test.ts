import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

describe('classic problems', () => {
  it('XOR reaches 100 % with momentum SGD', async () => {
    const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = tf.tensor2d([[0], [1], [1], [0]]);
    const net = st.sequential([
      st.layers.dense({ units: 4, activation: 'tanh', inputShape: [2], kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) }),
      st.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) }),
    ]);
    net.compile({ optimizer: st.optimizers.momentum({ learningRate: 0.1, momentum: 0.9 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await net.fit(x, y, { epochs: 500, batchSize: 4, verbose: 0 });
    const scores = await net.evaluate(x, y);
    expect(scores.accuracy).toBe(1);
    tf.dispose([x, y]);
    net.dispose();
  });
});
