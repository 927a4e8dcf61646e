import type { tf } from '../backend/tf.js';

/**
 * What kind of targets a loss expects; `compile` uses it to pick which accuracy
 * `'accuracy'` means, as Keras does.
 */
export type TargetKind = 'binary' | 'categorical' | 'sparse' | 'regression';

/**
 * A loss: per-sample values of `(yTrue, yPred)`. The training loop weights them
 * (sample / class weights) and averages.
 */
export interface Loss {
  /** Canonical camelCase name (`categoricalCrossentropy`), used in logs and configs. */
  readonly name: string;
  /** Keras class name, for saved configs. */
  readonly className: string;
  /** What targets it expects. */
  readonly kind: TargetKind;
  /**
   * Per-sample losses, shape `[batch]` (averaged over any non-batch axes).
   * Runs inside the caller's tidy / gradient tape.
   */
  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /**
   * Checks target and prediction shapes before any step runs.
   * @param owner - how the error names the caller, e.g. `Sequential 'sequential'.fit`.
   * @throws ShapeError naming both shapes when they do not fit this loss.
   */
  checkShapes(yTrueShape: number[], yPredShape: (number | null)[], owner: string): void;
  /** Keras-style config (camelCase keys), e.g. `{ fromLogits: true }`. */
  getConfig(): Record<string, unknown>;
}
