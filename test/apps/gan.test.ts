import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { discriminatorLoss, generatorLoss, type GAN } from '../../src/apps/gan/index.js';
import { MEAN, STD, disposeAll, makeGan, realData, sampleStats } from './gan_models.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const made: GAN[] = [];
const owned: st.tf.Tensor[] = [];
function track(g: GAN): GAN {
  made.push(g);
  return g;
}
function data(n: number, seed?: number): st.tf.Tensor2D {
  const x = realData(n, seed);
  owned.push(x);
  return x;
}
afterEach(() => {
  made.splice(0).forEach(disposeAll);
  tf.dispose(owned.splice(0));
});

describe('GAN on 1-D data', () => {
  it('learns N(4, 1.25²): generated mean and standard deviation within 0.3', async () => {
    const seed = 3;
    const g = track(makeGan({ seed }));
    const before = sampleStats(g);
    expect(Math.abs(before.mean - MEAN)).toBeGreaterThan(1);
    const h = await g.fit(data(4000, seed + 100), { epochs: 20, batchSize: 64, seed, verbose: 0 });
    const after = sampleStats(g);
    expect(Math.abs(after.mean - MEAN)).toBeLessThan(0.3);
    expect(Math.abs(after.std - STD)).toBeLessThan(0.3);
    for (const key of ['d_loss', 'g_loss', 'd_real', 'd_fake']) expect(h.history[key]).toHaveLength(20);
    // At the end D can no longer tell real from generated samples.
    expect(Math.abs(h.history.d_real!.at(-1)! - h.history.d_fake!.at(-1)!)).toBeLessThan(0.1);
    expect(h.history.d_loss!.at(-1)!).toBeCloseTo(2 * Math.LN2, 0);
  });

  it('runs exactly k discriminator updates per generator update', async () => {
    for (const k of [5, 2]) {
      const g = track(makeGan());
      let batches = 0;
      await g.fit(data(200), { epochs: 3, batchSize: 20, discriminatorSteps: k, verbose: 0, callbacks: [{ onBatchEnd: () => void batches++ }] });
      expect(batches).toBe(30);
      expect(g.discriminatorOptimizer!.iterations).toBe(30);
      expect(g.generatorOptimizer!.iterations).toBe(30 / k);
    }
  });

  it('carries the k-step cycle across epochs and fit calls; defaults to k = 5', async () => {
    const g = track(makeGan());
    const x = data(60);
    await g.fit(x, { epochs: 1, batchSize: 20, discriminatorSteps: 2, verbose: 0 });
    expect([g.discriminatorOptimizer!.iterations, g.generatorOptimizer!.iterations]).toEqual([3, 1]);
    await g.fit(x, { epochs: 3, batchSize: 20, discriminatorSteps: 2, verbose: 0 });
    expect([g.discriminatorOptimizer!.iterations, g.generatorOptimizer!.iterations]).toEqual([12, 6]);
    const d = track(makeGan());
    await d.fit(x, { epochs: 5, batchSize: 20, verbose: 0 });
    expect([d.discriminatorOptimizer!.iterations, d.generatorOptimizer!.iterations]).toEqual([15, 3]);
  });

  it('updates each network only with its own optimizer', async () => {
    const g = track(makeGan());
    const gBefore = g.generator.getWeights();
    const dBefore = g.discriminator.getWeights();
    // Three discriminator steps and no generator step yet (k = 5).
    await g.fit(data(60), { epochs: 1, batchSize: 20, verbose: 0 });
    const gAfter = g.generator.getWeights();
    const dAfter = g.discriminator.getWeights();
    gBefore.forEach((w, i) => expect(Array.from(gAfter[i]!.dataSync())).toEqual(Array.from(w.dataSync())));
    expect(dBefore.some((w, i) => tf.max(tf.abs(tf.sub(w, dAfter[i]!))).dataSync()[0]! > 0)).toBe(true);
    tf.dispose([...gBefore, ...dBefore, ...gAfter, ...dAfter]);

    await g.fit(data(100), { epochs: 1, batchSize: 20, verbose: 0 });
    const vars = (n: st.Network) => new Set(n.trainableWeights.map((w) => w.read()));
    for (const [opt, net] of [[g.generatorOptimizer!, g.generator], [g.discriminatorOptimizer!, g.discriminator]] as const) {
      const state = opt.getWeights();
      const slotted = new Set(state.filter((e) => e.variable).map((e) => e.variable!));
      expect(slotted).toEqual(vars(net));
      tf.dispose(state.map((e) => e.value));
    }
  });

  it('trains with both the minimax and the non-saturating generator loss', async () => {
    for (const loss of ['minimax', 'nonSaturating'] as const) {
      const g = track(makeGan({ loss }));
      expect(g.loss).toBe(loss);
      const before = Math.abs(sampleStats(g, 2000).mean - MEAN);
      const h = await g.fit(data(1000), { epochs: 5, batchSize: 32, seed: 7, verbose: 0 });
      expect(Math.abs(sampleStats(g, 2000).mean - MEAN)).toBeLessThan(before / 2);
      expect(h.history.d_fake!.at(-1)!).toBeGreaterThan(h.history.d_fake![0]!);
      if (loss === 'minimax') expect(h.history.g_loss!.every((v) => v < 0)).toBe(true);
      else expect(h.history.g_loss!.every((v) => v > 0)).toBe(true);
    }
  });

  it('trains D towards 1 − labelSmoothing on real samples', async () => {
    // One real batch and k = 2: a single discriminator step, whose loss is logged.
    const x = data(16, 21);
    const firstLoss = async (labelSmoothing: number, probe: boolean) => {
      const g = track(makeGan({ seed: 6 }));
      const p = probe ? (g.discriminator.predict(x) as st.tf.Tensor) : undefined;
      const pReal = p ? Array.from(p.dataSync()) : [];
      p?.dispose();
      const h = await g.fit([tf.clone(x)], { discriminatorSteps: 2, labelSmoothing, seed: 2, verbose: 0 });
      return { dLoss: h.history.d_loss![0]!, dReal: h.history.d_real![0]!, pReal };
    };
    const plain = await firstLoss(0, false);
    const smooth = await firstLoss(0.5, true);
    expect(smooth.dReal).toBeCloseTo(plain.dReal, 6);
    const logit = smooth.pReal.reduce((a, p) => a + Math.log(p) - Math.log(1 - p), 0) / smooth.pReal.length;
    expect(smooth.dLoss - plain.dLoss).toBeCloseTo(0.5 * logit, 4);
  });

  it('repeats a seeded run exactly', async () => {
    const run = async () => {
      const g = track(makeGan({ seed: 4 }));
      const h = await g.fit(data(120, 5), { epochs: 2, batchSize: 20, seed: 9, discriminatorSteps: 2, verbose: 0 });
      const s = g.sample(5, { seed: 1 });
      const values = Array.from(s.dataSync());
      s.dispose();
      return { history: h.history, values };
    };
    const a = await run();
    const b = await run();
    expect(b.history).toEqual(a.history);
    expect(b.values).toEqual(a.values);
  });
});

