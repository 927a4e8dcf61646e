import type { Loss } from '../losses/loss.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Logs } from './callbacks/callback.js';
import type { History } from './callbacks/index.js';
import type { CompileOptions, Dataset, EvaluateOptions, FitDatasetOptions, FitOptions, TensorData } from './options.js';
import type { TrainOnBatchOptions } from './trainer.js';

/** What `evaluate` returns: `loss`, then each metric by name (`accuracy`…), all numbers. */
export type EvaluateLogs = Logs & {
  /** The total loss (losses of every output, weighted, plus regularization). */
  loss: number;
};

/** The Keras training API that `Sequential` and functional `Model` share. */
export interface Trainable {
  /** Set to true (e.g. by a callback) to end `fit` after the current batch. */
  stopTraining: boolean;
  /** The compiled optimizer, once `compile` ran. */
  readonly optimizer: Optimizer | undefined;
  /** The compiled losses, one per output, once `compile` ran. */
  readonly losses: Loss[] | undefined;
  /** True while `fit`, `fitDataset`, `evaluate` or `trainOnBatch` runs. */
  readonly isTraining: boolean;
  /**
   * Chooses the optimizer, loss(es) and metrics. May be called again (e.g. with a lower
   * learning rate for fine-tuning); freezing layers never needs it.
   * @example
   * ```ts
   * net.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-3 }),
   *               loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
   * ```
   */
  compile(opts: CompileOptions): void;
  /**
   * Trains on in-memory tensors for `epochs` epochs and returns the History of epoch logs.
   * @throws ShapeError before any step when x and y do not fit the model or each other.
   * @throws StateError when called while the model is already training.
   */
  fit(x: TensorData, y: TensorData, opts?: FitOptions): Promise<History>;
  /** Trains on a (sync or async) iterable of `{ xs, ys }` batches; it takes ownership of the batch tensors. */
  fitDataset(data: Dataset, opts?: FitDatasetOptions): Promise<History>;
  /** Loss and metrics over the data, in inference mode: `{ loss, accuracy, … }`. */
  evaluate(x: TensorData, y: TensorData, opts?: EvaluateOptions): Promise<EvaluateLogs>;
  /** One gradient step on one batch; returns that batch's loss and metrics. */
  trainOnBatch(x: TensorData, y: TensorData, opts?: TrainOnBatchOptions): Promise<Logs>;
}
