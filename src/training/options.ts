import type { tf } from '../backend/tf.js';
import type { PlainData } from '../engine/tensor_checks.js';
import type { Loss } from '../losses/loss.js';
import type { Metric } from '../metrics/metric.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Callback, CallbackHooks } from './callbacks/callback.js';

/**
 * Data for one input or output: a tensor, or plain numbers (a nested array, or a typed
 * array read as samples of the model's input shape), converted and freed by the call.
 */
export type DataLike = tf.Tensor | PlainData;

/** Data for a model with one or several inputs/outputs: one item, a list, or a name-keyed object. */
export type TensorData = DataLike | DataLike[] | Record<string, DataLike>;

/** Options of `compile`. */
export interface CompileOptions {
  /** Optimizer instance or name (`'adam'`, `'sgd'`, `'rmsprop'`…, with Keras defaults). */
  optimizer: Optimizer | string;
  /**
   * Loss name or object; for several outputs, one per output (a list in output order, or
   * an object keyed by output layer name), or one for all.
   */
  loss: string | Loss | (string | Loss)[] | Record<string, string | Loss>;
  /**
   * Metrics reported in logs, e.g. `['accuracy']`; per output as a list of lists or name-keyed object.
   * Never weighted by `sampleWeight` / `classWeight` (Keras 3); see `weightedMetrics`. Default none.
   */
  metrics?: (string | Metric)[] | (string | Metric)[][] | Record<string, (string | Metric)[]>;
  /**
   * Metrics weighted by `sampleWeight` and `classWeight`, in the same forms as `metrics`.
   * As in Keras 3, the plain `metrics` are never weighted; a weighted metric whose name is
   * already taken logs as `weighted_<name>` (`weighted_accuracy`). Default none.
   */
  weightedMetrics?: (string | Metric)[] | (string | Metric)[][] | Record<string, (string | Metric)[]>;
  /** Weights of the outputs' losses in the total (list or name-keyed). Default 1 each. */
  lossWeights?: number[] | Record<string, number>;
}

/** Options shared by `fit` and `fitDataset`. */
export interface LoopOptions {
  /** Number of epochs to train to (counted from 0, including `initialEpoch`). Default 1. */
  epochs?: number;
  /** Epoch to start at (for resuming). Default 0. */
  initialEpoch?: number;
  /** Callbacks: instances or plain objects of hooks. Default none. */
  callbacks?: (Callback | CallbackHooks)[];
  /** 0 silent, 1 progress bar, 2 one line per epoch. Default 1 when stdout is a terminal, else 2. */
  verbose?: 0 | 1 | 2;
}

/** Options of `fit`. */
export interface FitOptions extends LoopOptions {
  /** Samples per gradient step. Default 32. */
  batchSize?: number;
  /** Fraction of the data (the last samples, before shuffling, as in Keras) held out for validation. Default 0. */
  validationSplit?: number;
  /** Held-out data `[x, y]` or `[x, y, sampleWeight]`; overrides `validationSplit`. */
  validationData?: [TensorData, TensorData] | [TensorData, TensorData, tf.Tensor];
  /** Shuffle the training samples before each epoch. Default true. */
  shuffle?: boolean;
  /**
   * Seed of the per-epoch shuffle: with it, a run visits the samples in the same order
   * every time (with seeded initializers and dropout, it is then repeatable end to end).
   * An integer. Default: unseeded.
   */
  seed?: number;
  /** Weight per class index, multiplying each sample's loss (single-output models). */
  classWeight?: Record<number, number>;
  /** Weight per sample, shape `[n]`, multiplying each sample's loss. */
  sampleWeight?: tf.Tensor;
  /** Validate every this many epochs. Default 1. */
  validationFreq?: number;
}

/** One batch of a dataset given to `fitDataset`. */
export interface DatasetBatch {
  /** The batch's inputs: one tensor, a list, or a name-keyed object. */
  xs: TensorData;
  /** The batch's targets, in the same forms. */
  ys: TensorData;
  /** Optional per-sample weights. */
  sampleWeight?: tf.Tensor;
}

/** A dataset: any sync or async iterable of batches. */
export type Dataset = Iterable<DatasetBatch> | AsyncIterable<DatasetBatch>;

/** Options of `fitDataset`. */
export interface FitDatasetOptions extends LoopOptions {
  /**
   * Batches per epoch. When set, one iterator is drawn from across epochs (as Keras does);
   * when not, each epoch iterates the dataset afresh until it ends.
   */
  stepsPerEpoch?: number;
  /** Validation data: a dataset of batches, or `[x, y]` tensors. */
  validationData?: Dataset | [TensorData, TensorData];
  /** Batches of the validation dataset per evaluation. Default: until it ends. */
  validationSteps?: number;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Samples per forward pass. Default 32. */
  batchSize?: number;
  /** Weight per sample, shape `[n]`. */
  sampleWeight?: tf.Tensor;
  /** 0 silent (default), 1 or 2 print the result line. */
  verbose?: 0 | 1 | 2;
}
