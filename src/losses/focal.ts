import { tf } from '../backend/tf.js';
import { BaseLoss, axisOption, checkBoolOption, checkNumberOption } from './base.js';
import { EPSILON } from './crossentropy.js';
import type { TargetKind } from './loss.js';
import { alignElementwise, asFloat, axisLast, checkAxis, checkCategorical, checkElementwise, dimsAxisLast, perSample, type Dims } from './shapes.js';

/** Options of {@link binaryFocalCrossentropy}. */
export interface BinaryFocalCrossentropyOptions {
  /** Weigh positives by `alpha` and negatives by `1 - alpha`. Default false. */
  applyClassBalancing?: boolean;
  /** The positives' weight when `applyClassBalancing`, in [0, 1]. Default 0.25. */
  alpha?: number;
  /** Focusing exponent γ >= 0: easy examples are down-weighted by `(1 - p_t)^γ`. Default 2. */
  gamma?: number;
  /** Whether predictions are logits (the sigmoid is applied first). Default false. */
  fromLogits?: boolean;
  /** In [0, 1]: targets become `y (1 - s) + 0.5 s`. Default 0. */
  labelSmoothing?: number;
  /** The axis the mean is taken over first. Default -1. */
  axis?: number;
}

/**
 * Binary focal cross-entropy (Lin et al. 2017), Keras `BinaryFocalCrossentropy`:
 * `(1 - p_t)^γ · bce`, with `p_t = t p + (1 - t)(1 - p)`, optionally times
 * `t α + (1 - t)(1 - α)`, averaged along `axis`. Probabilities are clipped to
 * [1e-7, 1 - 1e-7] inside the cross-entropy.
 */
export class BinaryFocalCrossentropy extends BaseLoss {
  readonly name = 'binaryFocalCrossentropy';
  readonly className = 'BinaryFocalCrossentropy';
  readonly kind: TargetKind = 'binary';
  /** Whether class balancing by `alpha` is applied. */
  readonly applyClassBalancing: boolean;
  /** The positives' weight under class balancing. */
  readonly alpha: number;
  /** Focusing exponent. */
  readonly gamma: number;
  /** Whether predictions are logits. */
  readonly fromLogits: boolean;
  /** Label smoothing s. */
  readonly labelSmoothing: number;
  /** The axis the mean is taken over first. */
  readonly axis: number;

  constructor(opts: BinaryFocalCrossentropyOptions = {}) {
    super();
    const o = 'binaryFocalCrossentropy';
    this.applyClassBalancing = checkBoolOption(o, 'applyClassBalancing', opts.applyClassBalancing ?? false);
    this.alpha = checkNumberOption(o, 'alpha', opts.alpha ?? 0.25, 0, 1);
    this.gamma = checkNumberOption(o, 'gamma', opts.gamma ?? 2, 0, Infinity);
    this.fromLogits = checkBoolOption(o, 'fromLogits', opts.fromLogits ?? false);
    this.labelSmoothing = checkNumberOption(o, 'labelSmoothing', opts.labelSmoothing ?? 0, 0, 1);
    this.axis = axisOption(o, opts.axis ?? -1);
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    let t = asFloat(alignElementwise(yTrue, yPred));
    const s = this.labelSmoothing;
    if (s > 0) t = tf.add(tf.mul(t, 1 - s), 0.5 * s);
    let p = asFloat(yPred);
    if (this.fromLogits) p = tf.sigmoid(p);
    const c = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    const bce = tf.neg(tf.add(tf.mul(t, tf.log(c)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, c)))));
    const pT = tf.add(tf.mul(t, p), tf.mul(tf.sub(1, t), tf.sub(1, p)));
    let focal = tf.mul(tf.pow(tf.relu(tf.sub(1, pT)), this.gamma), bce);
    if (this.applyClassBalancing) {
      focal = tf.mul(tf.add(tf.mul(t, this.alpha), tf.mul(tf.sub(1, t), 1 - this.alpha)), focal);
    }
    return perSample(focal.rank <= 1 ? focal : tf.mean(axisLast(focal, this.axis), -1));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkAxis(yPred, this.axis, who);
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return {
      applyClassBalancing: this.applyClassBalancing, alpha: this.alpha, gamma: this.gamma,
      fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis,
    };
  }
}

