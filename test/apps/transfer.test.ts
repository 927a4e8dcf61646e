import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { CNN_TOTAL, changed, cnn, compileAdam, images, seeded, snapshot, summaryCounts } from './transfer_fixtures.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

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
