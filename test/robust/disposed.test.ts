import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function net() {
  const m = st.sequential([st.layers.dense({ units: 2, inputShape: [3] })]);
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

describe('a disposed model raises a StateError on every use', () => {
  const x = () => tf.ones([4, 3]);
  const y = () => tf.zeros([4, 2]);
  const cases: [string, (m: st.Sequential) => unknown][] = [
    ['predict', (m) => m.predict(x())],
    ['fit', (m) => m.fit(x(), y(), { verbose: 0 })],
    ['evaluate', (m) => m.evaluate(x(), y())],
    ['trainOnBatch', (m) => m.trainOnBatch(x(), y())],
    ['compile', (m) => m.compile({ optimizer: 'sgd', loss: 'mse' })],
    ['getWeights', (m) => m.getWeights()],
    ['setWeights', (m) => m.setWeights([])],
    ['summary', (m) => m.summary({ printFn: () => undefined })],
    ['save', (m) => m.save(tf.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })))],
    ['saveKerasModel', (m) => st.saveKerasModel(m)],
    ['apply', (m) => m.apply(x())],
  ];
  for (const [what, use] of cases) {
    it(what, async () => {
      const m = net();
      tf.dispose(m.predict(tf.ones([1, 3])));
      m.dispose();
      const err = await (async () => use(m))().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(st.StateError);
      expect(String((err as Error).message)).toMatch(/was disposed/);
      // Nothing was silently rebuilt.
      expect(m.weights).toHaveLength(0);
    });
  }
});

describe('disposed tensors raise a StateError naming the argument', () => {
  it('predict, fit, evaluate', async () => {
    const m = net();
    const x = tf.ones([4, 3]);
    const y = tf.zeros([4, 2]);
    x.dispose();
    expect(() => m.predict(x)).toThrow(st.StateError);
    expect(() => m.predict(x)).toThrow(/'x' is a disposed tensor/);
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/'x' is a disposed tensor/);
    const x2 = tf.ones([4, 3]);
    y.dispose();
    await expect(m.evaluate(x2, y)).rejects.toBeInstanceOf(st.StateError);
    await expect(m.evaluate(x2, y)).rejects.toThrow(/'y' is a disposed tensor/);
    const sw = tf.ones([4]);
    sw.dispose();
    await expect(m.fit(x2, tf.zeros([4, 2]), { verbose: 0, sampleWeight: sw })).rejects.toThrow(/'sampleWeight' is a disposed tensor/);
    expect(() => m.getLayer(0).apply(x)).toThrow(st.StateError);
    x2.dispose();
    m.dispose();
  });
});
