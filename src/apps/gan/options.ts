import type { tf } from '../../backend/tf.js';
import type { Network } from '../../models/network.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import type { Callback, CallbackHooks } from '../../training/callbacks/callback.js';

/** Options of {@link gan}. */
export interface GanOptions {
  /**
   * Maps noise `[batch, latentDim]` to counterfeit samples. Its output shape must be the
   * discriminator's input shape. Required.
   */
  generator: Network;
  /**
   * Maps a sample to the probability that it is real: output `[batch, 1]`, ending in a
   * sigmoid. Required.
   */
  discriminator: Network;
  /** Length of the noise vector z ~ N(0, 1) fed to the generator. Required. */
  latentDim: number;
}

/**
 * The generator's objective.
 * - `'nonSaturating'`: maximize log D(G(z)), i.e. minimize −log D(G(z)). Strong gradients
 *   early on, when D easily rejects the counterfeits (Goodfellow et al. 2014, §3).
 * - `'minimax'`: minimize log(1 − D(G(z))), the game's value function as written; its
 *   gradient vanishes while D(G(z)) is near 0.
 */
export type GanLossName = 'nonSaturating' | 'minimax';

/** Options of `GAN.compile`. */
export interface GanCompileOptions {
  /**
   * Updates the generator's weights. Must be a different object from
   * `discriminatorOptimizer`. Default `adam({ learningRate: 2e-4, beta1: 0.5 })`
   * (the DCGAN setting).
   */
  generatorOptimizer?: Optimizer | string;
  /** Updates the discriminator's weights. Default `adam({ learningRate: 2e-4, beta1: 0.5 })`. */
  discriminatorOptimizer?: Optimizer | string;
  /** The generator's objective. Default `'nonSaturating'`. */
  loss?: GanLossName;
}

/**
 * Real samples as a dataset: any sync or async iterable of batches, each a tensor
 * `[batch, ...sampleShape]` (or `{ xs: tensor }`). The trainer owns each batch once it
 * is yielded and disposes it after its step, as `fitDataset` does.
 */
export type GanDataset =
  | Iterable<tf.Tensor | {
      /** One batch of real samples, `[batch, ...sampleShape]`. */
      xs: tf.Tensor;
    }>
  | AsyncIterable<tf.Tensor | {
      /** One batch of real samples, `[batch, ...sampleShape]`. */
      xs: tf.Tensor;
    }>;

/** Options of `GAN.fit`. */
export interface GanFitOptions {
  /** Number of epochs (passes over the real data). Default 1. */
  epochs?: number;
  /**
   * Real samples per discriminator step, and noise vectors per generator step, when the
   * real data is a tensor. A dataset's own batches set the size instead. Default 32.
   */
  batchSize?: number;
  /**
   * k: discriminator steps per generator step. Each of the k steps draws a fresh real
   * batch and fresh noise. Default 5.
   */
  discriminatorSteps?: number;
  /**
   * One-sided label smoothing s: the discriminator is trained towards 1 − s on real
   * samples (and 0 on counterfeits). In [0, 1). Default 0.
   */
  labelSmoothing?: number;
  /**
   * For a dataset: discriminator steps per epoch. When set, one iterator is drawn from
   * across epochs; when not, each epoch iterates the dataset afresh until it ends.
   * Ignored for tensor data. Default: until the dataset ends.
   */
  stepsPerEpoch?: number;
  /** Callbacks: instances or plain objects of hooks. Default none. */
  callbacks?: (Callback | CallbackHooks)[];
  /** 0 silent, 1 progress bar, 2 one line per epoch. Default 1 when stdout is a terminal, else 2. */
  verbose?: 0 | 1 | 2;
  /**
   * Integer seed for the noise and the shuffling of tensor data, so a run can be
   * repeated. Default: unseeded.
   */
  seed?: number;
}

/** Options of `GAN.sample`. */
export interface GanSampleOptions {
  /** Integer seed for the noise; the same seed gives the same samples from the same weights. Default: unseeded. */
  seed?: number;
  /** Noise vectors per generator forward pass. Default 256. */
  batchSize?: number;
}
