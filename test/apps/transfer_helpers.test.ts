import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { addHead, featureExtractor, fineTune } from '../../src/apps/transfer/index.js';
import { changed, cnn, compileAdam, images, snapshot, summaryCounts } from './transfer_fixtures.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

describe('featureExtractor', () => {
  it('cuts a functional model at a layer, sharing its weights', () => {
    const net = cnn();
    const features = featureExtractor(net, 'd1');
    expect(features.outputShapes).toEqual([[null, 8]]);
    expect(features.layers.map((l) => l.name)).toEqual(net.layers.slice(0, -1).map((l) => l.name));
    for (const [i, w] of features.weights.entries()) expect(w.variable).toBe(net.weights[i]!.variable);
    const x = tf.randomNormal([5, 8, 8, 1], 0, 1, 'float32', 9);
    const got = features.predict(x) as st.tf.Tensor;
    const want = tf.tidy(() => {
      let h: st.tf.Tensor = x;
      for (const l of net.layers.slice(1, -1)) h = l.apply(h) as st.tf.Tensor;
      return h;
    });
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    net.freeze('c1');
    expect(features.getLayer('c1').trainable).toBe(false);
    tf.dispose([x, got, want]);
    net.dispose();
  });

  it('cuts a Sequential model too, by name or index', () => {
    const seq = st.sequential([
      st.layers.input({ shape: [6, 6, 2] }),
      st.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }),
      st.layers.maxPooling2d({ poolSize: 2 }),
      st.layers.flatten(),
      st.layers.dense({ units: 2 }),
    ]);
    const byName = featureExtractor(seq, 'max_pooling2d');
    const byIndex = featureExtractor(seq, 0);
    expect(byName.outputShapes).toEqual([[null, 2, 2, 3]]);
    expect(byIndex.outputShapes).toEqual([[null, 4, 4, 3]]);
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 4);
    const got = byIndex.predict(x) as st.tf.Tensor;
    const want = seq.getLayer(0).apply(x) as st.tf.Tensor;
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    tf.dispose([x, got, want]);
    seq.dispose();
  });

  it('bad cuts name the function, the layer and the problem', () => {
    const net = cnn();
    expect(() => featureExtractor(net, 'nope')).toThrow(/no layer named 'nope'/);
    const inp = st.layers.input({ shape: [3] });
    const shared = st.layers.dense({ units: 3, name: 'shared' });
    const twice = st.model({ inputs: inp, outputs: shared.apply(shared.apply(inp)) });
    expect(() => featureExtractor(twice, 'shared')).toThrow(st.ValueError);
    expect(() => featureExtractor(twice, 'shared')).toThrow(/featureExtractor: layer 'shared' is applied 2 times/);
    net.dispose();
    twice.dispose();
  });
});

