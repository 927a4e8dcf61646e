/**
 * Fine-tuning a frozen base keeps no activations for it: the training step runs the frozen
 * part before the gradient tape (same updates, lower peak memory), and `cacheFeatures`
 * trains the head on the base's outputs computed once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { Network } from '../../src/models/network.js';
import { changed, snapshot } from './transfer_fixtures.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function weightsOf(m: st.Model): number[][] {
  return m.weights.map((w) => Array.from(w.read().dataSync()));
}

/** A small frozen convolutional base (with BatchNorm and a skip connection) under a Dense head. */
function net(seed: number): { base: st.Model; model: st.Model } {
  const k = (s: number) => st.initializers.glorotUniform({ seed: seed + s });
  const inp = st.layers.input({ shape: [16, 16, 3] });
  const c1 = st.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: k(1), name: 'c1' }).apply(inp) as st.SymbolicTensor;
  const b1 = st.layers.batchNormalization({ name: 'b1' }).apply(c1) as st.SymbolicTensor;
  const c2 = st.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: k(2), name: 'c2' }).apply(b1) as st.SymbolicTensor;
  const sum = st.layers.add({ name: 'skip' }).apply([b1, c2]) as st.SymbolicTensor;
  const base = st.model({ inputs: inp, outputs: sum, name: 'base' });
  const model = st.transfer.addHead(base, { units: 3 });
  model.getLayer('head_output').weights.forEach((w, i) => tf.tidy(() => w.write(tf.randomUniform(w.shape, -0.3, 0.3, 'float32', seed + 10 + i))));
  return { base, model };
}

describe('a frozen base in training', () => {
  it('runs before the gradient tape: the same updates as the plain step, a lower peak of memory', async () => {
    const x = tf.randomUniform([16, 16, 16, 3], 0, 1, 'float32', 3);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32');
    const runs: { weights: number[][]; peak: number; frozen: string[] }[] = [];
    for (const split of [true, false]) {
      const { model } = net(5);
      if (!split) model.splitForward = Network.prototype.splitForward;
      model.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
      const before = snapshot(model);
      const startTensors = tf.memory().numTensors;
      await model.trainOnBatch(x, y); // optimizer slots and the like on the first step
      const afterFirst = tf.memory().numTensors;
      const info = await tf.profile(async () => {
        await model.trainOnBatch(x, y);
      });
      expect(tf.memory().numTensors).toBe(afterFirst);
      expect(afterFirst - startTensors).toBeLessThanOrEqual(2);
      runs.push({ weights: weightsOf(model), peak: info.peakBytes, frozen: changed(before, snapshot(model)) });
      model.dispose();
    }
    const [split, plain] = runs;
    expect(split!.frozen.sort()).toEqual(['head_output/bias', 'head_output/kernel']);
    expect(split!.weights).toEqual(plain!.weights);
    // The plain step holds the base's activations (16 × 16 × 16 × 8 floats each) until backprop.
    expect(plain!.peak - split!.peak).toBeGreaterThan(2 * 16 * 16 * 16 * 8 * 4);
    tf.dispose([x, y]);
  });

  it('a Sequential model with a frozen base model first trains the same with the split', async () => {
    const results: number[][][] = [];
    for (const split of [true, false]) {
      const { base } = net(9);
      base.freeze();
      const seq = st.sequential([base, st.layers.flatten(), st.layers.dense({ units: 2, kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) })]);
      if (!split) seq.splitForward = Network.prototype.splitForward;
      seq.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
      const x = tf.randomUniform([4, 16, 16, 3], 0, 1, 'float32', 8);
      const y = tf.tensor1d([0, 1, 1, 0], 'int32');
      await seq.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
      results.push(seq.weights.map((w) => Array.from(w.read().dataSync())));
      tf.dispose([x, y]);
      seq.dispose();
    }
    expect(results[0]).toEqual(results[1]);
  });
});

describe('cacheFeatures', () => {
  it('computes the base output once; fineTune with cacheFeatures trains the head to what plain fitting gives', async () => {
    const x = tf.randomUniform([24, 16, 16, 3], 0, 1, 'float32', 11);
    const y = tf.tensor1d(Array.from({ length: 24 }, (_, i) => i % 3), 'int32');
    const feats = (() => {
      const { base, model } = net(2);
      const f = st.transfer.cacheFeatures(base, x, { batchSize: 5 });
      const g = base.predict(x) as st.tf.Tensor;
      expect(f.shape).toEqual([24, 16, 16, 8]);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(f, g))).dataSync()[0])).toBeLessThan(1e-6);
      tf.dispose([f, g]);
      model.dispose();
      return true;
    })();
    expect(feats).toBe(true);
    const out: number[][][] = [];
    for (const cache of [true, false]) {
      const { base, model } = net(3);
      const before = tf.memory().numTensors;
      const r = await st.transfer.fineTune(model, x, y, {
        base, loss: 'sparseCategoricalCrossentropy', headEpochs: 2, fineTuneEpochs: 0, batchSize: 8, cacheFeatures: cache,
        optimizer: (lr) => st.optimizers.sgd({ learningRate: lr * 10 }), validationData: [x, y], verbose: 0,
      });
      expect(r.head.history.val_loss).toHaveLength(2);
      if (cache) expect(tf.memory().numTensors).toBe(before);
      out.push(weightsOf(model));
      model.optimizer?.dispose();
      model.dispose();
    }
    // Shuffling is seeded by fit the same way in both; dropout is absent: the same head.
    for (let i = 0; i < out[0]!.length; i++) {
      out[0]![i]!.forEach((v, j) => expect(Math.abs(v - out[1]![i]![j]!)).toBeLessThan(1e-4));
    }
    tf.dispose([x, y]);
  });
});

describe('inference', () => {
  it('predict frees each activation after its last use: peak well under the sum of all activations, same outputs', async () => {
    for (const kind of ['functional', 'sequential'] as const) {
      const layers = Array.from({ length: 12 }, (_, i) => st.layers.conv2d({
        filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: `c${i}`,
        kernelInitializer: st.initializers.glorotUniform({ seed: i }),
      }));
      let m: st.Model | st.Sequential;
      if (kind === 'functional') {
        const inp = st.layers.input({ shape: [32, 32, 8] });
        let h = inp;
        for (const l of layers) h = l.apply(h) as st.SymbolicTensor;
        m = st.model({ inputs: inp, outputs: h });
      } else {
        m = st.sequential([st.layers.input({ shape: [32, 32, 8] }), ...layers] as never);
      }
      const x = tf.randomUniform([16, 32, 32, 8], 0, 1, 'float32', 1);
      const act = 16 * 32 * 32 * 8 * 4;
      const before = tf.memory().numTensors;
      let y: st.tf.Tensor | undefined;
      const info = await tf.profile(() => {
        y = m.predict(x, { batchSize: 16 }) as st.tf.Tensor;
      });
      expect(tf.memory().numTensors).toBe(before + 1);
      // All 12 activations at once would be 12 × act; freeing as it goes holds a few.
      expect(info.peakBytes).toBeLessThan(5 * act);
      // The same values as a forward pass that keeps everything (under a gradient tape).
      const kept = tf.tidy(() => {
        let out: st.tf.Tensor | undefined;
        tf.grad((t: st.tf.Tensor) => {
          out = tf.keep(m.forward([t], { training: false })[0]!);
          return tf.sum(out);
        })(x);
        return out!;
      });
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(kept, y!))).dataSync()[0])).toBe(0);
      tf.dispose([x, y!, kept]);
      m.dispose();
    }
  });
});
