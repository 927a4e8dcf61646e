import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { BUILTIN_LAYERS } from '../../src/io/registry.js';
import { nearestKey } from '../../src/engine/option_keys.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const any = (o: object) => o as never;

function net() {
  const m = st.sequential([st.layers.dense({ units: 2, inputShape: [3] })]);
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

describe('typos in options are ValueErrors that name the key and suggest the known one', () => {
  it('nearestKey maps snake_case and near misses', () => {
    expect(nearestKey('batch_size', ['batchSize', 'epochs'])).toBe('batchSize');
    expect(nearestKey('epoch', ['batchSize', 'epochs'])).toBe('epochs');
    expect(nearestKey('activaton', ['activation', 'units'])).toBe('activation');
    expect(nearestKey('zzzzzzzz', ['activation', 'units'])).toBeUndefined();
  });

  it('layers: caught when the layer joins a model, is built or applied', () => {
    expect(() => st.sequential([st.layers.dense(any({ units: 2, inputShape: [3], activaton: 'relu' }))]))
      .toThrow(/Dense 'dense': unknown option 'activaton'; did you mean 'activation'\?/);
    expect(() => st.layers.conv2d(any({ filters: 2, kernelSize: 3, stride: 2 })).apply(st.layers.input({ shape: [8, 8, 1] })))
      .toThrow(/unknown option 'stride'; did you mean 'strides'\?/);
    const x = tf.ones([2, 4]);
    expect(() => st.layers.dropout(any({ rate: 0.5, noise_shape: [1] })).apply(x)).toThrow(st.ValueError);
    x.dispose();
    // Valid options, including shorthands, pass.
    const ok = st.sequential([st.layers.dense({ units: 2, inputDim: 3, useBias: false, name: 'd' })]);
    ok.dispose();
  });

  it('every built-in layer made from its own config passes the check (no false positives)', () => {
    for (const [className, ctor] of Object.entries(BUILTIN_LAYERS)) {
      const sample = sampleLayer(className);
      if (!sample) continue;
      const again = new (ctor as unknown as new (o: object) => st.Layer)(sample.getConfig());
      expect(() => again.checkOptions(), className).not.toThrow();
    }
  });

  it('compile, fit, evaluate, predict, trainOnBatch', async () => {
    const m = net();
    const [x, y] = [tf.ones([4, 3]), tf.zeros([4, 2])];
    expect(() => m.compile(any({ optimizer: 'sgd', loss: 'mse', metric: ['mae'] }))).toThrow(/compile: unknown option 'metric'; did you mean 'metrics'\?/);
    await expect(m.fit(x, y, any({ batch_size: 2, verbose: 0 }))).rejects.toThrow(/fit: unknown option 'batch_size'; did you mean 'batchSize'\?/);
    await expect(m.evaluate(x, y, any({ batchsize: 2 }))).rejects.toThrow(/evaluate: unknown option 'batchsize'; did you mean 'batchSize'\?/);
    expect(() => m.predict(x, any({ batch_size: 2 }))).toThrow(/predict: unknown option 'batch_size'; did you mean 'batchSize'\?/);
    await expect(m.trainOnBatch(x, y, any({ sample_weight: x }))).rejects.toThrow(/did you mean 'sampleWeight'/);
    await expect(m.fitDataset([], any({ steps_per_epoch: 2 }))).rejects.toThrow(/did you mean 'stepsPerEpoch'/);
    // undefined values are let through (spread optional settings)
    await m.fit(x, y, { verbose: 0, batchSize: undefined });
    tf.dispose([x, y]);
    m.dispose();
  });

  it('optimizers and callbacks', () => {
    expect(() => st.optimizers.adam(any({ learning_rate: 0.1 }))).toThrow(/did you mean 'learningRate'/);
    expect(() => st.optimizers.adam(any({ learning_rate: 0.1 }))).toThrow(st.ValueError);
    expect(() => st.callbacks.earlyStopping(any({ patiense: 2 }))).toThrow(/earlyStopping: unknown option 'patiense'; did you mean 'patience'\?/);
    expect(() => st.callbacks.reduceLROnPlateau(any({ min_lr: 0.1 }))).toThrow(/did you mean 'minLr'/);
    expect(() => st.callbacks.learningRateScheduler((e, lr) => lr, any({ verbos: 1 }))).toThrow(/did you mean 'verbose'/);
    expect(() => st.callbacks.csvLogger('x.csv', any({ seperator: ';' }))).toThrow(/did you mean 'separator'/);
  });

  it('loadModel and loadKerasModel', async () => {
    await expect(st.loadModel('file:///nonexistent/model.json', any({ custom_layers: [] }))).rejects.toThrow(/did you mean 'customLayers'/);
    await expect(st.loadKerasModel(new Uint8Array(4), any({ maxTotalByte: 1 }))).rejects.toThrow(/did you mean 'maxTotalBytes'/);
  });

  it('huge keys are cut in the message', () => {
    const key = 'k'.repeat(100_000);
    let msg = '';
    try {
      st.optimizers.sgd(any({ [key]: 1 }));
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/unknown option/);
    expect(msg.length).toBeLessThan(500);
  });
});

/** A small built instance of a registered layer class, or undefined for ones needing arguments we cannot guess. */
function sampleLayer(className: string): st.Layer | undefined {
  const L = st.layers as unknown as Record<string, (o?: object) => st.Layer>;
  const make: Record<string, () => st.Layer> = {
    Dense: () => L.dense!({ units: 2, activation: 'relu' }),
    Conv2D: () => L.conv2d!({ filters: 2, kernelSize: 3, padding: 'same' }),
    Dropout: () => L.dropout!({ rate: 0.3 }),
    Flatten: () => L.flatten!(),
    MaxPooling2D: () => L.maxPooling2d!({ poolSize: 2 }),
    BatchNormalization: () => L.batchNormalization!({ momentum: 0.9 }),
    Activation: () => L.activation!({ activation: 'relu' }),
  };
  return make[className]?.();
}
