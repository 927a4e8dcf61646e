/**
 * Interop with @tensorflow/tfjs-layers (a devDependency, used here only): models saved by
 * tfjs-layers load in strata with the same predictions, and strata models load in
 * tfjs-layers, for every layer type the two share. Not shared: tfjs-layers has no Subtract
 * layer and only supports ELU with alpha 1; its bilinear UpSampling2D samples without half-pixel
 * centers, unlike Keras and strata.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelDiff, memory } from './helpers.js';
import * as st from './st.js';

const { tf } = st;
const L = st.layers;
const TOL = 1e-5;

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** Gives every weight of a tfjs-layers model random values (variances positive), reproducibly. */
function randomize(m: tfl.LayersModel): void {
  let seed = 100;
  for (const w of m.weights) {
    const v = /variance/.test(w.originalName)
      ? tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', seed++)
      : tf.randomUniform(w.shape as number[], -0.5, 0.5, 'float32', seed++);
    w.write(v as never);
    v.dispose();
  }
}

async function tfjsArtifacts(m: tfl.LayersModel): Promise<st.tf.io.ModelArtifacts> {
  let saved: st.tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }) as never);
  return saved!;
}

/** tfjs-layers → strata: the same predictions within TOL (relative). */
async function fromTfjs(m: tfl.LayersModel, xs: st.tf.Tensor[]): Promise<void> {
  randomize(m);
  const loaded = await st.loadModel(tf.io.fromMemory(await tfjsArtifacts(m)));
  const names = (ls: { name: string }[], cls: (l: never) => string) => ls.filter((l) => cls(l as never) !== 'InputLayer').map((l) => l.name);
  expect(names(loaded.layers, (l: st.Layer) => l.className)).toEqual(names(m.layers, (l: tfl.layers.Layer) => l.getClassName()));
  const want = m.predict(xs.length === 1 ? xs[0]! : xs) as st.tf.Tensor;
  const got = loaded.predict(xs.length === 1 ? xs[0]! : xs) as st.tf.Tensor;
  expect(got.shape).toEqual(want.shape);
  expect(maxRelDiff(got, want)).toBeLessThanOrEqual(TOL);
  tf.dispose([want, got]);
  loaded.dispose();
  m.dispose();
}

/** strata → tfjs-layers: tfjs-layers loads the file and predicts the same. */
async function toTfjs(m: st.Sequential | st.Model, xs: st.tf.Tensor[]): Promise<void> {
  let seed = 200;
  for (const w of m.weights) {
    const v = /variance/.test(w.name) ? tf.randomUniform(w.shape, 0.5, 1.5, 'float32', seed++) : tf.randomUniform(w.shape, -0.5, 0.5, 'float32', seed++);
    w.write(v);
    v.dispose();
  }
  const mem = memory();
  await st.saveModel(m, mem.save);
  const theirs = await tfl.loadLayersModel(tf.io.fromMemory(mem.artifacts()) as never);
  const want = m.predict(xs.length === 1 ? xs[0]! : xs) as st.tf.Tensor;
  const got = theirs.predict(xs.length === 1 ? xs[0]! : xs) as st.tf.Tensor;
  expect(got.shape).toEqual(want.shape);
  expect(maxRelDiff(got, want)).toBeLessThanOrEqual(TOL);
  tf.dispose([want, got]);
  theirs.dispose();
  m.dispose();
}

const x2 = () => [tf.randomUniform([3, 6], -2, 2, 'float32', 1)];
const x4 = () => [tf.randomUniform([2, 9, 9, 3], -1, 1, 'float32', 2)];
const pair = () => [tf.randomUniform([3, 5], -1, 1, 'float32', 3), tf.randomUniform([3, 5], -1, 1, 'float32', 4)];
const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'softplus', 'softsign', 'swish', 'gelu'] as const;

describe('tfjs-layers → strata', () => {
  it('Dense with every shared activation, Dropout, activation layers', async () => {
    const layers: tfl.layers.Layer[] = [tfl.layers.dense({ units: 7, activation: 'relu', inputShape: [6] }), tfl.layers.dropout({ rate: 0.3 })];
    for (const a of ACTIVATIONS) layers.push(tfl.layers.dense({ units: 5, activation: a }));
    layers.push(
      tfl.layers.activation({ activation: 'tanh' }), tfl.layers.reLU({ maxValue: 6 }), tfl.layers.leakyReLU({ alpha: 0.2 }),
      tfl.layers.elu(), tfl.layers.prelu({}), tfl.layers.softmax({}),
    );
    await fromTfjs(tfl.sequential({ layers }), x2());
  });

  it('convolutions, pooling, padding, upsampling, BatchNormalization, Flatten, Reshape', async () => {
    const m = tfl.sequential({ layers: [
      tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [9, 9, 3] }),
      tfl.layers.batchNormalization({ epsilon: 0.01 }),
      tfl.layers.conv2d({ filters: 4, kernelSize: 2, dilationRate: 2 }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
      tfl.layers.zeroPadding2d({ padding: [[1, 0], [0, 2]] }),
      tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2 }),
      tfl.layers.separableConv2d({ filters: 5, kernelSize: 2, padding: 'same' }),
      tfl.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
      tfl.layers.upSampling2d({ size: [2, 1] }),
      tfl.layers.averagePooling2d({ poolSize: 3 }),
      tfl.layers.batchNormalization({ center: false }),
      tfl.layers.flatten(),
      tfl.layers.reshape({ targetShape: [8, 3] }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 2, activation: 'softmax' }),
    ] });
    await fromTfjs(m, x4());
  });

  it('global pooling', async () => {
    const a = tfl.input({ shape: [9, 9, 3] });
    const h = tfl.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(a) as tfl.SymbolicTensor;
    const avg = tfl.layers.globalAveragePooling2d({}).apply(h) as tfl.SymbolicTensor;
    const max = tfl.layers.globalMaxPooling2d({}).apply(h) as tfl.SymbolicTensor;
    const out = tfl.layers.concatenate().apply([avg, max]) as tfl.SymbolicTensor;
    await fromTfjs(tfl.model({ inputs: a, outputs: out }), x4());
  });

  it('a functional model with every merge layer and a shared layer', async () => {
    const a = tfl.input({ shape: [5] });
    const b = tfl.input({ shape: [5] });
    const shared = tfl.layers.dense({ units: 4, activation: 'tanh' });
    const ha = shared.apply(a) as tfl.SymbolicTensor;
    const hb = shared.apply(b) as tfl.SymbolicTensor;
    const merges = [
      tfl.layers.add(), tfl.layers.multiply(), tfl.layers.average(), tfl.layers.maximum(), tfl.layers.minimum(),
    ].map((l) => l.apply([ha, hb]) as tfl.SymbolicTensor);
    const out = tfl.layers.dense({ units: 3 }).apply(tfl.layers.concatenate({ axis: -1 }).apply(merges)) as tfl.SymbolicTensor;
    await fromTfjs(tfl.model({ inputs: [a, b], outputs: out }), pair());
  });
});

