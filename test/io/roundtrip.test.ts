/**
 * Save → load round trips in the tfjs-layers format, through memory: the same predictions,
 * configs, names and trainable flags, a Keras-style topology, and no leaked tensors.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memory, noLeak } from './helpers.js';
import * as st from './st.js';

const { tf } = st;
const L = st.layers;
const seeded = (seed: number) => st.initializers.glorotUniform({ seed });

beforeAll(async () => {
  await st.setBackend('cpu');
});

const live: { dispose(): void }[] = [];
afterEach(() => {
  for (const m of live.splice(0)) m.dispose();
});

function input(shape: number[], seed = 3): st.tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/** Saves, loads, checks predictions are identical and configs equal; returns both models. */
async function roundTrip(m: st.Sequential | st.Model, xs: st.tf.Tensor | st.tf.Tensor[]) {
  const mem = memory();
  await st.saveModel(m, mem.save);
  const again = await st.loadModel(mem.load());
  live.push(m, again);
  expect(again.className).toBe(m.className);
  expect(again.name).toBe(m.name);
  expect(again.layers.map((l) => [l.className, l.name, l.trainable])).toEqual(m.layers.map((l) => [l.className, l.name, l.trainable]));
  // The format carries a Sequential model's input shape on its first layer.
  const configs = (n: st.Sequential | st.Model) =>
    JSON.parse(JSON.stringify(n.layers.map((l) => l.getConfig()), (k, v) => (k === 'batchInputShape' ? undefined : v)));
  expect(configs(again)).toEqual(configs(m));
  const a = m.predict(xs);
  const b = again.predict(xs);
  const la = Array.isArray(a) ? a : [a];
  const lb = Array.isArray(b) ? b : [b];
  expect(lb.length).toBe(la.length);
  la.forEach((t, i) => expect(Array.from(lb[i]!.dataSync())).toEqual(Array.from(t.dataSync())));
  tf.dispose([...la, ...lb]);
  return { again, artifacts: mem.artifacts() };
}

