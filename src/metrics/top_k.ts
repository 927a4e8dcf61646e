import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import { asFloat, checkCategorical, checkSparse, perSample, sparseIndices } from '../losses/shapes.js';
import { PerSampleMean } from './mean.js';
import { metricName, type MetricOptions } from './streaming.js';

/** Options of {@link topKCategoricalAccuracy} and {@link sparseTopKCategoricalAccuracy}. */
export interface TopKOptions extends MetricOptions {
  /** How many of the highest-scored classes count as a hit, an integer >= 1. Default 5 (as Keras). */
  k?: number;
}

function checkK(owner: string, k: unknown): number {
  if (!(typeof k === 'number' && Number.isInteger(k) && k >= 1)) {
    throw new ValueError(`${owner}: 'k' must be an integer >= 1; got ${String(k)}`);
  }
  return k;
}

/**
 * 1 where the target class is among the `k` highest predictions, as Keras' `in_top_k`:
 * the rank of the target's score is 1 + the number of classes scored strictly higher, so
 * ties at the boundary count as hits. A NaN score at the target never hits.
 */
function inTopK(indices: tf.Tensor, yPred: tf.Tensor, k: number): tf.Tensor {
  const p = asFloat(yPred);
  const classes = tf.range(0, p.shape[p.rank - 1]!, 1, 'int32');
  const oneHot = tf.cast(tf.equal(tf.expandDims(indices, -1), classes), 'float32');
  const atLabel = tf.sum(tf.mul(p, oneHot), -1, true);
  const higher = tf.sum(tf.cast(tf.greater(p, atLabel), 'float32'), -1);
  const valid = tf.logicalNot(tf.isNaN(tf.squeeze(atLabel, [-1])));
  return tf.cast(tf.logicalAnd(valid, tf.lessEqual(higher, k - 1)), 'float32');
}

/** Fraction of samples whose one-hot target class is among the `k` top-scored classes. */
export class TopKCategoricalAccuracy extends PerSampleMean {
  /** How many top-scored classes count as a hit. */
  readonly k: number;

  constructor(opts: TopKOptions = {}) {
    super(metricName(opts, 'topKCategoricalAccuracy'));
    this.k = checkK('topKCategoricalAccuracy', opts.k ?? 5);
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkCategorical(yTrue.shape, yPred.shape, `metric '${this.name}'`, 'sparseTopKCategoricalAccuracy');
  }

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return perSample(inTopK(tf.cast(tf.argMax(yTrue, -1), 'int32'), yPred, this.k));
  }
}

/** Fraction of samples whose class-index target is among the `k` top-scored classes. */
export class SparseTopKCategoricalAccuracy extends PerSampleMean {
  /** How many top-scored classes count as a hit. */
  readonly k: number;

  constructor(opts: TopKOptions = {}) {
    super(metricName(opts, 'sparseTopKCategoricalAccuracy'));
    this.k = checkK('sparseTopKCategoricalAccuracy', opts.k ?? 5);
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkSparse(yTrue.shape, yPred.shape, `metric '${this.name}'`, 'topKCategoricalAccuracy');
  }

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return perSample(inTopK(sparseIndices(yTrue, yPred), yPred, this.k));
  }
}

/**
 * Top-k accuracy for one-hot targets (Keras `top_k_categorical_accuracy`).
 * @example `st.metrics.topKCategoricalAccuracy({ k: 3 })`
 */
export function topKCategoricalAccuracy(opts: TopKOptions = {}): TopKCategoricalAccuracy {
  return new TopKCategoricalAccuracy(opts);
}

/**
 * Top-k accuracy for class-index targets (Keras `sparse_top_k_categorical_accuracy`).
 * @example `st.metrics.sparseTopKCategoricalAccuracy({ k: 5 })`
 */
export function sparseTopKCategoricalAccuracy(opts: TopKOptions = {}): SparseTopKCategoricalAccuracy {
  return new SparseTopKCategoricalAccuracy(opts);
}
