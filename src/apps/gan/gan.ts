import { ready } from '../../backend/backends.js';
import { tf } from '../../backend/tf.js';
import { StateError, ValueError, fmtShape } from '../../engine/errors.js';
import type { Network } from '../../models/network.js';
import { adam } from '../../optimizers/adam.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import { getOptimizer } from '../../optimizers/registry.js';
import type { BatchLogs, Callback, CallbackHooks, CallbackModel } from '../../training/callbacks/callback.js';
import { CallbackList, History, ProgressBar } from '../../training/callbacks/index.js';
import { loopSettings } from '../../training/loop.js';
import { turnIfDue } from '../../training/yield.js';
import { checkParts, fitSettings, sampleCount, type GanFitSettings } from './checks.js';
import { RandomStream } from './noise.js';
import type { GanCompileOptions, GanDataset, GanFitOptions, GanLossName, GanOptions, GanSampleOptions } from './options.js';
import { DatasetBatches, TensorBatches, checkRealShape, isGanDataset, type RealBatches } from './real_data.js';
import { GAN_LOG_NAMES, GanStats } from './stats.js';
import { discriminatorStep, generatorStep, type GanParts } from './steps.js';

const LOSS_NAMES: Record<string, GanLossName> = {
  nonSaturating: 'nonSaturating', non_saturating: 'nonSaturating', minimax: 'minimax',
};

interface Compiled {
  generatorOptimizer: Optimizer;
  discriminatorOptimizer: Optimizer;
  loss: GanLossName;
}

/**
 * A generative adversarial network trainer (Goodfellow et al. 2014): the generator G maps
 * noise z ~ N(0, I) to counterfeit samples, the discriminator D gives the probability
 * that its input is real. Training alternates k discriminator steps with one generator
 * step, each network with its own optimizer, gradients taken only with respect to the
 * weights of the network being updated.
 *
 * **Epochs.** An epoch is one pass over the real data counted in discriminator steps:
 * `ceil(n / batchSize)` steps for a tensor of n samples (reshuffled each epoch; the last
 * batch may be smaller), or one step per batch of a dataset. A generator step follows
 * every k-th discriminator step; the count runs on across epochs and `fit` calls, so
 * the two optimizers' `iterations` stay exactly k : 1 at every generator step. The
 * progress bar and `onBatchEnd` count discriminator steps.
 *
 * **Logs** (per epoch, in the History and to callbacks): `d_loss` (the discriminator's
 * crossentropy on real plus counterfeit, see `discriminatorLoss`), `g_loss` (what the
 * generator minimizes, per the compiled `loss`; absent in an epoch with no generator
 * step), `d_real` (mean D(x)) and `d_fake` (mean D(G(z)) at the discriminator steps).
 * Both losses include the models' regularization penalties, if any.
 *
 * Callbacks see this trainer as their model (`stopTraining`, `getWeights` over both
 * networks). It has two optimizers and so no single `optimizer`: to change learning
 * rates over time, give each optimizer a schedule rather than using an LR callback.
 *
 * @example
 * ```ts
 * const gan = st.gan({ generator, discriminator, latentDim: 64 });
 * gan.compile({ generatorOptimizer: st.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }),
 *               discriminatorOptimizer: st.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }) });
 * await gan.fit(realImages, { epochs: 10, batchSize: 64, discriminatorSteps: 5 });
 * const fakes = gan.sample(16);
 * ```
 */
export class GAN implements CallbackModel {
  /** Maps noise `[batch, latentDim]` to samples. */
  readonly generator: Network;
  /** Maps samples to `[batch, 1]` probabilities of being real. */
  readonly discriminator: Network;
  /** Length of the noise vectors. */
  readonly latentDim: number;
  /** The name callbacks see in messages. */
  readonly name = 'gan';
  /** Set to true (e.g. by a callback) to end `fit` after the current step. */
  stopTraining = false;
  private readonly parts: GanParts;
  private compiled: Compiled | undefined;
  /** Discriminator steps since the last generator step. */
  private cycle = 0;
  private busy = false;

  /** Use {@link gan}. */
  constructor(opts: GanOptions) {
    this.parts = checkParts(opts);
    this.generator = this.parts.generator;
    this.discriminator = this.parts.discriminator;
    this.latentDim = this.parts.latentDim;
  }

  /** The generator's optimizer, once compiled. */
  get generatorOptimizer(): Optimizer | undefined {
    return this.compiled?.generatorOptimizer;
  }