describe('tfjs-layers format round trip', () => {
  it('Sequential MLP: topology in Keras form, weights by name', async () => {
    const m = st.sequential([
      L.input({ shape: [6] }),
      L.dense({ units: 8, activation: 'relu', kernelInitializer: seeded(1) }),
      L.dropout({ rate: 0.3 }),
      L.dense({ units: 3, activation: 'softmax', kernelInitializer: seeded(2), kernelRegularizer: st.regularizers.l2({ l2: 0.01 }) }),
    ]);
    const x = input([5, 6]);
    const { artifacts } = await roundTrip(m, x);
    x.dispose();
    const topo = artifacts.modelTopology as Record<string, any>;
    expect(topo.class_name).toBe('Sequential');
    expect(topo.config.name).toBe('sequential');
    const first = topo.config.layers[0];
    expect(first.class_name).toBe('Dense');
    expect(first.config.batch_input_shape).toEqual([null, 6]);
    expect(first.config.use_bias).toBe(true);
    expect(first.config.kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: 1 } });
    expect(topo.config.layers[2].config.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.01 } });
    expect(artifacts.format).toBe('layers-model');
    expect(artifacts.weightSpecs!.map((s) => [s.name, s.shape, s.dtype])).toEqual([
      ['dense/kernel', [6, 8], 'float32'], ['dense/bias', [8], 'float32'],
      ['dense_1/kernel', [8, 3], 'float32'], ['dense_1/bias', [3], 'float32'],
    ]);
  });

  it('Sequential CNN with every image layer, channels_last spelled the Keras way', async () => {
    const m = st.sequential([
      L.input({ shape: [8, 8, 2] }),
      L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: seeded(3) }),
      L.batchNormalization({ momentum: 0.9 }),
      L.maxPooling2d({ poolSize: 2 }),
      L.zeroPadding2d({ padding: [[0, 1], [1, 0]] }),
      L.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, depthwiseInitializer: seeded(4) }),
      L.separableConv2d({ filters: 3, kernelSize: 1, depthwiseInitializer: seeded(5), pointwiseInitializer: seeded(6) }),
      L.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, kernelInitializer: seeded(7) }),
      L.upSampling2d({ size: 2 }),
      L.averagePooling2d({ poolSize: 2 }),
      L.reLU({ maxValue: 6 }),
      L.globalMaxPooling2d({ keepdims: true }),
      L.flatten(),
      L.reshape({ targetShape: [2, 1] }),
      L.flatten(),
      L.dense({ units: 2, kernelInitializer: seeded(8) }),
      L.leakyReLU({ alpha: 0.2 }),
      L.elu({ alpha: 0.5 }),
      L.prelu({ alphaInitializer: st.initializers.constant({ value: 0.1 }) }),
      L.softmax(),
    ]);
    // Non-trivial BN statistics so the load has to restore them.
    m.getLayer(1).weights.forEach((w, i) => w.write(tf.fill(w.shape, 0.5 + i * 0.25)));
    m.getLayer(3).trainable = false;
    const x = input([2, 8, 8, 2]);
    const { artifacts } = await roundTrip(m, x);
    x.dispose();
    const conv = (artifacts.modelTopology as any).config.layers[0].config;
    expect(conv.data_format).toBe('channels_last');
    expect(conv.kernel_size).toEqual([3, 3]);
    expect(conv.dilation_rate).toEqual([1, 1]);
    const names = artifacts.weightSpecs!.map((s) => s.name);
    expect(names).toContain('batch_normalization/moving_variance');
    expect(names).toContain('depthwise_conv2d/depthwise_kernel');
    expect(names).toContain('separable_conv2d/pointwise_kernel');
  });

  it('functional model: two inputs, a shared layer, merges, two outputs', async () => {
    const a = L.input({ shape: [4], name: 'a' });
    const b = L.input({ shape: [4], name: 'b' });
    const shared = L.dense({ units: 5, activation: 'tanh', kernelInitializer: seeded(9), name: 'shared' });
    const ha = shared.apply(a);
    const hb = shared.apply(b);
    const sum = L.add().apply([ha, hb]) as st.SymbolicTensor;
    const cat = L.concatenate().apply([ha, hb, sum]) as st.SymbolicTensor;
    const out1 = L.dense({ units: 2, kernelInitializer: seeded(10), name: 'out1' }).apply(cat);
    const out2 = L.dense({ units: 1, activation: 'sigmoid', kernelInitializer: seeded(11), name: 'out2' }).apply(L.multiply().apply([ha, hb]) as st.SymbolicTensor);
    const m = st.model({ inputs: [a, b], outputs: [out1, out2], name: 'two_heads' });
    const xa = input([3, 4], 1);
    const xb = input([3, 4], 2);
    const { artifacts } = await roundTrip(m, [xa, xb]);
    tf.dispose([xa, xb]);
    const cfg = (artifacts.modelTopology as any).config;
    expect((artifacts.modelTopology as any).class_name).toBe('Functional');
    expect(cfg.input_layers).toEqual([['a', 0, 0], ['b', 0, 0]]);
    expect(cfg.output_layers).toEqual([['out1', 0, 0], ['out2', 0, 0]]);
    const sharedEntry = cfg.layers.find((l: any) => l.name === 'shared');
    expect(sharedEntry.inbound_nodes).toEqual([[['a', 0, 0, {}]], [['b', 0, 0, {}]]]);
    const addEntry = cfg.layers.find((l: any) => l.class_name === 'Add');
    expect(addEntry.inbound_nodes).toEqual([[['shared', 0, 0, {}], ['shared', 1, 0, {}]]]);
    const inputEntry = cfg.layers.find((l: any) => l.name === 'a');
    expect(inputEntry).toMatchObject({ class_name: 'InputLayer', config: { batch_input_shape: [null, 4], name: 'a' }, inbound_nodes: [] });
  });

  it('a Sequential model nested in a functional one', async () => {
    const inner = st.sequential([
      L.input({ shape: [3] }),
      L.dense({ units: 4, activation: 'relu', kernelInitializer: seeded(12), name: 'inner_dense' }),
    ], { name: 'inner' });
    const x = L.input({ shape: [3] });
    const out = L.dense({ units: 2, kernelInitializer: seeded(13), name: 'head' }).apply(inner.apply(x));
    const m = st.model({ inputs: x, outputs: out });
    const data = input([2, 3]);
    const { again } = await roundTrip(m, data);
    data.dispose();
    expect(again.layers[1]!.className).toBe('Sequential');
    expect(again.weights.map((w) => w.name)).toEqual(['inner_dense/kernel', 'inner_dense/bias', 'head/kernel', 'head/bias']);
  });

  it('residual and inception blocks', async () => {
    const m = st.sequential([
      L.input({ shape: [6, 6, 3] }),
      L.residualBlock({ filters: 4, strides: 2 }),
      L.inceptionBlock({ filters1x1: 2, filters3x3Reduce: 2, filters3x3: 3, filters5x5Reduce: 1, filters5x5: 2, filtersPoolProj: 1 }),
      L.globalAveragePooling2d(),
    ]);
    const x = input([2, 6, 6, 3]);
    await roundTrip(m, x);
    x.dispose();
  });

  it('a Sequential model whose input shape came from its first layer', async () => {
    const m = st.sequential([L.dense({ units: 3, inputShape: [2], kernelInitializer: seeded(14) }), L.activation({ activation: 'gelu' })]);
    const x = input([4, 2]);
    await roundTrip(m, x);
    x.dispose();
  });

  it('save and load leave no tensors behind', async () => {
    const m = st.sequential([L.input({ shape: [3] }), L.dense({ units: 2 })]);
    const mem = memory();
    await noLeak(() => st.saveModel(m, mem.save));
    await noLeak(async () => {
      const again = await st.loadModel(mem.load());
      again.dispose();
    });
    m.dispose();
  });

  it('an unbuilt model cannot be saved', async () => {
    const m = st.sequential([L.dense({ units: 2 })]);
    await expect(st.saveModel(m, memory().save)).rejects.toThrow(st.StateError);
    await expect(st.saveModel(m, memory().save)).rejects.toThrow(/not built/);
  });

  it('an unknown URL scheme names the supported ones', async () => {
    const m = st.sequential([L.input({ shape: [3] }), L.dense({ units: 2 })]);
    live.push(m);
    await expect(st.saveModel(m, 'ftp://host/model')).rejects.toThrow(/no save handler for URL 'ftp:\/\/host\/model'; supported: indexeddb/);
    await expect(st.loadModel('ftp://host/model.json')).rejects.toThrow(st.ValueError);
  });
});
