import { tf } from '../backend/tf.js';
import type { Loss } from '../losses/loss.js';
import { PerSampleMean } from './mean.js';
import { metricName, type MetricOptions } from './streaming.js';

/** A loss used as a metric: the weighted mean of its per-sample values over all batches. */
export class LossMetric extends PerSampleMean {
  /** The loss whose running mean this metric reports. */
  readonly loss: Loss;

  constructor(loss: Loss, opts: MetricOptions = {}) {
    super(metricName(opts, loss.name));
    this.loss = loss;
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    this.loss.checkShapes(yTrue.shape, yPred.shape, `metric '${this.name}'`);
  }

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return this.loss.call(yTrue, yPred);
  }
}
