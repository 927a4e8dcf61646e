/**
 * Generative adversarial networks: `st.gan({ generator, discriminator, latentDim })`
 * returns a trainer with `compile`, `fit` and `sample`.
 * @module
 */
export { gan, GAN } from './gan.js';
export type {
  GanOptions, GanCompileOptions, GanFitOptions, GanSampleOptions, GanLossName, GanDataset,
} from './options.js';
export { discriminatorLoss, generatorLoss } from './losses.js';
