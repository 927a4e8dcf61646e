import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { addHead, featureExtractor, fineTune } from '../../src/apps/transfer/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** Raw bytes of every weight, by full name. */
function snapshot(net: st.Network): Map<string, Uint8Array> {
  return new Map(net.weights.map((w) => [w.name, new Uint8Array(w.read().dataSync().slice().buffer)]));
}

/** Names of the weights whose bytes differ between two snapshots. */
function changed(a: Map<string, Uint8Array>, b: Map<string, Uint8Array>): string[] {
  return [...a.keys()].filter((k) => !Buffer.from(a.get(k)!).equals(Buffer.from(b.get(k)!)));
}

/** Parses the trainable / non-trainable counts out of the printed summary. */
function summaryCounts(net: st.Network): { total: number; trainable: number; nonTrainable: number } {
  const lines: string[] = [];
  net.summary({ printFn: (l) => lines.push(l) });
  const read = (prefix: string) => Number(lines.find((l) => l.startsWith(prefix))!.slice(prefix.length).replace(/,/g, ''));
  return { total: read('Total params:'), trainable: read('Trainable params:'), nonTrainable: read('Non-trainable params:') };
}

const seeded = (seed: number) => st.initializers.glorotUniform({ seed });

/**
 * A small CNN on 8×8×1 images with BatchNorm: c1 (40 params), bn1 (8 + 8 statistics),
 * c2 (148), bn2 (8 + 8), flatten, d1 (256·8 + 8 = 2056), out (8·3 + 3 = 27).
 */
function cnn(): st.Model {
  const inp = st.layers.input({ shape: [8, 8, 1] });
  let h = st.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c1', kernelInitializer: seeded(1) }).apply(inp);
  h = st.layers.batchNormalization({ name: 'bn1', momentum: 0.5 }).apply(h);
  h = st.layers.reLU().apply(h);
  h = st.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c2', kernelInitializer: seeded(2) }).apply(h);
  h = st.layers.batchNormalization({ name: 'bn2', momentum: 0.5 }).apply(h);
  h = st.layers.flatten().apply(h);
  h = st.layers.dense({ units: 8, activation: 'relu', name: 'd1', kernelInitializer: seeded(3) }).apply(h);
  const out = st.layers.dense({ units: 3, activation: 'softmax', name: 'out', kernelInitializer: seeded(4) }).apply(h);
  return st.model({ inputs: inp, outputs: out });
}

/** Images with a per-channel offset (so BatchNorm statistics move) and 3 classes. */
function images(n: number, seed = 7): { x: st.tf.Tensor; y: st.tf.Tensor } {
  const x = tf.tidy(() => tf.add(tf.randomNormal([n, 8, 8, 1], 0, 1, 'float32', seed), 2));
  const y = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32');
  return { x, y };
}

