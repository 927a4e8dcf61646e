/** Small seeded 1-D GAN pieces shared by the GAN tests. */
import * as st from '../../src/index.js';
import { gan, type GAN } from '../../src/apps/gan/index.js';

const { tf } = st;

/** Target distribution of the 1-D tests: N(MEAN, STD²). */
export const MEAN = 4;
export const STD = 1.25;

/** `n` real samples `[n, 1]` from N(MEAN, STD²). */
export function realData(n: number, seed = 11): st.tf.Tensor2D {
  return tf.randomNormal([n, 1], MEAN, STD, 'float32', seed);
}

/** G: latent → dense 16 tanh → 1 (linear), seeded. */
export function generator(latentDim: number, seed = 1): st.Sequential {
  return st.sequential([
    st.layers.dense({ units: 16, activation: 'tanh', inputShape: [latentDim], kernelInitializer: st.initializers.glorotUniform({ seed }) }),
    st.layers.dense({ units: 1, kernelInitializer: st.initializers.glorotUniform({ seed: seed + 1 }) }),
  ]);
}

/**
 * D: 1 → dense 16 elu → 1 sigmoid, seeded. The hidden biases start spread out rather
 * than at 0: with zero biases every unit bends at x = 0, below nearly all of the data,
 * so D would start as a linear function of x there, blind to the spread of the samples.
 */
export function discriminator(seed = 3): st.Sequential {
  return st.sequential([
    st.layers.dense({
      units: 16, activation: 'elu', inputShape: [1],
      kernelInitializer: st.initializers.randomUniform({ minval: -1, maxval: 1, seed }),
      biasInitializer: st.initializers.randomUniform({ minval: -4, maxval: 4, seed: seed + 1 }),
    }),
    st.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: st.initializers.glorotUniform({ seed: seed + 2 }) }),
  ]);
}

/** A compiled 1-D GAN with Adam (β1 = 0.5) at the given learning rates. */
export function makeGan(opts: { latentDim?: number; seed?: number; lrG?: number | st.optimizers.LearningRateSchedule; lrD?: number | st.optimizers.LearningRateSchedule; loss?: 'minimax' | 'nonSaturating' } = {}): GAN {
  const latentDim = opts.latentDim ?? 2;
  const seed = opts.seed ?? 1;
  const g = gan({ generator: generator(latentDim, seed), discriminator: discriminator(seed + 10), latentDim });
  g.compile({
    generatorOptimizer: st.optimizers.adam({ learningRate: opts.lrG ?? 1e-2, beta1: 0.5 }),
    discriminatorOptimizer: st.optimizers.adam({ learningRate: opts.lrD ?? 5e-3, beta1: 0.5 }),
    loss: opts.loss,
  });
  return g;
}

/** Mean and standard deviation of `n` generated samples (seeded noise). */
export function sampleStats(g: GAN, n = 4000, seed = 99): { mean: number; std: number } {
  const s = g.sample(n, { seed });
  const m = tf.moments(s);
  const out = { mean: m.mean.dataSync()[0]!, std: Math.sqrt(m.variance.dataSync()[0]!) };
  tf.dispose([s, m.mean, m.variance]);
  return out;
}

/** Frees the GAN's optimizers and both networks. */
export function disposeAll(g: GAN): void {
  g.dispose();
  g.generator.dispose();
  g.discriminator.dispose();
}