  /** The discriminator's optimizer, once compiled. */
  get discriminatorOptimizer(): Optimizer | undefined {
    return this.compiled?.discriminatorOptimizer;
  }

  /** The generator's objective, once compiled. */
  get loss(): GanLossName | undefined {
    return this.compiled?.loss;
  }

  /**
   * Chooses the two optimizers (distinct objects) and the generator's objective. May be
   * called again; an optimizer object passed again keeps its state.
   * @throws ValueError for an unknown loss or one optimizer object given for both.
   */
  compile(opts: GanCompileOptions = {}): void {
    const owner = 'GAN.compile';
    if (this.busy) throw new StateError(`${owner}: cannot recompile while fit runs`);
    if (!opts || typeof opts !== 'object') throw new ValueError(`${owner}: options must be an object; got ${String(opts)}`);
    const loss = LOSS_NAMES[String(opts.loss ?? 'nonSaturating')];
    if (!loss) throw new ValueError(`${owner}: 'loss' must be 'nonSaturating' or 'minimax'; got ${String(opts.loss)}`);
    const dcgan = () => adam({ learningRate: 2e-4, beta1: 0.5 });
    const g = opts.generatorOptimizer === undefined ? dcgan() : getOptimizer(opts.generatorOptimizer);
    const d = opts.discriminatorOptimizer === undefined ? dcgan() : getOptimizer(opts.discriminatorOptimizer);
    if (g === d) {
      throw new ValueError(`${owner}: 'generatorOptimizer' and 'discriminatorOptimizer' must be two different optimizer objects`);
    }
    const old = this.compiled;
    if (old) {
      if (old.generatorOptimizer !== g && old.generatorOptimizer !== d) old.generatorOptimizer.dispose();
      if (old.discriminatorOptimizer !== g && old.discriminatorOptimizer !== d) old.discriminatorOptimizer.dispose();
    }
    this.compiled = { generatorOptimizer: g, discriminatorOptimizer: d, loss };
  }

  /**
   * Trains on real samples: a tensor `[n, ...sampleShape]`, or a dataset of such batches
   * (which it takes ownership of, batch by batch). Returns the History of epoch logs.
   * @throws StateError before compile, or while another fit runs.
   * @throws ShapeError when the real samples do not have the generator's output shape.
   */
  async fit(realData: tf.Tensor | GanDataset, opts: GanFitOptions = {}): Promise<History> {
    const owner = 'GAN.fit';
    const compiled = this.compiled;
    if (!compiled) throw new StateError(`${owner}: call compile() first`);
    if (this.busy) throw new StateError(`${owner}: cannot start while another fit runs on this GAN`);
    const settings = fitSettings(opts, owner);
    const { epochs, verbose } = loopSettings({ epochs: opts.epochs, verbose: opts.verbose }, owner);
    const sampleShape = this.generator.outputShapes[0]!;
    const random = new RandomStream(settings.seed);
    let source: RealBatches;
    if (realData instanceof tf.Tensor) {
      checkRealShape(realData, sampleShape, owner, 'realData');
      source = new TensorBatches(realData, settings.batchSize, random);
    } else if (isGanDataset(realData)) {
      source = new DatasetBatches(realData, settings.stepsPerEpoch, sampleShape, owner);
    } else {
      throw new ValueError(`${owner}: 'realData' must be a tensor ${fmtShape(sampleShape)} or a dataset (iterable) of such batches; got ${String(realData)}`);
    }
    this.busy = true;
    try {
      await ready();
      return await this.loop(source, compiled, settings, epochs, verbose, random, (opts.callbacks ?? []) as (Callback | CallbackHooks)[]);
    } finally {
      this.busy = false;
    }
  }

