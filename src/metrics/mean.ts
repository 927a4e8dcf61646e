import { tf } from '../backend/tf.js';
import { ShapeError, fmtShape } from '../engine/errors.js';
import { asFloat } from '../losses/shapes.js';
import type { Metric } from './metric.js';
import { MetricState, StreamingMetric, broadcastWeights, metricName, type MetricOptions } from './streaming.js';

/**
 * A metric that is the weighted mean of a per-sample value `[batch]` (accuracy, mse…).
 * State: the weighted sum and the sum of weights, so the result is exact over all
 * batches, whatever their sizes.
 */
export abstract class PerSampleMean extends StreamingMetric {
  private readonly total: tf.Variable;
  private readonly count: tf.Variable;

  constructor(name: string) {
    super(name);
    this.total = this.addState();
    this.count = this.addState();
  }

  /** The per-sample values, shape `[batch]`. */
  protected abstract values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

  /** Maps the running mean to the result (identity; RMSE takes the square root). */
  protected finish(mean: tf.Scalar): tf.Scalar {
    return mean;
  }

  protected accumulateBatch(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | undefined): void {
    const v = asFloat(this.values(yTrue, yPred));
    if (sampleWeight) {
      const w = broadcastWeights(sampleWeight, v);
      StreamingMetric.accumulate(this.total, tf.sum(tf.mul(v, w)));
      StreamingMetric.accumulate(this.count, tf.sum(w));
    } else {
      StreamingMetric.accumulate(this.total, tf.sum(v));
      StreamingMetric.accumulate(this.count, tf.scalar(v.size));
    }
  }

  protected compute(): tf.Scalar {
    return this.finish(tf.divNoNan(this.total, this.count) as tf.Scalar);
  }
}

/**
 * A weighted running mean of a value tensor: `sum(w * values) / sum(w)` over every
 * element seen since `reset()`. The training loop uses one for the loss.
 */
export class Mean extends MetricState implements Metric {
  private readonly total: tf.Variable;
  private readonly count: tf.Variable;

  constructor(opts: MetricOptions = {}) {
    super(metricName(opts, 'mean'));
    this.total = this.addState();
    this.count = this.addState();
  }

  /**
   * Adds values of any shape. `sampleWeight` may be a scalar, `[batch]` (broadcast over the
   * other axes of `values`) or the shape of `values`. Without weights each element counts 1.
   */
  add(values: tf.Tensor, sampleWeight?: tf.Tensor): void {
    this.assertLive('add');
    if (sampleWeight) this.checkWeight(values, sampleWeight);
    tf.tidy(() => {
      const v = asFloat(values);
      let w: tf.Tensor;
      if (!sampleWeight) w = tf.onesLike(v);
      else if (sampleWeight.rank === 0 || v.rank === 0) w = tf.mul(asFloat(sampleWeight), tf.onesLike(v));
      else if (sampleWeight.rank === v.rank) w = asFloat(sampleWeight);
      else w = broadcastWeights(sampleWeight, v);
      MetricState.accumulate(this.total, tf.sum(tf.mul(v, w)));
      MetricState.accumulate(this.count, tf.sum(w));
    });
  }

  /** As a `Metric`: averages `yPred`; `yTrue` is ignored. Prefer {@link Mean.add}. */
  update(_yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    this.add(yPred, sampleWeight);
  }

  protected compute(): tf.Scalar {
    return tf.divNoNan(this.total, this.count) as tf.Scalar;
  }

  private checkWeight(values: tf.Tensor, sw: tf.Tensor): void {
    const vs = values.shape;
    const ws = sw.shape;
    const same = ws.length === vs.length && ws.every((d, i) => d === vs[i]);
    const batch = vs.length > 0 && ((ws.length === 1 && ws[0] === vs[0]) || (ws.length === 2 && ws[0] === vs[0] && ws[1] === 1));
    if (ws.length === 0 || same || batch) return;
    if (vs.length === 0) {
      throw new ShapeError(`metric '${this.name}': a scalar value takes a scalar sampleWeight; got ${fmtShape(ws)}`);
    }
    throw new ShapeError(
      `metric '${this.name}': sampleWeight must be a scalar, [${vs[0]}] or ${fmtShape(vs)} for values of shape ` +
        `${fmtShape(vs)}; got ${fmtShape(ws)}`,
    );
  }
}

/**
 * A weighted running mean of a value tensor (e.g. the per-sample loss).
 * @example
 * ```ts
 * const m = st.metrics.mean();
 * m.add(perSampleLoss);            // each batch
 * const epochLoss = m.result();    // exact mean over all samples
 * ```
 */
export function mean(opts: MetricOptions = {}): Mean {
  return new Mean(opts);
}
