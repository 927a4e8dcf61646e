import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import type { Model } from '../../io/models.js';
import { cacheFeatures, headOf } from './cache.js';
import type { Layer } from '../../engine/layer.js';
import type { Network } from '../../models/network.js';
import type { LayerSelector } from '../../models/selector.js';
import { adam } from '../../optimizers/adam.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import type { Callback, CallbackHooks } from '../../training/callbacks/callback.js';
import type { History } from '../../training/callbacks/index.js';
import type { CompileOptions, FitOptions, TensorData } from '../../training/options.js';
import type { Trainable } from '../../training/trainable.js';

/** Options of {@link fineTune}. */
export interface FineTuneOptions {
  /**
   * The pretrained part of the model, whose layers the model shares (as `addHead` and
   * `featureExtractor` make it). Frozen in phase 1; partly unfrozen in phase 2. Required.
   */
  base: Network;
  /** Loss, as in `compile`. Required. */
  loss: CompileOptions['loss'];
  /** Metrics, as in `compile`. Default `['accuracy']`. */
  metrics?: CompileOptions['metrics'];
  /** Epochs of phase 1 (head only). Default 5. */
  headEpochs?: number;
  /** Epochs of phase 2 (head and unfrozen base layers); 0 skips it. Default 5. */
  fineTuneEpochs?: number;
  /**
   * Base layers trained in phase 2, as for `base.unfreeze`: e.g. `{ fraction: 0.1 }` for
   * the top 10 %, or `{ from: 'block_16_expand' }`. Default: all of them.
   */
  unfreeze?: LayerSelector;
  /** Learning rate of phase 1. Default 1e-3. */
  learningRate?: number;
  /** Learning rate of phase 2, lower so the pretrained weights move little. Default `learningRate / 10`. */
  fineTuneLearningRate?: number;
  /** Makes the optimizer of each phase from its learning rate. Default `(lr) => st.optimizers.adam({ learningRate: lr })`. */
  optimizer?: (learningRate: number) => Optimizer;
  /**
   * Keep the base's BatchNormalization layers frozen in phase 2 (inference mode, their
   * statistics and scale untouched), as Keras advises: small batches of new data would
   * otherwise overwrite the pretrained statistics. Default true.
   */
  freezeBatchNorm?: boolean;
  /** Samples per step. Default 32. */
  batchSize?: number;
  /** Held-out `[x, y]` evaluated after each epoch. Default none. */
  validationData?: FitOptions['validationData'];
  /** Callbacks of both phases. Default none. */
  callbacks?: (Callback | CallbackHooks)[];
  /** As in `fit`. Default as in `fit`. */
  verbose?: FitOptions['verbose'];
  /**
   * Phase 1 computes the frozen base's output for every sample once (`cacheFeatures`) and
   * trains the head alone on it: each head epoch then costs a pass over small feature
   * vectors, not the whole base. Needs `x` (and validation inputs) as one tensor and a
   * model built on the base's output (as `addHead` makes it). Layers of the base that act
   * only in training (dropout, augmentation) do not act on cached features. Default false.
   */
  cacheFeatures?: boolean;
}

/** The histories of the two phases; the second continues the epoch count of the first. */
export interface FineTuneResult {
  /** Phase 1 (head only), epochs from 0. */
  head: History;
  /** Undefined when `fineTuneEpochs` is 0. */
  fineTune: History | undefined;
}

function count(owner: string, name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new ValueError(`${owner}: '${name}' must be an integer >= ${min}; got ${String(value)}`);
  return v;
}

function rate(owner: string, name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValueError(`${owner}: '${name}' must be a number > 0; got ${String(value)}`);
  return v;
}

function batchNorms(layers: Layer[]): Layer[] {
  return layers.flatMap((l) => [...(l.className === 'BatchNormalization' ? [l] : []), ...batchNorms(l.sublayers())]);
}