/** Options of {@link categoricalFocalCrossentropy}. */
export interface CategoricalFocalCrossentropyOptions {
  /** Weighting factor α applied to every class's term. Default 0.25. */
  alpha?: number;
  /** Focusing exponent γ >= 0: confident predictions are down-weighted by `(1 - p)^γ`. Default 2. */
  gamma?: number;
  /** Whether predictions are logits (softmax is applied first). Default false. */
  fromLogits?: boolean;
  /** In [0, 1]: one-hot targets become `y (1 - s) + s / numClasses`. Default 0. */
  labelSmoothing?: number;
  /** The class axis. Default -1. */
  axis?: number;
}

/**
 * Categorical focal cross-entropy, Keras `CategoricalFocalCrossentropy`:
 * `sum(-α (1 - p)^γ · t log p)` over the class axis, with `p` renormalised to sum to 1 and
 * clipped to [1e-7, 1 - 1e-7].
 */
export class CategoricalFocalCrossentropy extends BaseLoss {
  readonly name = 'categoricalFocalCrossentropy';
  readonly className = 'CategoricalFocalCrossentropy';
  readonly kind: TargetKind = 'categorical';
  /** Weighting factor α. */
  readonly alpha: number;
  /** Focusing exponent γ. */
  readonly gamma: number;
  /** Whether predictions are logits. */
  readonly fromLogits: boolean;
  /** Label smoothing s. */
  readonly labelSmoothing: number;
  /** The class axis. */
  readonly axis: number;

  constructor(opts: CategoricalFocalCrossentropyOptions = {}) {
    super();
    const o = 'categoricalFocalCrossentropy';
    this.alpha = checkNumberOption(o, 'alpha', opts.alpha ?? 0.25, 0, Infinity);
    this.gamma = checkNumberOption(o, 'gamma', opts.gamma ?? 2, 0, Infinity);
    this.fromLogits = checkBoolOption(o, 'fromLogits', opts.fromLogits ?? false);
    this.labelSmoothing = checkNumberOption(o, 'labelSmoothing', opts.labelSmoothing ?? 0, 0, 1);
    this.axis = axisOption(o, opts.axis ?? -1);
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    let t = axisLast(asFloat(yTrue), this.axis);
    let p = axisLast(asFloat(yPred), this.axis);
    const s = this.labelSmoothing;
    if (s > 0) t = tf.add(tf.mul(t, 1 - s), s / p.shape[p.rank - 1]!);
    if (this.fromLogits) p = tf.softmax(p);
    const out = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPSILON, 1 - EPSILON);
    const cce = tf.neg(tf.mul(t, tf.log(out)));
    const factor = tf.mul(tf.pow(tf.sub(1, out), this.gamma), this.alpha);
    return perSample(tf.sum(tf.mul(factor, cce), -1));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkAxis(yPred, this.axis, who);
    checkCategorical(dimsAxisLast(yTrue, this.axis), dimsAxisLast(yPred, this.axis), who);
  }

  getConfig(): Record<string, unknown> {
    return { alpha: this.alpha, gamma: this.gamma, fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/**
 * Binary focal cross-entropy loss (Keras `binary_focal_crossentropy`).
 * @example `st.losses.binaryFocalCrossentropy({ gamma: 2, applyClassBalancing: true })`
 */
export function binaryFocalCrossentropy(opts: BinaryFocalCrossentropyOptions = {}): BinaryFocalCrossentropy {
  return new BinaryFocalCrossentropy(opts);
}

/**
 * Categorical focal cross-entropy loss for one-hot targets (Keras `categorical_focal_crossentropy`).
 * @example `st.losses.categoricalFocalCrossentropy({ fromLogits: true })`
 */
export function categoricalFocalCrossentropy(opts: CategoricalFocalCrossentropyOptions = {}): CategoricalFocalCrossentropy {
  return new CategoricalFocalCrossentropy(opts);
}
