import { tf } from '../backend/tf.js';
import { CosineSimilarity } from '../losses/similarity.js';
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

/** Options of {@link cosineSimilarity}. */
export interface CosineSimilarityOptions extends MetricOptions {
  /** The axis the vectors lie along (negative counts from the end). Default -1. */
  axis?: number;
}

/**
 * Keras' `CosineSimilarity` metric: the mean cosine of the angle between target and
 * prediction vectors along `axis`, +1 when they point the same way (the loss of the same
 * name is its negative).
 */
export class CosineSimilarityMetric extends PerSampleMean {
  /** The axis the vectors lie along. */
  readonly axis: number;
  private readonly loss: CosineSimilarity;

  constructor(opts: CosineSimilarityOptions = {}) {
    super(metricName(opts, 'cosineSimilarity'));
    this.loss = new CosineSimilarity({ axis: opts.axis ?? -1 });
    this.axis = this.loss.axis;
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    this.loss.checkShapes(yTrue.shape, yPred.shape, `metric '${this.name}'`);
  }

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.neg(this.loss.call(yTrue, yPred));
  }
}

/** Cosine similarity metric (+1 aligned); logged as `cosineSimilarity`. */
export function cosineSimilarity(opts: CosineSimilarityOptions = {}): CosineSimilarityMetric {
  return new CosineSimilarityMetric(opts);
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
