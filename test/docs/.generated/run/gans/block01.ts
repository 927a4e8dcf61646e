// docs/gans.md:35 (block 1)
import * as st from '../../../../../src/index.js';

const { tf } = st;
const init = (seed: number) => st.initializers.glorotUniform({ seed });

const generator = st.sequential([
  st.layers.input({ shape: [2] }),
  st.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(1) }),
  st.layers.dense({ units: 1, kernelInitializer: init(2) }),
], { name: 'generator' });

const discriminator = st.sequential([
  st.layers.input({ shape: [1] }),
  st.layers.dense({
    units: 16, activation: 'relu',
    kernelInitializer: st.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }),
    biasInitializer: st.initializers.randomUniform({ minval: -4, maxval: 4, seed: 4 }),
  }),
  st.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(5) }),
], { name: 'discriminator' });

const gan = st.gan({ generator, discriminator, latentDim: 2 });
gan.compile({
  generatorOptimizer: st.optimizers.adam({ learningRate: 1e-2, beta1: 0.5 }),
  discriminatorOptimizer: st.optimizers.adam({ learningRate: 5e-3, beta1: 0.5 }),
});

const real = tf.randomNormal([256, 1], 4, 1.25, 'float32', 11);
const history = await gan.fit(real, { epochs: 2, batchSize: 64, seed: 1, verbose: 0 });
console.log(Object.keys(history.history));    // d_loss, d_real, d_fake, and g_loss once G has taken a step

const samples = gan.sample(1000, { seed: 42 });   // [1000, 1]; the same seed gives the same noise
const { mean, variance } = tf.moments(samples);
console.log(`generated mean ${mean.dataSync()[0]!.toFixed(2)}, std ${Math.sqrt(variance.dataSync()[0]!).toFixed(2)}`);

tf.dispose([real, samples, mean, variance]);
gan.dispose();                                 // the optimizers; the two networks are yours
generator.dispose();
discriminator.dispose();
export {};