describe('strata → tfjs-layers', () => {
  it('Dense with every shared activation, Dropout, activation layers', async () => {
    const items: st.Layer[] = [L.dense({ units: 7, activation: 'relu', inputShape: [6] }), L.dropout({ rate: 0.3 })];
    for (const a of ACTIVATIONS) items.push(L.dense({ units: 5, activation: a }));
    items.push(L.activation({ activation: 'tanh' }), L.reLU({ maxValue: 6 }), L.leakyReLU({ alpha: 0.2 }), L.elu(), L.prelu(), L.softmax());
    await toTfjs(st.sequential(items), x2());
  });

  it('convolutions, pooling, padding, upsampling, BatchNormalization, Flatten, Reshape', async () => {
    const m = st.sequential([
      L.input({ shape: [9, 9, 3] }),
      L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.batchNormalization({ epsilon: 0.01 }),
      L.conv2d({ filters: 4, kernelSize: 2, dilationRate: 2 }),
      L.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
      L.zeroPadding2d({ padding: [[1, 0], [0, 2]] }),
      L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2 }),
      L.separableConv2d({ filters: 5, kernelSize: 2, padding: 'same' }),
      L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
      L.upSampling2d({ size: [2, 1] }),
      L.averagePooling2d({ poolSize: 3 }),
      L.batchNormalization({ center: false }),
      L.flatten(),
      L.reshape({ targetShape: [8, 3] }),
      L.flatten(),
      L.dense({ units: 2, activation: 'softmax' }),
    ]);
    await toTfjs(m, x4());
  });

  it('a functional model with global pooling, every merge layer and a shared layer', async () => {
    const img = L.input({ shape: [9, 9, 3] });
    const c = L.conv2d({ filters: 5, kernelSize: 1 }).apply(img);
    const ha = L.globalAveragePooling2d().apply(c);
    const hb = L.globalMaxPooling2d().apply(c);
    const shared = L.dense({ units: 4, activation: 'tanh' });
    const sa = shared.apply(ha);
    const sb = shared.apply(hb);
    const merges = [L.add(), L.multiply(), L.average(), L.maximum(), L.minimum()]
      .map((l) => l.apply([sa, sb]) as st.SymbolicTensor);
    const out = L.dense({ units: 3 }).apply(L.concatenate().apply(merges) as st.SymbolicTensor);
    await toTfjs(st.model({ inputs: img, outputs: out }), x4());
  });

  it("a compiled model's training config and Adam state load into tfjs-layers' optimizer", async () => {
    const m = st.sequential([L.input({ shape: [4] }), L.dense({ units: 3, activation: 'relu' }), L.dense({ units: 2 })]);
    m.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    const x = tf.randomUniform([8, 4], -1, 1, 'float32', 5);
    const y = tf.randomUniform([8, 2], -1, 1, 'float32', 6);
    await m.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    const mem = memory();
    await st.saveModel(m, mem.save, { includeOptimizer: true });
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(mem.artifacts()) as never);
    const state = await theirs.optimizer.getWeights();
    // tfjs-core's Adam: the step count, then every first moment, then every second moment.
    expect(state.map((s) => s.tensor.shape)).toEqual([[], [4, 3], [3], [3, 2], [2], [4, 3], [3], [3, 2], [2]]);
    expect(state[0]!.tensor.dataSync()[0]).toBe(4);
    const ours = m.optimizer!.getWeights();
    const value = (v: st.tf.Variable, slot: string) => ours.find((e) => e.variable === v && e.slot === slot)!.value;
    m.weights.forEach((w, i) => {
      expect(Array.from(state[1 + i]!.tensor.dataSync())).toEqual(Array.from(value(w.variable, 'momentum').dataSync()));
      expect(Array.from(state[5 + i]!.tensor.dataSync())).toEqual(Array.from(value(w.variable, 'velocity').dataSync()));
    });
    tf.dispose([x, y, ...ours.map((e) => e.value)]);
    theirs.dispose();
    m.dispose();
  });
});
