import { sparseCrossentropyFromProbabilities } from '../backend/sparse_crossentropy.js';
import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import { BaseLoss, axisOption, checkBoolOption, checkNumberOption } from './base.js';
import type { TargetKind } from './loss.js';
import {
  alignElementwise, asFloat, axisLast, checkAxis, checkCategorical, checkElementwise, checkSparse, dimsAxisLast, perSample,
  sparseIndices, type Dims,
} from './shapes.js';

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before the log, as Keras does. */
export const EPSILON = 1e-7;

/** Options of {@link binaryCrossentropy}. */
export interface BinaryCrossentropyOptions {
  /** Whether predictions are logits (any real) rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** In [0, 1]: targets become `y (1 - s) + 0.5 s`. Default 0. */
  labelSmoothing?: number;
  /** The axis the mean is taken over first (Keras' `axis`). Default -1. */
  axis?: number;
}

/** Options of {@link categoricalCrossentropy}. */
export interface CategoricalCrossentropyOptions {
  /** Whether predictions are logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /**
   * In [0, 1]: one-hot targets become `y (1 - s) + s / numClasses`, `numClasses` being the
   * size of the class `axis`. Default 0.
   */
  labelSmoothing?: number;
  /** The class axis (negative counts from the end). Default -1. */
  axis?: number;
}

/** Options of {@link sparseCategoricalCrossentropy}. */
export interface SparseCategoricalCrossentropyOptions {
  /** Whether predictions are logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /**
   * A label value that contributes no loss (e.g. a padding or "void" class such as -1 or
   * 255): its entries weigh 0 and the mean is taken over the other entries, as Keras does.
   * Default: none.
   */
  ignoreClass?: number | null;
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
  /** The axis the mean is taken over first. */
  readonly axis: number;

  constructor(opts: BinaryCrossentropyOptions = {}) {
    super();
    this.fromLogits = checkBoolOption('binaryCrossentropy', 'fromLogits', opts.fromLogits ?? false);
    this.labelSmoothing = checkNumberOption('binaryCrossentropy', 'labelSmoothing', opts.labelSmoothing ?? 0, 0, 1);
    this.axis = axisOption('binaryCrossentropy', opts.axis ?? -1);
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    let t = asFloat(alignElementwise(yTrue, yPred));
    const s = this.labelSmoothing;
    if (s > 0) t = tf.add(tf.mul(t, 1 - s), 0.5 * s);
    const p = asFloat(yPred);
    let values: tf.Tensor;
    if (this.fromLogits) {
      values = tf.add(tf.sub(tf.relu(p), tf.mul(p, t)), tf.log1p(tf.exp(tf.neg(tf.abs(p)))));
    } else {
      const c = tf.clipByValue(p, EPSILON, 1 - EPSILON);
      values = tf.neg(tf.add(tf.mul(t, tf.log(c)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, c)))));
    }
    return perSample(values.rank <= 1 ? values : tf.mean(axisLast(values, this.axis), -1));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkAxis(yPred, this.axis, who);
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
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
  /** The class axis. */
  readonly axis: number;

  constructor(opts: CategoricalCrossentropyOptions = {}) {
    super();
    this.fromLogits = checkBoolOption('categoricalCrossentropy', 'fromLogits', opts.fromLogits ?? false);
    this.labelSmoothing = checkNumberOption(
      'categoricalCrossentropy', 'labelSmoothing', opts.labelSmoothing ?? 0, 0, 1,
    );
    this.axis = axisOption('categoricalCrossentropy', opts.axis ?? -1);
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    let t = axisLast(asFloat(yTrue), this.axis);
    const p = axisLast(asFloat(yPred), this.axis);
    const s = this.labelSmoothing;
    if (s > 0) t = tf.add(tf.mul(t, 1 - s), s / p.shape[p.rank - 1]!);
    return categoricalCore(t, p, this.fromLogits);
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkAxis(yPred, this.axis, who);
    checkCategorical(dimsAxisLast(yTrue, this.axis), dimsAxisLast(yPred, this.axis), who);
  }

  getConfig(): Record<string, unknown> {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/**
 * Categorical cross-entropy with class-index targets (`[batch]` or `[batch, 1]`, float or
 * int). Equals {@link CategoricalCrossentropy} on the one-hot encoding of the targets.
 * With `ignoreClass`, entries with that label weigh 0 and the others `total / valid`, so the
 * batch mean is the mean over the valid entries, as in Keras. `fit` and `evaluate` check
 * once per call that every label is an integer in `[0, classes)` (or the ignored class).
 */
export class SparseCategoricalCrossentropy extends BaseLoss {
  readonly name = 'sparseCategoricalCrossentropy';
  readonly className = 'SparseCategoricalCrossentropy';
  readonly kind: TargetKind = 'sparse';
  /** Whether predictions are logits rather than probabilities. */
  readonly fromLogits: boolean;
  /** The label value that contributes no loss; null for none. */
  readonly ignoreClass: number | null;

  constructor(opts: SparseCategoricalCrossentropyOptions = {}) {
    super();
    this.fromLogits = checkBoolOption('sparseCategoricalCrossentropy', 'fromLogits', opts.fromLogits ?? false);
    const ic = opts.ignoreClass ?? null;
    if (ic !== null && !(typeof ic === 'number' && Number.isInteger(ic))) {
      throw new ValueError(`sparseCategoricalCrossentropy: 'ignoreClass' must be an integer or null; got ${String(ic)}`);
    }
    this.ignoreClass = ic;
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const numClasses = yPred.shape[yPred.rank - 1]!;
    const labels = sparseIndices(yTrue, yPred);
    const p = asFloat(yPred);
    if (this.ignoreClass === null && !this.fromLogits) {
      // One operation with a gradient of its own where the backend has strata's kernels.
      const fused = sparseCrossentropyFromProbabilities(labels, p, EPSILON);
      if (fused) return perSample(fused);
    }
    // equal-against-range rather than tf.oneHot: the wasm OneHot kernel of tfjs 4.22 writes
    // int32 bits into a float32 output.
    const classes = tf.range(0, numClasses, 1, 'int32');
    const t = tf.cast(tf.equal(tf.expandDims(labels, -1), classes), 'float32');
    if (this.ignoreClass === null) return categoricalCore(t, p, this.fromLogits);
    const valid = tf.cast(tf.notEqual(labels, this.ignoreClass), 'float32');
    // Ignored entries are computed like any other and then weighed 0 (a divNoNan here
    // would have no gradient in tfjs).
    const logP = this.fromLogits ? tf.logSoftmax(p) : tf.log(tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPSILON, 1 - EPSILON));
    const perEntry = tf.neg(tf.sum(tf.mul(t, logP), -1));
    const scale = tf.divNoNan(tf.scalar(valid.size), tf.sum(valid));
    return perSample(tf.mul(tf.mul(perEntry, valid), scale));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkSparse(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return { fromLogits: this.fromLogits, ignoreClass: this.ignoreClass };
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