describe('GAN bookkeeping', () => {
  it('leaks no tensors per epoch, per fit or per sample', async () => {
    const g = track(makeGan());
    const x = data(100);
    const counts: number[] = [];
    await g.fit(x, { epochs: 4, batchSize: 20, verbose: 0, callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }] });
    expect(new Set(counts).size).toBe(1);
    const settled = tf.memory().numTensors;
    await g.fit(x, { epochs: 2, batchSize: 20, verbose: 0 });
    expect(tf.memory().numTensors).toBe(settled);
    const s = g.sample(7);
    expect(s.shape).toEqual([7, 1]);
    expect(tf.memory().numTensors).toBe(settled + 1);
    s.dispose();
  });

  it('trains on a dataset of batches, freeing each batch, across epochs and with stepsPerEpoch', async () => {
    const g = track(makeGan());
    const start = tf.memory().numTensors;
    let yielded = 0;
    const batches = {
      *[Symbol.iterator]() {
        for (let i = 0; i < 6; i++) {
          yielded++;
          yield i % 2 ? realData(16, i) : { xs: realData(16, i) };
        }
      },
    };
    await g.fit(batches, { epochs: 2, discriminatorSteps: 3, verbose: 0 });
    expect(yielded).toBe(12);
    expect([g.discriminatorOptimizer!.iterations, g.generatorOptimizer!.iterations]).toEqual([12, 4]);
    const afterFirst = tf.memory().numTensors;
    expect(afterFirst).toBeGreaterThan(start); // optimizer state only
    async function* endless() {
      for (let i = 0; ; i++) yield realData(8, 100 + i);
    }
    const h = await g.fit(endless(), { epochs: 3, stepsPerEpoch: 4, discriminatorSteps: 3, verbose: 0 });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(g.discriminatorOptimizer!.iterations).toBe(24);
    expect(tf.memory().numTensors).toBe(afterFirst);
  });

  it('drives callbacks as fit does: batch values on request, progress lines, early stop', async () => {
    const g = track(makeGan());
    const lines: string[] = [];
    const bar = new st.callbacks.ProgressBar({ verbose: 2, write: (t) => lines.push(t) });
    let batchValues: st.Logs | undefined;
    const h = await g.fit(data(100), {
      epochs: 3, batchSize: 20, discriminatorSteps: 2, verbose: 0,
      callbacks: [bar, {
        async onBatchEnd(batch: number, logs: st.BatchLogs) {
          if (batch === 2) batchValues = await logs.values();
          if (batch === 3) g.stopTraining = true;
        },
      }],
    });
    expect(Object.keys(batchValues!).sort()).toEqual(['d_fake', 'd_loss', 'd_real', 'g_loss']);
    expect(h.epoch).toEqual([0]);
    expect(g.discriminatorOptimizer!.iterations).toBe(4);
    const text = lines.join('');
    for (const key of ['d_loss', 'g_loss', 'd_real', 'd_fake']) expect(text).toContain(key);
    expect(text).toContain('4/5');
  });

  it('samples reproducibly with a seed', () => {
    const g = track(makeGan());
    const [a, b, c] = [g.sample(10, { seed: 3 }), g.sample(10, { seed: 3 }), g.sample(10, { seed: 4, batchSize: 3 })];
    expect(a.shape).toEqual([10, 1]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, c]);
  });
});