describe('addHead', () => {
  it('pools an image base, adds hidden layers, dropout and the output; the base is frozen', async () => {
    const net = cnn();
    const base = featureExtractor(net, 'bn2');
    const model = addHead(base, { units: 5, hidden: [6], dropout: 0.25 });
    expect(model.layers.slice(base.layers.length).map((l) => `${l.name}:${l.className}`)).toEqual([
      'head_pool:GlobalAveragePooling2D', 'head_dropout:Dropout', 'head_dense:Dense', 'head_dropout_1:Dropout', 'head_output:Dense',
    ]);
    expect(model.outputShapes).toEqual([[null, 5]]);
    const headParams = 4 * 6 + 6 + 6 * 5 + 5;
    expect(summaryCounts(model)).toEqual({ total: 40 + 16 + 148 + 16 + headParams, trainable: headParams, nonTrainable: 40 + 16 + 148 + 16 });
    expect(base.trainable).toBe(false);

    const x = tf.randomNormal([20, 8, 8, 1], 0, 1, 'float32', 5);
    const y = tf.tensor1d(Array.from({ length: 20 }, (_, i) => i % 5), 'int32');
    compileAdam(model);
    const before = snapshot(model);
    await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
    expect(changed(before, snapshot(model)).sort()).toEqual(['head_dense/bias', 'head_dense/kernel', 'head_output/bias', 'head_output/kernel']);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('defaults: no pooling for a vector base; flatten for other ranks; names avoid the base\'s', () => {
    const inp = st.layers.input({ shape: [4] });
    const vec = st.model({ inputs: inp, outputs: st.layers.dense({ units: 3, name: 'head_output' }).apply(inp) });
    const m = addHead(vec, { units: 2, activation: 'sigmoid', freezeBase: false });
    expect(m.layers.map((l) => l.name)).toEqual(['input', 'head_output', 'head_output_1']);
    expect(vec.trainable).toBe(true);
    const seq = st.sequential([st.layers.input({ shape: [3, 2] }), st.layers.dense({ units: 4 })]);
    expect(addHead(seq, { units: 2 }).layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Flatten', 'Dense']);
    expect(() => addHead(vec, { units: 0 })).toThrow(/addHead: 'units' must be a positive integer; got 0/);
    expect(() => addHead(vec, { units: 2, pooling: 'avg' })).toThrow(/pooling 'avg' needs a rank-4 image output/);
    expect(() => addHead(vec, { units: 2, dropout: 1 })).toThrow(/'dropout' must be a number in \[0, 1\)/);
    vec.dispose();
    seq.dispose();
  });
});

describe('fineTune', () => {
  it('trains the head on a frozen base, then the unfrozen top at a lower rate; BatchNorm stays frozen', async () => {
    const net = cnn();
    const base = featureExtractor(net, 'd1');
    const model = addHead(base, { units: 3, freezeBase: false });
    const { x, y } = images(24);
    const start = snapshot(model);
    let afterHead = start;
    const result = await fineTune(model, x, y, {
      base, loss: 'sparseCategoricalCrossentropy', headEpochs: 2, fineTuneEpochs: 1, batchSize: 8,
      unfreeze: { from: 'bn2' }, learningRate: 0.02, verbose: 0, validationData: [x, y],
      callbacks: [{ onEpochEnd: (epoch) => { if (epoch === 1) afterHead = snapshot(model); } }],
    });
    expect(result.head.epoch).toEqual([0, 1]);
    expect(result.fineTune!.epoch).toEqual([2]);
    expect(result.fineTune!.history.val_accuracy).toHaveLength(1);
    expect(changed(start, afterHead).sort()).toEqual(['head_output/bias', 'head_output/kernel']);
    expect(changed(afterHead, snapshot(model)).sort()).toEqual(['d1/bias', 'd1/kernel', 'head_output/bias', 'head_output/kernel']);
    expect(model.optimizer!.learningRate as number).toBeCloseTo(0.002, 10);
    expect(model.layers.filter((l) => l.trainable && l.countParams() > 0).map((l) => l.name)).toEqual(['d1', 'head_output']);
    tf.dispose([x, y]);
    net.dispose();
    model.dispose();
  });

  it('leaves no tensors behind beyond the model\'s optimizer and metric state', async () => {
    const net = cnn();
    const base = featureExtractor(net, 'bn2');
    const model = addHead(base, { units: 3 });
    const { x, y } = images(16);
    const opts = { base, loss: 'sparseCategoricalCrossentropy', headEpochs: 1, fineTuneEpochs: 1, verbose: 0 as const };
    await fineTune(model, x, y, opts);
    const settled = tf.memory().numTensors;
    await fineTune(model, x, y, opts);
    expect(tf.memory().numTensors).toBe(settled);
    const none = await fineTune(model, x, y, { ...opts, fineTuneEpochs: 0 });
    expect(none.fineTune).toBeUndefined();
    await expect(fineTune(model, x, y, { ...opts, headEpochs: 0 })).rejects.toThrow(/'headEpochs' must be an integer >= 1; got 0/);
    const stranger = cnn();
    await expect(fineTune(model, x, y, { ...opts, base: stranger })).rejects.toThrow(/no weighted layer of Functional 'model'/);
    tf.dispose([x, y]);
    stranger.dispose();
    net.dispose();
    model.dispose();
  });
});