/** Phase 1 on cached features: the head alone, fitted on the base's outputs computed once. */
async function fitHeadOnFeatures(model: Network, base: Network, x: TensorData, y: TensorData, fitOpts: FitOptions,
  compile: (m: Model) => void, owner: string): Promise<History> {
  const one = (t: unknown, what: string): tf.Tensor => {
    if (!(t instanceof tf.Tensor)) throw new ValueError(`${owner}: 'cacheFeatures' needs ${what} as one tensor`);
    return t;
  };
  const head = headOf(model, base);
  const feats = cacheFeatures(base, one(x, 'x'));
  const val = fitOpts.validationData;
  const valFeats = val ? cacheFeatures(base, one(val[0], 'the validation inputs')) : undefined;
  try {
    compile(head);
    return await head.fit(feats, y, { ...fitOpts, ...(val && valFeats ? { validationData: [valFeats, val[1]] } : {}) });
  } finally {
    tf.dispose([feats, ...(valFeats ? [valFeats] : [])]);
    // The head shares its layers with the model, so it is not disposed; only what its
    // compile made (optimizer, running sums, metric state) is freed.
    (head as unknown as { trainer?: { dispose(): void } }).trainer?.dispose();
  }
}

/**
 * Two-phase fine-tuning, the usual transfer-learning recipe: (1) freeze the base and
 * train the new head; (2) unfreeze the top of the base and train on with a new optimizer
 * at a lower learning rate. Both phases compile the model afresh; freezing itself never
 * needs it. On return the unfrozen layers stay trainable.
 *
 * @throws ValueError for bad options, or a `base` whose layers are not in `model`.
 * @example
 * ```ts
 * const net = st.transfer.addHead(features, { units: 10 });
 * const { head, fineTune } = await st.transfer.fineTune(net, x, y, {
 *   base: features, loss: 'sparseCategoricalCrossentropy', unfreeze: { fraction: 0.1 },
 *   headEpochs: 5, fineTuneEpochs: 5, validationData: [xVal, yVal],
 * });
 * ```
 */
export async function fineTune(model: Network & Trainable, x: TensorData, y: TensorData, opts: FineTuneOptions): Promise<FineTuneResult> {
  const owner = `${model.label} fineTune`;
  if (typeof opts !== 'object' || opts === null || typeof opts.base?.freeze !== 'function') {
    throw new ValueError(`${owner}: 'base' must be the model's pretrained base network; got ${String(opts?.base)}`);
  }
  const { base } = opts;
  const inModel = new Set(model.layers);
  if (!base.layers.some((l) => l.countParams() > 0 && inModel.has(l))) {
    throw new ValueError(`${owner}: no weighted layer of ${base.label} is in ${model.label}; build the model on the base (addHead)`);
  }
  const headEpochs = count(owner, 'headEpochs', opts.headEpochs, 5, 1);
  const fineTuneEpochs = count(owner, 'fineTuneEpochs', opts.fineTuneEpochs, 5, 0);
  const lr = rate(owner, 'learningRate', opts.learningRate, 1e-3);
  const lr2 = rate(owner, 'fineTuneLearningRate', opts.fineTuneLearningRate, lr / 10);
  const makeOptimizer = opts.optimizer ?? ((learningRate: number) => adam({ learningRate }));
  const fitOpts: FitOptions = {
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    ...(opts.validationData !== undefined ? { validationData: opts.validationData } : {}),
    ...(opts.callbacks !== undefined ? { callbacks: opts.callbacks } : {}),
    ...(opts.verbose !== undefined ? { verbose: opts.verbose } : {}),
  };
  const compile = (learningRate: number) =>
    model.compile({ optimizer: makeOptimizer(learningRate), loss: opts.loss, metrics: opts.metrics ?? ['accuracy'] });

  base.freeze();
  let head: History;
  if (opts.cacheFeatures) {
    head = await fitHeadOnFeatures(model, base, x, y, { ...fitOpts, epochs: headEpochs }, (m) =>
      m.compile({ optimizer: makeOptimizer(lr), loss: opts.loss, metrics: opts.metrics ?? ['accuracy'] }), owner);
  } else {
    compile(lr);
    head = await model.fit(x, y, { ...fitOpts, epochs: headEpochs });
  }
  if (fineTuneEpochs === 0) return { head, fineTune: undefined };

  base.unfreeze(opts.unfreeze);
  if (opts.freezeBatchNorm ?? true) for (const bn of batchNorms(base.layers)) bn.trainable = false;
  compile(lr2);
  const fineTune = await model.fit(x, y, { ...fitOpts, initialEpoch: headEpochs, epochs: headEpochs + fineTuneEpochs });
  return { head, fineTune };
}
