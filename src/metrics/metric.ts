import type { tf } from '../backend/tf.js';

/**
 * A streaming metric: `update` accumulates sums on the device (no host sync), `result`
 * gives the exact value over everything seen since `reset`, not an average of batch
 * averages.
 */
export interface Metric {
  /** Key in logs and History (`accuracy`, `mse`, `auc`…). */
  readonly name: string;
  /** Adds a batch. `sampleWeight`, if given, has shape `[batch]`. Runs inside a tidy. */
  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void;
  /** The value so far as a scalar tensor; the caller owns it. */
  result(): tf.Scalar;
  /** Forgets everything seen. */
  reset(): void;
  /** Frees the state. */
  dispose(): void;
}
