import type { tf } from '../../backend/tf.js';

/** Numeric logs: `{ loss, accuracy, val_loss, val_accuracy, lr, … }`. */
export type Logs = Record<string, number>;

/**
 * The batch-level logs handed to `onBatchEnd`. Reading values forces a device → host
 * copy, so the loop only does it when asked: call `values()` (running means over the
 * epoch so far) at most as often as you need, e.g. throttled to a few times a second.
 */
export interface BatchLogs {
  /** Index of the batch within the epoch. */
  batch: number;
  /** Samples in this batch. */
  size: number;
  /** Running means of loss and metrics over the epoch so far. */
  values(): Promise<Logs>;
}

/** Run parameters, set before `onTrainBegin`. */
export interface TrainingParams {
  /** The epoch to stop at (exclusive), counted from 0. */
  epochs: number;
  /** The epoch training starts at. */
  initialEpoch: number;
  /** Batches per epoch, when known. */
  steps?: number;
  /** Training samples per epoch, when known. */
  samples?: number;
  /** Samples per batch, when known. */
  batchSize?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Names of what the logs will hold (`loss`, `accuracy`, `val_loss`…). */
  metrics: string[];
}

/** What a callback may touch on the model being trained. */
export interface CallbackModel {
  /** Set to true to end training after the current batch / epoch. */
  stopTraining: boolean;
  /** The model's name, for messages. */
  readonly name: string;
  /** Copies of all weights, in a fixed order; the caller owns (and disposes) them. */
  getWeights(): tf.Tensor[];
  /** Sets all weights from values in `getWeights` order; the caller keeps ownership of `values`. */
  setWeights(values: tf.Tensor[]): void;
  /** The compiled optimizer (its `learningRate` may be set between steps). */
  readonly optimizer?: {
    /** Step size (a number) or a schedule; callbacks set a number here. */
    learningRate: unknown;
    /** The learning rate the next step uses. */
    currentLearningRate(): number;
  };
}

/**
 * Base class of callbacks: override any hook. Hooks may be async; the loop awaits them.
 * @example
 * ```ts
 * class Printer extends st.callbacks.Callback {
 *   override onEpochEnd(epoch: number, logs: st.Logs) { console.log(epoch, logs.loss); }
 * }
 * ```
 */
export class Callback {
  /** The model, set by the loop before `onTrainBegin`. */
  model?: CallbackModel;
  /** The run parameters, set by the loop before `onTrainBegin`. */
  params?: TrainingParams;
  /** Called by the loop; keep the model for the hooks. */
  setModel(model: CallbackModel): void {
    this.model = model;
  }
  /** Called by the loop before training. */
  setParams(params: TrainingParams): void {
    this.params = params;
  }
  /** Called once before the first epoch. */
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  /** Called once after the last epoch (also after an early stop). */
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  /** Called at the start of each epoch; `epoch` counts from 0 (from `initialEpoch`). */
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  /**
   * `logs` holds the epoch's exact loss and metrics, and `val_*` after validation. The
   * same object goes to every callback in order, so a callback may add entries (`lr`)
   * for the ones after it.
   */
  onEpochEnd(_epoch: number, _logs: Logs): void | Promise<void> {}
  /** Called before each training batch; `batch` counts from 0 within the epoch. */
  onBatchBegin(_batch: number): void | Promise<void> {}
  /**
   * Called after each training batch. Reading `logs.values()` forces a device → host
   * copy: do it sparingly (throttled), never unconditionally, unless a sync per batch is
   * the point.
   */
  onBatchEnd(_batch: number, _logs: BatchLogs): void | Promise<void> {}
}

/** A callback given as a plain object of hooks. */
export type CallbackHooks = Partial<Pick<Callback,
  'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd'>>;