  private async loop(source: RealBatches, compiled: Compiled, settings: GanFitSettings, epochs: number,
    verbose: 0 | 1 | 2, random: RandomStream, user: (Callback | CallbackHooks)[]): Promise<History> {
    const owner = 'GAN.fit';
    const history = new History();
    // As in fit: History after the user's callbacks, so entries they add reach it.
    const list: (Callback | CallbackHooks)[] = [...user, history];
    if (verbose > 0) list.push(new ProgressBar({ verbose }));
    const callbacks = new CallbackList(list);
    callbacks.setModel(this);
    callbacks.setParams({
      epochs, initialEpoch: 0, verbose, metrics: [...GAN_LOG_NAMES],
      steps: source.steps, samples: source.samples, batchSize: source.samples !== undefined ? settings.batchSize : undefined,
    });
    const k = settings.discriminatorSteps;
    const stats = new GanStats();
    this.stopTraining = false;
    try {
      await callbacks.onTrainBegin({});
      for (let epoch = 0; epoch < epochs; epoch++) {
        await callbacks.onEpochBegin(epoch, {});
        stats.reset();
        let b = 0;
        source.begin();
        try {
          for (let real = await source.next(); real; real = await source.next()) {
            const size = real.shape[0]!;
            try {
              await callbacks.onBatchBegin(b);
              discriminatorStep(this.parts, compiled.discriminatorOptimizer, real, random, settings.labelSmoothing, stats);
            } finally {
              real.dispose();
            }
            if (++this.cycle >= k) {
              this.cycle = 0;
              const n = source.samples !== undefined ? settings.batchSize : size;
              generatorStep(this.parts, compiled.generatorOptimizer, n, random, compiled.loss, stats);
            }
            const logs: BatchLogs = { batch: b, size, values: () => stats.read() };
            await callbacks.onBatchEnd(b, logs);
            b++;
            if (this.stopTraining) break;
            await turnIfDue();
          }
        } finally {
          source.end();
        }
        if (b === 0) {
          throw new ValueError(`${owner}: 'realData' yielded no batches in epoch ${epoch}` +
            (settings.stepsPerEpoch !== undefined ? '; it ran out before stepsPerEpoch × epochs batches' : ''));
        }
        await callbacks.onEpochEnd(epoch, await stats.read());
        if (source instanceof DatasetBatches && source.exhausted) {
          console.warn(`${owner}: the dataset ran out after ${b} of ${source.steps} steps in epoch ${epoch}; stopping training`);
          this.stopTraining = true;
        }
        if (this.stopTraining) break;
      }
      await callbacks.onTrainEnd({});
    } finally {
      stats.dispose();
    }
    return history;
  }

  /**
   * Draws `n` noise vectors and returns the generator's samples (inference mode),
   * `[n, ...sampleShape]`. The caller owns the result.
   * @example
   * ```ts
   * const fixed = gan.sample(16, { seed: 42 }); // the same noise each call: watch it improve
   * ```
   */
  sample(n: number, opts: GanSampleOptions = {}): tf.Tensor {
    const owner = 'GAN.sample';
    const count = sampleCount(owner, n);
    if (opts.seed !== undefined && !Number.isSafeInteger(opts.seed)) {
      throw new ValueError(`${owner}: 'seed' must be an integer; got ${String(opts.seed)}`);
    }
    const z = new RandomStream(opts.seed).noise(count, this.latentDim);
    try {
      return this.generator.predict(z, { batchSize: opts.batchSize ?? 256 }) as tf.Tensor;
    } finally {
      z.dispose();
    }
  }

  /** Copies of the generator's then the discriminator's weights (for callbacks that restore weights). */
  getWeights(): tf.Tensor[] {
    return [...this.generator.getWeights(), ...this.discriminator.getWeights()];
  }

  /** Sets the weights from values in `getWeights` order; the caller keeps `values`. */
  setWeights(values: tf.Tensor[]): void {
    const g = this.generator.weights.length;
    if (!Array.isArray(values) || values.length !== g + this.discriminator.weights.length) {
      throw new ValueError(`GAN.setWeights: expected ${g + this.discriminator.weights.length} tensors (generator then discriminator); got ${Array.isArray(values) ? values.length : String(values)}`);
    }
    this.generator.setWeights(values.slice(0, g));
    this.discriminator.setWeights(values.slice(g));
  }

  /**
   * Frees the optimizers' state. The generator and discriminator belong to the caller
   * and stay usable; dispose them separately.
   */
  dispose(): void {
    if (this.busy) throw new StateError('GAN.dispose: cannot dispose while fit runs');
    this.compiled?.generatorOptimizer.dispose();
    this.compiled?.discriminatorOptimizer.dispose();
    this.compiled = undefined;
  }
}

/**
 * Makes a GAN trainer from a generator and a discriminator model; see {@link GAN}.
 * @throws ShapeError when `latentDim` differs from the generator's input, the
 *   discriminator's input from the generator's output, or its output is not `[batch, 1]`.
 */
export function gan(opts: GanOptions): GAN {
  return new GAN(opts);
}
