import { tf } from '../backend/tf.js';
import { alignElementwise, asFloat, checkElementwise, perSample } from '../losses/shapes.js';
import { PerSampleMean } from './mean.js';
import { metricName, type MetricOptions } from './streaming.js';

/** A per-sample mean of an elementwise error. */
abstract class ElementwiseError extends PerSampleMean {
  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkElementwise(yTrue.shape, yPred.shape, `metric '${this.name}'`);
  }

  /** The elementwise error of aligned float tensors. */
  protected abstract error(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return perSample(this.error(asFloat(alignElementwise(yTrue, yPred)), asFloat(yPred)));
  }
}

/** Mean squared error over all samples seen (each sample's values averaged first). */
export class MeanSquaredErrorMetric extends ElementwiseError {
  constructor(opts: MetricOptions = {}) {
    super(metricName(opts, 'mse'));
  }

  protected error(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.squaredDifference(yPred, yTrue);
  }
}

/** Mean absolute error over all samples seen. */
export class MeanAbsoluteErrorMetric extends ElementwiseError {
  constructor(opts: MetricOptions = {}) {
    super(metricName(opts, 'mae'));
  }

  protected error(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.abs(tf.sub(yPred, yTrue));
  }
}

/** Square root of the mean squared error over all samples seen (not a mean of batch RMSEs). */
export class RootMeanSquaredError extends ElementwiseError {
  constructor(opts: MetricOptions = {}) {
    super(metricName(opts, 'rmse'));
  }

  protected error(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.squaredDifference(yPred, yTrue);
  }

  protected override finish(mean: tf.Scalar): tf.Scalar {
    return tf.sqrt(mean);
  }
}

/** Mean squared error metric; logged as `mse`. */
export function meanSquaredError(opts: MetricOptions = {}): MeanSquaredErrorMetric {
  return new MeanSquaredErrorMetric(opts);
}

/** Mean absolute error metric; logged as `mae`. */
export function meanAbsoluteError(opts: MetricOptions = {}): MeanAbsoluteErrorMetric {
  return new MeanAbsoluteErrorMetric(opts);
}

/** Root mean squared error metric; logged as `rmse`. */
export function rootMeanSquaredError(opts: MetricOptions = {}): RootMeanSquaredError {
  return new RootMeanSquaredError(opts);
}
