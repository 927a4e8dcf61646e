import { tf } from '../backend/tf.js';
import { BaseLoss, checkBoolOption, checkNumberOption } from './base.js';
import type { TargetKind } from './loss.js';
import {
  alignElementwise, asFloat, checkCategorical, checkElementwise, checkSparse, perSample, sparseIndices, type Dims,
} from './shapes.js';

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before the log, as Keras does. */
export const EPSILON = 1e-7;

/** Options of {@link binaryCrossentropy}. */
export interface BinaryCrossentropyOptions {
  /** Whether predictions are logits (any real) rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** In [0, 1]: targets become `y (1 - s) + 0.5 s`. Default 0. */
  labelSmoothing?: number;
}

/** Options of {@link categoricalCrossentropy}. */
export interface CategoricalCrossentropyOptions {
  /** Whether predictions are logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** In [0, 1]: one-hot targets become `y (1 - s) + s / numClasses`. Default 0. */
  labelSmoothing?: number;
}

/** Options of {@link sparseCategoricalCrossentropy}. */
export interface SparseCategoricalCrossentropyOptions {
  /** Whether predictions are logits rather than probabilities. Default false. */
  fromLogits?: boolean;
}

/** `-sum(t log p)` over the last axis, with p renormalised and clipped, or from log-softmax of logits. */
function categoricalCore(t: tf.Tensor, pred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  const logP = fromLogits
    ? tf.logSoftmax(pred)
    : tf.log(tf.clipByValue(tf.div(pred, tf.sum(pred, -1, true)), EPSILON, 1 - EPSILON));
  return perSample(tf.neg(tf.sum(tf.mul(t, logP), -1)));
}

/**
 * Binary cross-entropy of independent 0/1 targets, averaged over each sample's values.
 * From probabilities: clipped to [1e-7, 1 - 1e-7]. From logits: the stable form
 * `max(x, 0) - x y + log(1 + exp(-|x|))`.
 */
export class BinaryCrossentropy extends BaseLoss {
  readonly name = 'binaryCrossentropy';
  readonly className = 'BinaryCrossentropy';
  readonly kind: TargetKind = 'binary';
  /** Whether predictions are logits rather than probabilities. */
  readonly fromLogits: boolean;
  /** Label smoothing s: targets become `y (1 - s) + 0.5 s`. */
  readonly labelSmoothing: number;

  constructor(opts: BinaryCrossentropyOptions = {}) {
    super();
    this.fromLogits = checkBoolOption('binaryCrossentropy', 'fromLogits', opts.fromLogits ?? false);
    this.labelSmoothing = checkNumberOption('binaryCrossentropy', 'labelSmoothing', opts.labelSmoothing ?? 0, 0, 1);
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    let t = asFloat(alignElementwise(yTrue, yPred));
    const s = this.labelSmoothing;
    if (s > 0) t = tf.add(tf.mul(t, 1 - s), 0.5 * s);
    const p = asFloat(yPred);
    if (this.fromLogits) {
      const stable = tf.add(tf.sub(tf.relu(p), tf.mul(p, t)), tf.log1p(tf.exp(tf.neg(tf.abs(p)))));
      return perSample(stable);
    }
    const c = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    const ll = tf.add(tf.mul(t, tf.log(c)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, c))));
    return perSample(tf.neg(ll));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

/**
 * Categorical cross-entropy of one-hot (or probability) targets over the last axis.
 * Probabilities are renormalised to sum to 1 and clipped; logits go through log-softmax.
 */
export class CategoricalCrossentropy extends BaseLoss {
  readonly name = 'categoricalCrossentropy';
  readonly className = 'CategoricalCrossentropy';
  readonly kind: TargetKind = 'categorical';
  /** Whether predictions are logits rather than probabilities. */
  readonly fromLogits: boolean;
  /** Label smoothing s: one-hot targets become `y (1 - s) + s / numClasses`. */
  readonly labelSmoothing: number;

  constructor(opts: CategoricalCrossentropyOptions = {}) {
    super();
    this.fromLogits = checkBoolOption('categoricalCrossentropy', 'fromLogits', opts.fromLogits ?? false);
    this.labelSmoothing = checkNumberOption(
      'categoricalCrossentropy', 'labelSmoothing', opts.labelSmoothing ?? 0, 0, 1,
    );
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    let t = asFloat(yTrue);
    const s = this.labelSmoothing;
    if (s > 0) t = tf.add(tf.mul(t, 1 - s), s / yPred.shape[yPred.rank - 1]!);
    return categoricalCore(t, asFloat(yPred), this.fromLogits);
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkCategorical(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

/**
 * Categorical cross-entropy with class-index targets (`[batch]` or `[batch, 1]`, float or
 * int). Equals {@link CategoricalCrossentropy} on the one-hot encoding of the targets.
 * An index outside `[0, classes)` cannot be detected without reading the targets back from
 * the device; it encodes as an all-zero row and contributes a loss of 0.
 */
export class SparseCategoricalCrossentropy extends BaseLoss {
  readonly name = 'sparseCategoricalCrossentropy';
  readonly className = 'SparseCategoricalCrossentropy';
  readonly kind: TargetKind = 'sparse';
  /** Whether predictions are logits rather than probabilities. */
  readonly fromLogits: boolean;

  constructor(opts: SparseCategoricalCrossentropyOptions = {}) {
    super();
    this.fromLogits = checkBoolOption('sparseCategoricalCrossentropy', 'fromLogits', opts.fromLogits ?? false);
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const numClasses = yPred.shape[yPred.rank - 1]!;
    // equal-against-range rather than tf.oneHot: the wasm OneHot kernel of tfjs 4.22 writes
    // int32 bits into a float32 output.
    const classes = tf.range(0, numClasses, 1, 'int32');
    const t = tf.cast(tf.equal(tf.expandDims(sparseIndices(yTrue, yPred), -1), classes), 'float32');
    return categoricalCore(t, asFloat(yPred), this.fromLogits);
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkSparse(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return { fromLogits: this.fromLogits };
  }
}

/**
 * Binary cross-entropy loss (Keras `binary_crossentropy`, alias `bce`).
 * @example `st.losses.binaryCrossentropy({ fromLogits: true })`
 */
export function binaryCrossentropy(opts: BinaryCrossentropyOptions = {}): BinaryCrossentropy {
  return new BinaryCrossentropy(opts);
}

/**
 * Categorical cross-entropy loss for one-hot targets (Keras `categorical_crossentropy`).
 * @example `st.losses.categoricalCrossentropy({ labelSmoothing: 0.1 })`
 */
export function categoricalCrossentropy(opts: CategoricalCrossentropyOptions = {}): CategoricalCrossentropy {
  return new CategoricalCrossentropy(opts);
}

/**
 * Categorical cross-entropy loss for class-index targets
 * (Keras `sparse_categorical_crossentropy`).
 */
export function sparseCategoricalCrossentropy(
  opts: SparseCategoricalCrossentropyOptions = {},
): SparseCategoricalCrossentropy {
  return new SparseCategoricalCrossentropy(opts);
}
