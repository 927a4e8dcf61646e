import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import {
  alignElementwise, asFloat, checkCategorical, checkElementwise, checkSparse, perSample, sparseIndices,
} from '../losses/shapes.js';
import { PerSampleMean } from './mean.js';
import { metricName, type MetricOptions } from './streaming.js';

/** Options of {@link binaryAccuracy}. */
export interface BinaryAccuracyOptions extends MetricOptions {
  /** A prediction above it counts as 1. Default 0.5. */
  threshold?: number;
  /** Whether predictions are logits: the sigmoid is applied before the threshold. Default false. */
  fromLogits?: boolean;
}

/** Per-sample fraction of entries where `(yPred > threshold)` equals the target. */
function binaryHits(yTrue: tf.Tensor, yPred: tf.Tensor, threshold: number): tf.Tensor {
  const hit = tf.equal(asFloat(alignElementwise(yTrue, yPred)), tf.cast(tf.greater(yPred, threshold), 'float32'));
  return perSample(tf.cast(hit, 'float32'));
}

/** Fraction of entries where `(yPred > threshold)` equals the 0/1 target. */
export class BinaryAccuracy extends PerSampleMean {
  /** A prediction above it counts as 1. */
  readonly threshold: number;
  /** Whether predictions are logits (the sigmoid is applied before the threshold). */
  readonly fromLogits: boolean;

  constructor(opts: BinaryAccuracyOptions = {}) {
    super(metricName(opts, 'binaryAccuracy'));
    const t = opts.threshold ?? 0.5;
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new ValueError(`binaryAccuracy: 'threshold' must be a finite number; got ${String(opts.threshold)}`);
    }
    this.threshold = t;
    this.fromLogits = opts.fromLogits ?? false;
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkElementwise(yTrue.shape, yPred.shape, `metric '${this.name}'`);
  }

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return binaryHits(yTrue, this.fromLogits ? tf.sigmoid(asFloat(yPred)) : yPred, this.threshold);
  }
}

/** Fraction of samples whose predicted class (argmax) equals the one-hot target's. */
export class CategoricalAccuracy extends PerSampleMean {
  constructor(opts: MetricOptions = {}) {
    super(metricName(opts, 'categoricalAccuracy'));
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkCategorical(yTrue.shape, yPred.shape, `metric '${this.name}'`, 'sparseCategoricalAccuracy');
  }

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return perSample(tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32'));
  }
}

/** Fraction of samples whose predicted class (argmax) equals the class-index target. */
export class SparseCategoricalAccuracy extends PerSampleMean {
  constructor(opts: MetricOptions = {}) {
    super(metricName(opts, 'sparseCategoricalAccuracy'));
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkSparse(yTrue.shape, yPred.shape, `metric '${this.name}'`, 'categoricalAccuracy');
  }

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return perSample(tf.cast(tf.equal(sparseIndices(yTrue, yPred), tf.argMax(yPred, -1)), 'float32'));
  }
}

/**
 * Keras `Accuracy`: the fraction of entries where the prediction *equals* the target
 * exactly (no argmax, no threshold). Meant for integer predictions such as class ids; on
 * probabilities it is almost always 0. For the accuracy of a classifier use
 * {@link categoricalAccuracy}, {@link sparseCategoricalAccuracy}, {@link binaryAccuracy}, or
 * the string `'accuracy'` in `compile` (see {@link AutoAccuracy}).
 */
export class Accuracy extends PerSampleMean {
  constructor(opts: MetricOptions = {}) {
    super(metricName(opts, 'accuracy'));
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkElementwise(yTrue.shape, yPred.shape, `metric '${this.name}'`);
  }

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return perSample(tf.cast(tf.equal(asFloat(alignElementwise(yTrue, yPred)), asFloat(yPred)), 'float32'));
  }
}

/** Which accuracy Keras 3 picks for the string `'accuracy'`, from the shapes alone. */
export function accuracyKind(yTrue: readonly (number | null)[], yPred: readonly (number | null)[]): 'binary' | 'sparse' | 'categorical' {
  const cp = yPred[yPred.length - 1];
  const ct = yTrue[yTrue.length - 1];
  if (yPred.length <= 1 || cp === 1) return 'binary';
  if (yTrue.length < yPred.length || ct === 1) return 'sparse';
  return 'categorical';
}

/**
 * What the string `'accuracy'` (or `'acc'`) means in `compile`, decided as Keras 3 decides
 * it (`keras/src/trainers/compile_utils.py`), from the shapes of the targets and
 * predictions, not from the loss:
 * - predictions with one column (`[batch, 1]` or `[batch]`) → {@link BinaryAccuracy}
 *   (threshold 0.5);
 * - else targets of lower rank than the predictions, or with one column → {@link SparseCategoricalAccuracy};
 * - else → {@link CategoricalAccuracy} (argmax of both), *also* for multi-label sigmoid
 *   outputs trained with binary cross-entropy: ask for `'binaryAccuracy'` there.
 * strata adds one thing: when the loss is a binary loss with `fromLogits: true`, the
 * binary case applies the sigmoid first.
 */
export class AutoAccuracy extends PerSampleMean {
  /** Whether binary predictions are logits (the sigmoid is applied before the 0.5 threshold). */
  readonly fromLogits: boolean;

  constructor(opts: MetricOptions & { fromLogits?: boolean } = {}) {
    super(metricName(opts, 'accuracy'));
    this.fromLogits = opts.fromLogits ?? false;
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    const who = `metric '${this.name}'`;
    const kind = accuracyKind(yTrue.shape, yPred.shape);
    if (kind === 'binary') checkElementwise(yTrue.shape, yPred.shape, who);
    else if (kind === 'sparse') checkSparse(yTrue.shape, yPred.shape, who);
    else checkCategorical(yTrue.shape, yPred.shape, who);
  }

  protected values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const kind = accuracyKind(yTrue.shape, yPred.shape);
    if (kind === 'binary') return binaryHits(yTrue, this.fromLogits ? tf.sigmoid(asFloat(yPred)) : yPred, 0.5);
    const target = kind === 'sparse' ? sparseIndices(yTrue, yPred) : tf.argMax(yTrue, -1);
    return perSample(tf.cast(tf.equal(target, tf.argMax(yPred, -1)), 'float32'));
  }
}

/**
 * Binary accuracy: predictions above `threshold` (default 0.5) count as 1.
 * @example `st.metrics.binaryAccuracy({ threshold: 0.7 })`
 */
export function binaryAccuracy(opts: BinaryAccuracyOptions = {}): BinaryAccuracy {
  return new BinaryAccuracy(opts);
}

/** Categorical accuracy: argmax of one-hot targets vs argmax of predictions. */
export function categoricalAccuracy(opts: MetricOptions = {}): CategoricalAccuracy {
  return new CategoricalAccuracy(opts);
}

/** Sparse categorical accuracy: class-index targets vs argmax of predictions. */
export function sparseCategoricalAccuracy(opts: MetricOptions = {}): SparseCategoricalAccuracy {
  return new SparseCategoricalAccuracy(opts);
}

/**
 * Keras `Accuracy`: exact equality of prediction and target (for class ids, not
 * probabilities). `compile({ metrics: ['accuracy'] })` means something else: see {@link AutoAccuracy}.
 */
export function accuracy(opts: MetricOptions = {}): Accuracy {
  return new Accuracy(opts);
}
