import type { tf } from '../backend/tf.js';

/**
 * A streaming metric: `update` accumulates sums in device variables (no host sync), `result`
 * gives the exact value over everything seen since `reset`, not an average of batch
 * averages.
 */
export interface Metric {
  /** Key in logs and History (`accuracy`, `mse`, `auc`…). */
  readonly name: string;
  /**
   * Adds a batch. `sampleWeight`, if given, has shape `[batch]` (or `[batch, 1]`) and weighs
   * each sample's contribution. Never reads tensor data back to the host, so it can run in
   * the per-batch hot path; safe inside the caller's tidy.
   */
  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void;
  /** The value so far as a scalar tensor; the caller owns it. 0 before any update. */
  result(): tf.Scalar;
  /** Forgets everything seen. */
  reset(): void;
  /** Frees the state; the metric cannot be used afterwards. */
  dispose(): void;
}