function compileAdam(net: st.Model | st.Sequential, learningRate = 0.01): void {
  net.compile({ optimizer: st.optimizers.adam({ learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}

const CNN_TOTAL = 40 + 16 + 148 + 16 + 2056 + 27;

describe('freezing during fit', () => {
  it('frozen weights stay bit-identical; every trainable weight changes', async () => {
    const net = cnn();
    const { x, y } = images(32);
    net.freeze({ to: 'bn2' });
    compileAdam(net);
    const before = snapshot(net);
    await net.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const diff = changed(before, snapshot(net));
    expect(diff.sort()).toEqual(['d1/bias', 'd1/kernel', 'out/bias', 'out/kernel']);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('freezing between two fit calls takes effect without recompiling', async () => {
    const net = cnn();
    const { x, y } = images(24);
    compileAdam(net);
    const optimizer = net.optimizer;
    let before = snapshot(net);
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(changed(before, snapshot(net))).toContain('c1/kernel');

    net.getLayer('c1').trainable = false;
    net.freeze('d1');
    before = snapshot(net);
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const diff = changed(before, snapshot(net));
    expect(diff).not.toContain('c1/kernel');
    expect(diff).not.toContain('c1/bias');
    expect(diff).not.toContain('d1/kernel');
    expect(diff).toContain('c2/kernel');
    expect(diff).toContain('out/kernel');
    expect(net.optimizer).toBe(optimizer);

    net.unfreeze(['c1', 'd1']);
    before = snapshot(net);
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(changed(before, snapshot(net))).toEqual(expect.arrayContaining(['c1/kernel', 'd1/kernel']));
    tf.dispose([x, y]);
    net.dispose();
  });

  it('{ fraction: 0.1 } leaves exactly the last 10 % of the layers trainable', async () => {
    const layers = Array.from({ length: 29 }, (_, i) => st.layers.dense({ units: 4, activation: 'tanh', kernelInitializer: seeded(i + 10) }));
    const net = st.sequential([st.layers.input({ shape: [4] }), ...layers, st.layers.dense({ units: 2, activation: 'softmax' })]);
    net.freeze();
    net.unfreeze({ fraction: 0.1 });
    expect(net.layers.map((l) => l.trainable)).toEqual([...Array(27).fill(false), true, true, true]);
    expect(summaryCounts(net).trainable).toBe(20 + 20 + 10);

    const x = tf.randomNormal([16, 4], 0, 1, 'float32', 3);
    const y = tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32');
    compileAdam(net);
    const before = snapshot(net);
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const owners = new Set(changed(before, snapshot(net)).map((n) => n.split('/')[0]));
    expect([...owners].sort()).toEqual(net.layers.slice(-3).map((l) => l.name).sort());
    tf.dispose([x, y]);
    net.dispose();
  });
});

describe('summary counts', () => {
  it('trainable and non-trainable counts follow freezing; BatchNorm statistics never train', () => {
    const net = cnn();
    expect(summaryCounts(net)).toEqual({ total: CNN_TOTAL, trainable: CNN_TOTAL - 16, nonTrainable: 16 });
    net.freeze({ to: 'bn2' });
    expect(summaryCounts(net)).toEqual({ total: CNN_TOTAL, trainable: 2056 + 27, nonTrainable: CNN_TOTAL - 2056 - 27 });
    net.freeze();
    expect(summaryCounts(net)).toEqual({ total: CNN_TOTAL, trainable: 0, nonTrainable: CNN_TOTAL });
    net.unfreeze('bn1');
    expect(summaryCounts(net)).toEqual({ total: CNN_TOTAL, trainable: 8, nonTrainable: CNN_TOTAL - 8 });
    net.dispose();
  });
});

describe('frozen BatchNormalization', () => {
  it('keeps its moving statistics through fit, while a trainable one updates them', async () => {
    const net = cnn();
    const { x, y } = images(32);
    net.getLayer('bn1').trainable = false;
    compileAdam(net);
    const before = snapshot(net);
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const diff = changed(before, snapshot(net));
    expect(diff).not.toContain('bn1/moving_mean');
    expect(diff).not.toContain('bn1/moving_variance');
    expect(diff).not.toContain('bn1/gamma');
    expect(diff).toEqual(expect.arrayContaining(['bn2/moving_mean', 'bn2/moving_variance', 'bn2/gamma']));
    tf.dispose([x, y]);
    net.dispose();
  });

  it('runs in inference mode even when called with training: true', () => {
    const bn = st.layers.batchNormalization({
      movingMeanInitializer: st.initializers.constant({ value: 3 }),
      movingVarianceInitializer: st.initializers.constant({ value: 4 }),
    });
    const x = tf.randomNormal([16, 5], 0, 1, 'float32', 11);
    const infer = bn.apply(x, { training: false }) as st.tf.Tensor;
    bn.trainable = false;
    const frozen = bn.apply(x, { training: true }) as st.tf.Tensor;
    expect(Array.from(frozen.dataSync())).toEqual(Array.from(infer.dataSync()));
    // (x - 3) / sqrt(4 + 1e-3), by hand for one entry.
    expect(frozen.dataSync()[0]).toBeCloseTo((x.dataSync()[0]! - 3) / Math.sqrt(4.001), 5);
    // Trainable again, training mode normalises by the batch: the output differs.
    bn.trainable = true;
    const train = bn.apply(x, { training: true }) as st.tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(train, infer))).dataSync()[0]).toBeGreaterThan(0.5);
    tf.dispose([x, train, infer, frozen]);
    bn.dispose();
  });
});

describe('optimizer state', () => {
  it('holds slots only for the weights that were trainable when it stepped', async () => {
    const net = cnn();
    const { x, y } = images(16);
    net.freeze({ to: 'bn2' });
    compileAdam(net);
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const vars = (entries: st.optimizers.OptimizerStateEntry[]) => new Set(entries.filter((e) => e.variable).map((e) => e.variable));
    let entries = net.optimizer!.getWeights();
    expect(entries.filter((e) => e.variable === null).map((e) => e.slot)).toEqual(['iterations']);
    expect(vars(entries)).toEqual(new Set(net.trainableWeights.map((w) => w.variable)));
    expect(entries).toHaveLength(1 + 2 * 4); // Adam: m and v for d1 and out kernels and biases
    for (const w of net.nonTrainableWeights) expect(vars(entries).has(w.variable)).toBe(false);
    tf.dispose(entries.map((e) => e.value));

    net.unfreeze('c2');
    await net.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    entries = net.optimizer!.getWeights();
    expect(vars(entries)).toEqual(new Set(net.trainableWeights.map((w) => w.variable)));
    expect(vars(entries).has(net.getLayer('c1').weights[0]!.variable)).toBe(false);
    tf.dispose(entries.map((e) => e.value));
    tf.dispose([x, y]);
    net.dispose();
  });
});

describe('the GAN pattern', () => {
  function mlp(inputs: number, outputs: number, activation: 'sigmoid' | 'tanh', seed: number): st.Sequential {
    return st.sequential([
      st.layers.input({ shape: [inputs] }),
      st.layers.dense({ units: 16, activation: 'relu', kernelInitializer: seeded(seed) }),
      st.layers.dense({ units: outputs, activation, kernelInitializer: seeded(seed + 1) }),
    ]);
  }

  it('alternates two models, each with its own Adam, many times, without leaking', async () => {
    const a = mlp(4, 1, 'sigmoid', 20);
    const b = mlp(3, 2, 'tanh', 30);
    a.compile({ optimizer: st.optimizers.adam({ learningRate: 2e-3 }), loss: 'binaryCrossentropy' });
    b.compile({ optimizer: st.optimizers.adam({ learningRate: 2e-3 }), loss: 'mse' });
    const xa = tf.randomNormal([8, 4], 0, 1, 'float32', 1);
    const ya = tf.tensor2d([0, 1, 0, 1, 1, 0, 1, 0], [8, 1]);
    const xb = tf.randomNormal([8, 3], 0, 1, 'float32', 2);
    const yb = tf.randomUniform([8, 2], -0.5, 0.5, 'float32', 3);
    await a.trainOnBatch(xa, ya);
    await b.trainOnBatch(xb, yb);
    const settled = tf.memory().numTensors;
    const first = { a: (await a.evaluate(xa, ya)).loss!, b: (await b.evaluate(xb, yb)).loss! };
    for (let i = 0; i < 60; i++) {
      await a.trainOnBatch(xa, ya);
      await b.trainOnBatch(xb, yb);
      expect(tf.memory().numTensors).toBe(settled);
    }
    expect((await a.evaluate(xa, ya)).loss!).toBeLessThan(first.a);
    expect((await b.evaluate(xb, yb)).loss!).toBeLessThan(first.b);
    expect(a.optimizer!.iterations).toBe(61);
    expect(b.optimizer!.iterations).toBe(61);
    tf.dispose([xa, ya, xb, yb]);
    a.dispose();
    b.dispose();
  });

  it('Keras-style: a combined model with the discriminator frozen, toggled at every step (tfjs #4290)', async () => {
    const generator = mlp(4, 6, 'tanh', 40);
    const discriminator = mlp(6, 1, 'sigmoid', 50);
    discriminator.compile({ optimizer: st.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }), loss: 'binaryCrossentropy' });
    const combined = st.sequential([generator, discriminator]);
    combined.compile({ optimizer: st.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }), loss: 'binaryCrossentropy' });
    const half = 8;
    const real = tf.randomNormal([half, 6], 0.5, 0.2, 'float32', 5);
    const labels = tf.concat([tf.ones([half, 1]), tf.zeros([half, 1])]);
    const ones = tf.ones([half, 1]);
    const step = async (i: number) => {
      const z = tf.randomNormal([half, 4], 0, 1, 'float32', 100 + i);
      const fake = generator.predict(z) as st.tf.Tensor;
      const batch = tf.concat([real, fake]);
      discriminator.trainable = true;
      const g0 = snapshot(generator);
      await discriminator.trainOnBatch(batch, labels);
      expect(changed(g0, snapshot(generator))).toEqual([]);
      discriminator.trainable = false;
      const d0 = snapshot(discriminator);
      await combined.trainOnBatch(z, ones);
      expect(changed(d0, snapshot(discriminator))).toEqual([]);
      tf.dispose([z, fake, batch]);
    };
    await step(0);
    const settled = tf.memory().numTensors;
    for (let i = 1; i <= 40; i++) {
      await step(i);
      expect(tf.memory().numTensors).toBe(settled);
    }
    const slotVars = (o: st.optimizers.Optimizer) => {
      const entries = o.getWeights();
      const vs = new Set(entries.filter((e) => e.variable).map((e) => e.variable));
      tf.dispose(entries.map((e) => e.value));
      return vs;
    };
    expect(slotVars(combined.optimizer!)).toEqual(new Set(generator.weights.map((w) => w.variable)));
    expect(slotVars(discriminator.optimizer!)).toEqual(new Set(discriminator.weights.map((w) => w.variable)));
    expect(combined.optimizer!.iterations).toBe(41);
    tf.dispose([real, labels, ones]);
    combined.dispose();
    discriminator.dispose();
  });
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
