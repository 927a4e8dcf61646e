// docs/gans.md:103 (block 2)
import * as st from 'strata';

const latentDim = 64;
const generator = st.sequential([
  st.layers.input({ shape: [latentDim] }),
  st.layers.dense({ units: 7 * 7 * 64, useBias: false }),
  st.layers.batchNormalization(),
  st.layers.leakyReLU({ alpha: 0.2 }),
  st.layers.reshape({ targetShape: [7, 7, 64] }),
  st.layers.conv2dTranspose({ filters: 32, kernelSize: 4, strides: 2, padding: 'same', useBias: false }),   // 14×14
  st.layers.batchNormalization(),
  st.layers.leakyReLU({ alpha: 0.2 }),
  st.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }),   // 28×28
]);
const discriminator = st.sequential([
  st.layers.input({ shape: [28, 28, 1] }),
  st.layers.conv2d({ filters: 32, kernelSize: 4, strides: 2, padding: 'same' }),
  st.layers.leakyReLU({ alpha: 0.2 }),
  st.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same' }),
  st.layers.leakyReLU({ alpha: 0.2 }),
  st.layers.flatten(),
  st.layers.dense({ units: 1, activation: 'sigmoid' }),
]);

const { xTrain } = st.datasets.mnist();
const real = st.datasets.scale(xTrain, { from: [0, 1], to: [-1, 1] });   // tanh range
const gan = st.gan({ generator, discriminator, latentDim });
gan.compile();                                                   // DCGAN's Adam settings
await gan.fit(real, { epochs: 10, batchSize: 64, discriminatorSteps: 1, labelSmoothing: 0.1 });
const fixed = gan.sample(16, { seed: 7 });                       // watch these improve across runs
export {};