describe('GAN losses', () => {
  const at = (v: number[]) => tf.tensor2d(v, [v.length, 1]);

  it('discriminator loss: crossentropy of real against 1 − s plus counterfeit against 0', () => {
    const pr = [0.8, 0.6];
    const pf = [0.3, 0.1];
    const s = 0.1;
    const mean = (f: (p: number) => number, p: number[]) => p.reduce((a, v) => a + f(v), 0) / p.length;
    const expected = -mean((p) => (1 - s) * Math.log(p) + s * Math.log(1 - p), pr) - mean((p) => Math.log(1 - p), pf);
    const [r, f] = [at(pr), at(pf)];
    const l = discriminatorLoss(r, f, s);
    expect(l.dataSync()[0]!).toBeCloseTo(expected, 5);
    const l0 = discriminatorLoss(r, f, 0);
    expect(l0.dataSync()[0]!).toBeCloseTo(-mean(Math.log, pr) - mean((p) => Math.log(1 - p), pf), 5);
    tf.dispose([r, f, l, l0]);
  });

  it('stays finite at probabilities 0 and 1, values and gradients', () => {
    const [r, f] = [at([0, 1]), at([1, 0])];
    const losses = [discriminatorLoss(r, f, 0.2), generatorLoss(f, 'nonSaturating'), generatorLoss(f, 'minimax')];
    for (const l of losses) expect(Number.isFinite(l.dataSync()[0]!)).toBe(true);
    const grad = tf.grad((p: st.tf.Tensor) => generatorLoss(p, 'nonSaturating'))(f);
    expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([r, f, grad, ...losses]);
  });

  it('non-saturating: strong gradient where D rejects the counterfeits; minimax: weak', () => {
    const p = at([0.01]);
    const ns = tf.grad((q: st.tf.Tensor) => generatorLoss(q, 'nonSaturating'))(p);
    const mm = tf.grad((q: st.tf.Tensor) => generatorLoss(q, 'minimax'))(p);
    expect(ns.dataSync()[0]!).toBeCloseTo(-1 / 0.01, 2); // d/dp −log p
    expect(mm.dataSync()[0]!).toBeCloseTo(-1 / 0.99, 4); // d/dp log(1 − p)
    const v = [generatorLoss(p, 'nonSaturating'), generatorLoss(p, 'minimax')];
    expect(v[0]!.dataSync()[0]!).toBeCloseTo(-Math.log(0.01), 4);
    expect(v[1]!.dataSync()[0]!).toBeCloseTo(Math.log(0.99), 5);
    tf.dispose([p, ns, mm, ...v]);
  });
});
