import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function net() {
  const m = st.sequential([st.layers.dense({ units: 1, inputShape: [1], kernelInitializer: st.initializers.zeros() })]);
  m.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  return m;
}

function* batches(count: number) {
  for (let i = 0; i < count; i++) {
    const xs = tf.randomUniform([16, 1], -1, 1, 'float32', i + 1);
    yield { xs, ys: tf.tidy(() => tf.add(tf.mul(xs, 3), 2)) };
  }
}

describe('fitDataset', () => {
  it('trains from a sync iterable, afresh each epoch, leaking nothing', async () => {
    const m = net();
    const n0 = tf.memory().numTensors;
    let batchCount = 0;
    const data = { [Symbol.iterator]: () => batches(10) };
    const h = await m.fitDataset(data, { epochs: 5, verbose: 0, callbacks: [{ onBatchEnd: () => { batchCount++; } }] });
    expect(batchCount).toBe(50);
    expect(h.history.loss![4]!).toBeLessThan(h.history.loss![0]!);
    expect(tf.memory().numTensors).toBe(n0);
    m.dispose();
  });

  it('draws stepsPerEpoch batches from one async iterator across epochs', async () => {
    const m = net();
    async function* gen() {
      for (const b of batches(9)) yield b;
    }
    const seen: number[] = [];
    const h = await m.fitDataset(gen(), {
      epochs: 3, stepsPerEpoch: 3, verbose: 0,
      callbacks: [{ onEpochEnd: (e: number) => { seen.push(e); } }],
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(h.epoch).toHaveLength(3);
    m.dispose();
  });

  it('validates on a dataset and on tensors', async () => {
    const m = net();
    const vx = tf.tensor2d([[0], [1]]);
    const vy = tf.tensor2d([[2], [5]]);
    const h1 = await m.fitDataset({ [Symbol.iterator]: () => batches(4) }, { epochs: 2, verbose: 0, validationData: [vx, vy] });
    expect(h1.history.val_loss).toHaveLength(2);
    const h2 = await m.fitDataset({ [Symbol.iterator]: () => batches(4) }, {
      epochs: 1, verbose: 0, validationData: { [Symbol.iterator]: () => batches(2) },
    });
    expect(h2.history.val_loss).toHaveLength(1);
    tf.dispose([vx, vy]);
    m.dispose();
  });

  it('rejects elements that are not { xs, ys }', async () => {
    const m = net();
    await expect(m.fitDataset([{ a: 1 }] as never, { verbose: 0 })).rejects.toThrow(/xs, ys/);
    m.dispose();
  });
});
