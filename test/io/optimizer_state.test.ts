/**
 * `includeOptimizer`: the training config and the optimizer state travel with the model, so
 * training 2 epochs equals training 1, saving, loading and training 1 more.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { memory, noLeak } from './helpers.js';
import * as st from './st.js';

const { tf } = st;
const L = st.layers;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function net(): st.Sequential {
  return st.sequential([
    L.input({ shape: [4] }),
    L.dense({ units: 6, activation: 'relu', kernelInitializer: st.initializers.glorotUniform({ seed: 11 }) }),
    L.batchNormalization(),
    L.dense({ units: 3, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 12 }) }),
  ]);
}

const optimizerCases: [string, () => st.optimizers.Optimizer][] = [
  ['Adam', () => st.optimizers.adam({ learningRate: 0.05 })],
  ['Adam (AMSGrad) with a decaying learning rate', () => st.optimizers.adam({
    learningRate: st.optimizers.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5 }), amsgrad: true,
  })],
  ['RMSprop (centered, momentum)', () => st.optimizers.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
  ['SGD with Nesterov momentum', () => st.optimizers.momentum({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['Adagrad', () => st.optimizers.adagrad({ learningRate: 0.1 })],
];

describe('includeOptimizer', () => {
  const x = () => tf.randomUniform([16, 4], -1, 1, 'float32', 5);
  const y = () => tf.tensor1d([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0, 2]);
  const fitOpts = { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 as const };

  for (const [title, makeOpt] of optimizerCases) {
    it(`${title}: 2 epochs = 1 epoch, save, load, 1 more epoch`, async () => {
      const xs = x();
      const ys = y();
      const a = net();
      a.compile({ optimizer: makeOpt(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      await a.fit(xs, ys, { ...fitOpts, epochs: 2 });

      const b = net();
      b.compile({ optimizer: makeOpt(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      await b.fit(xs, ys, fitOpts);
      const mem = memory();
      await st.saveModel(b, mem.save, { includeOptimizer: true });
      const c = await st.loadModel(mem.load());
      expect(c.optimizer?.className).toBe(b.optimizer!.className);
      expect(c.optimizer!.iterations).toBe(4);
      await c.fit(xs, ys, fitOpts);

      const wa = a.getWeights();
      const wc = c.getWeights();
      expect(c.weights.map((w) => w.name)).toEqual(a.weights.map((w) => w.name));
      wa.forEach((t, i) => expect(Array.from(wc[i]!.dataSync())).toEqual(Array.from(t.dataSync())));
      tf.dispose([...wa, ...wc, xs, ys]);
      for (const m of [a, b, c]) m.dispose();
    });
  }

  it('writes a Keras-style training config and names slots by their weight', async () => {
    const m = net();
    m.compile({ optimizer: st.optimizers.adam({ learningRate: 0.002 }), loss: 'categoricalCrossentropy', metrics: ['accuracy', 'mse'] });
    const xs = x();
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0, 2], 'int32'), 3);
    await m.fit(xs, ys, fitOpts);
    const mem = memory();
    await noLeak(() => st.saveModel(m, mem.save, { includeOptimizer: true }));
    const art = mem.artifacts();
    const tc = art.trainingConfig as unknown as Record<string, any>;
    expect(tc.loss).toBe('categorical_crossentropy');
    expect(tc.metrics).toEqual(['accuracy', 'mse']);
    expect(tc.loss_weights).toBeNull();
    expect(tc.optimizer_config.class_name).toBe('Adam');
    expect(tc.optimizer_config.config).toMatchObject({ learning_rate: 0.002, beta1: 0.9, beta2: 0.999, amsgrad: false });
    const opt = art.weightSpecs!.filter((s) => s.group === 'optimizer').map((s) => s.name);
    expect(opt).toEqual(expect.arrayContaining(['iterations', 'dense/kernel/momentum', 'dense/kernel/velocity', 'dense_1/bias/velocity']));
    // Only trainable weights have slots; BatchNorm's moving statistics have none.
    expect(opt.some((n) => n.includes('moving'))).toBe(false);
    const again = await st.loadModel(mem.load());
    const logs = await again.evaluate(xs, ys, { batchSize: 16 });
    expect(Object.keys(logs).sort()).toEqual(['accuracy', 'loss', 'mse']);
    tf.dispose([xs, ys]);
    m.dispose();
    again.dispose();
  });

  it('a loss with a non-default config is saved as { class_name, config }', async () => {
    const m = net();
    m.compile({ optimizer: 'sgd', loss: st.losses.sparseCategoricalCrossentropy({ fromLogits: true }) });
    const mem = memory();
    await st.saveModel(m, mem.save, { includeOptimizer: true });
    const tc = mem.artifacts().trainingConfig as unknown as Record<string, any>;
    expect(tc.loss).toEqual({ class_name: 'SparseCategoricalCrossentropy', config: { from_logits: true, ignore_class: null } });
    const again = await st.loadModel(mem.load());
    expect(again.losses![0]!.getConfig()).toEqual({ fromLogits: true, ignoreClass: null });
    m.dispose();
    again.dispose();
  });

  it('without includeOptimizer, or with compile: false, the loaded model is not compiled', async () => {
    const m = net();
    m.compile({ optimizer: 'adam', loss: 'mse' });
    const plain = memory();
    await st.saveModel(m, plain.save);
    expect(plain.artifacts().trainingConfig).toBeUndefined();
    expect(plain.artifacts().weightSpecs!.some((s) => s.group === 'optimizer')).toBe(false);
    const a = await st.loadModel(plain.load());
    expect(a.optimizer).toBeUndefined();
    const full = memory();
    await st.saveModel(m, full.save, { includeOptimizer: true });
    const b = await noLeak(async () => {
      const loaded = await st.loadModel(full.load(), { compile: false });
      expect(loaded.optimizer).toBeUndefined();
      loaded.dispose();
      return loaded;
    });
    expect(b.optimizer).toBeUndefined();
    for (const n of [m, a]) n.dispose();
  });

  it('includeOptimizer on a model that is not compiled is a StateError', async () => {
    const m = net();
    await expect(st.saveModel(m, memory().save, { includeOptimizer: true })).rejects.toThrow(st.StateError);
    await expect(st.saveModel(m, memory().save, { includeOptimizer: true })).rejects.toThrow(/compile\(\) first/);
    m.dispose();
  });
});
