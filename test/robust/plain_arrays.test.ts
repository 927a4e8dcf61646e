import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function net() {
  const m = st.sequential([st.layers.dense({ units: 2, inputShape: [3], kernelInitializer: st.initializers.glorotUniform({ seed: 5 }) })]);
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

const rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [0, 1, 0]];
const targets = [[1, 0], [0, 1], [1, 1], [0, 0]];

describe('plain arrays are converted and freed', () => {
  it('predict takes nested arrays and typed arrays (read as samples of the input shape), leaking nothing', () => {
    const m = net();
    const ref = tf.tensor2d(rows);
    const expected = (m.predict(ref) as st.tf.Tensor).arraySync();
    const before = tf.memory().numTensors;
    const a = m.predict(rows) as st.tf.Tensor;
    const b = m.predict(Float32Array.from(rows.flat())) as st.tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(a.shape).toEqual([4, 2]);
    expect(a.arraySync()).toEqual(expected);
    expect(b.arraySync()).toEqual(expected);
    tf.dispose([a, b, ref]);
    m.dispose();
  });

  it('fit, evaluate and trainOnBatch take nested arrays and give the same numbers as tensors', async () => {
    const m1 = net();
    const m2 = net();
    const before = tf.memory().numTensors;
    const h1 = await m1.fit(rows, targets, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    const e1 = await m1.evaluate(rows, targets);
    const t1 = await m1.trainOnBatch(rows, targets);
    expect(tf.memory().numTensors).toBe(before);
    const [x, y] = [tf.tensor2d(rows), tf.tensor2d(targets)];
    const h2 = await m2.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    const e2 = await m2.evaluate(x, y);
    const t2 = await m2.trainOnBatch(x, y);
    expect(h1.history.loss).toEqual(h2.history.loss);
    expect(e1.loss).toBe(e2.loss);
    expect(t1.loss).toBe(t2.loss);
    tf.dispose([x, y]);
    m1.dispose();
    m2.dispose();
  });

  it('sparse labels as an Int32Array', async () => {
    const m = st.sequential([st.layers.dense({ units: 3, inputShape: [3], activation: 'softmax' })]);
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const logs = await m.evaluate(rows, Int32Array.from([0, 1, 2, 0]));
    expect(Number.isFinite(logs.loss)).toBe(true);
    m.dispose();
  });

  it('rejects ragged arrays, strings and wrong typed-array lengths with a ValueError, not a TypeError', async () => {
    const m = net();
    expect(() => m.predict([[1, 2, 3], [4, 5]])).toThrow(st.ValueError);
    expect(() => m.predict([[1, 2, 3], [4, 5]])).toThrow(/ragged/);
    expect(() => m.predict(Float32Array.from([1, 2, 3, 4]))).toThrow(/not a whole number of samples of shape \[3\]/);
    expect(() => m.predict('abc' as unknown as number[])).toThrow(st.ValueError);
    expect(() => m.predict(undefined as unknown as number[])).toThrow(st.ValueError);
    let deep: unknown = [1];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => m.predict(deep as number[])).toThrow(/nested more than 16 arrays deep/);
    await expect(m.fit(rows, [[1, 'a']] as unknown as number[][], { verbose: 0 })).rejects.toBeInstanceOf(st.ValueError);
    await expect(m.evaluate({ nope: 1 } as never, targets)).rejects.toBeInstanceOf(st.ValueError);
    m.dispose();
  });
});
