import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { gan, type GAN, type GanFitOptions } from '../../src/apps/gan/index.js';
import { expectError } from '../engine/expect_error.js';
import { discriminator, disposeAll, generator, makeGan, realData } from './gan_models.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

const made: GAN[] = [];
const nets: st.Network[] = [];
afterEach(() => {
  made.splice(0).forEach(disposeAll);
  nets.splice(0).forEach((n) => n.dispose());
});
function keep<T extends st.Network>(n: T): T {
  nets.push(n);
  return n;
}

/** Awaits `p`, expecting a StrataError of `kind` whose message holds every part. */
async function expectRejects(p: Promise<unknown>, kind: typeof st.StrataError, ...parts: string[]): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind);
  for (const part of parts) expect((caught as Error).message).toContain(part);
}

describe('gan(): bad models', () => {
  it('latentDim different from the generator input', () => {
    expectError(() => gan({ generator: keep(generator(3)), discriminator: keep(discriminator()), latentDim: 2 }),
      st.ShapeError, 'gan', "'latentDim'", '2', '[null,3]');
  });

  it('latentDim that is not a positive integer', () => {
    for (const latentDim of [0, 1.5, Number.NaN]) {
      expectError(() => gan({ generator: keep(generator(2)), discriminator: keep(discriminator()), latentDim }),
        st.ValueError, "'latentDim'", 'integer >= 1');
    }
  });

  it('a discriminator whose output is not [batch, 1]', () => {
    const d = keep(st.sequential([st.layers.dense({ units: 4, inputShape: [1] }), st.layers.dense({ units: 2, activation: 'sigmoid' })]));
    expectError(() => gan({ generator: keep(generator(2)), discriminator: d, latentDim: 2 }),
      st.ShapeError, "'discriminator'", '[batch, 1]', '[null,2]');
  });

  it("a discriminator that does not take the generator's output", () => {
    const d = keep(st.sequential([st.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [3] })]));
    expectError(() => gan({ generator: keep(generator(2)), discriminator: d, latentDim: 2 }),
      st.ShapeError, "'discriminator'", '[null,3]', '[null,1]');
  });

  it('something that is not a model, or one model twice', () => {
    expectError(() => gan({ generator: {} as st.Network, discriminator: keep(discriminator()), latentDim: 2 }),
      st.ValueError, "'generator'", 'model');
    const d = keep(discriminator());
    expectError(() => gan({ generator: d, discriminator: d, latentDim: 1 }), st.ValueError, 'two different models');
  });

  it('builds a generator declared without an input shape from latentDim', () => {
    const g = keep(st.sequential([st.layers.dense({ units: 1 })]));
    const trainer = gan({ generator: g, discriminator: keep(discriminator()), latentDim: 5 });
    expect(g.inputShapes).toEqual([[null, 5]]);
    const s = trainer.sample(2);
    expect(s.shape).toEqual([2, 1]);
    s.dispose();
  });
});

describe('GAN.compile and GAN.fit: bad options', () => {
  it('fit before compile', async () => {
    const g = gan({ generator: keep(generator(2)), discriminator: keep(discriminator()), latentDim: 2 });
    const x = realData(10);
    await expectRejects(g.fit(x), st.StateError, 'GAN.fit', 'compile');
    x.dispose();
  });

  it('one optimizer for both networks, or an unknown loss', () => {
    const g = gan({ generator: keep(generator(2)), discriminator: keep(discriminator()), latentDim: 2 });
    const opt = st.optimizers.adam();
    expectError(() => g.compile({ generatorOptimizer: opt, discriminatorOptimizer: opt }), st.ValueError, "'generatorOptimizer'", "'discriminatorOptimizer'");
    expectError(() => g.compile({ loss: 'wasserstein' as 'minimax' }), st.ValueError, "'loss'", 'wasserstein');
    g.compile({ loss: 'non_saturating' as 'nonSaturating' });
    expect(g.loss).toBe('nonSaturating');
    g.dispose();
  });

  it('discriminatorSteps = 0, bad batchSize, labelSmoothing, seed, epochs', async () => {
    const g = makeGan();
    made.push(g);
    const x = realData(20);
    const before = tf.memory().numTensors;
    const cases: [GanFitOptions, string][] = [
      [{ discriminatorSteps: 0 }, "'discriminatorSteps'"],
      [{ discriminatorSteps: 2.5 }, "'discriminatorSteps'"],
      [{ batchSize: 0 }, "'batchSize'"],
      [{ labelSmoothing: 1 }, "'labelSmoothing'"],
      [{ labelSmoothing: -0.1 }, "'labelSmoothing'"],
      [{ seed: 0.5 }, "'seed'"],
      [{ epochs: -1 }, "'epochs'"],
    ];
    for (const [opts, name] of cases) await expectRejects(g.fit(x, { verbose: 0, ...opts }), st.ValueError, 'GAN.fit', name);
    expect(g.discriminatorOptimizer!.iterations).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('real data that does not fit the discriminator', async () => {
    const g = makeGan();
    made.push(g);
    const x = tf.zeros([10, 2]);
    await expectRejects(g.fit(x, { verbose: 0 }), st.ShapeError, "'realData'", '[null,1]', '[10,2]');
    const warm = realData(8);
    await g.fit(warm, { batchSize: 8, discriminatorSteps: 1, verbose: 0 }); // creates the optimizers' state
    warm.dispose();
    const before = tf.memory().numTensors;
    const bad = [realData(4), tf.zeros([4, 3])];
    await expectRejects(g.fit(bad, { verbose: 0 }), st.ShapeError, "'realData element 1'", '[4,3]');
    expect(bad.every((t) => t.isDisposed)).toBe(true); // the loop owned and freed both
    expect(tf.memory().numTensors).toBe(before);
    await expectRejects(g.fit([42] as unknown as st.tf.Tensor[], { verbose: 0 }), st.ValueError, "'realData'", 'tensor');
    await expectRejects(g.fit('x' as unknown as st.tf.Tensor, { verbose: 0 }), st.ValueError, "'realData'");
    await expectRejects(g.fit([], { verbose: 0 }), st.ValueError, 'no batches');
    x.dispose();
  });

  it('a second fit while one runs; sample(n) with a bad n', async () => {
    const g = makeGan();
    made.push(g);
    const x = realData(40);
    const first = g.fit(x, { epochs: 2, batchSize: 10, verbose: 0 });
    await expectRejects(g.fit(x, { verbose: 0 }), st.StateError, 'GAN.fit');
    expectError(() => g.compile(), st.StateError, 'GAN.compile');
    await first;
    expectError(() => g.sample(0), st.ValueError, 'GAN.sample', "'n'");
    expectError(() => g.sample(2, { seed: 1.5 }), st.ValueError, "'seed'");
    x.dispose();
  });
});
