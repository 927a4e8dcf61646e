import { tf } from '../backend/tf.js';
import { BaseLoss, checkNumberOption } from './base.js';
import { signedTargets } from './hinge.js';
import type { TargetKind } from './loss.js';
import { alignElementwise, asFloat, checkElementwise, perSample, type Dims } from './shapes.js';

/**
 * Mean squared error: `mean((yPred - yTrue)^2)` over each sample's values.
 * Targets `[batch]` against predictions `[batch, 1]` are aligned, not broadcast.
 */
export class MeanSquaredError extends BaseLoss {
  readonly name = 'meanSquaredError';
  readonly className = 'MeanSquaredError';
  readonly kind: TargetKind = 'regression';

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return perSample(tf.squaredDifference(asFloat(alignElementwise(yTrue, yPred)), asFloat(yPred)));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Mean absolute error: `mean(|yPred - yTrue|)` over each sample's values. */
export class MeanAbsoluteError extends BaseLoss {
  readonly name = 'meanAbsoluteError';
  readonly className = 'MeanAbsoluteError';
  readonly kind: TargetKind = 'regression';

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return perSample(tf.abs(tf.sub(asFloat(yPred), asFloat(alignElementwise(yTrue, yPred)))));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Options of {@link huber}. */
export interface HuberOptions {
  /** Where the loss turns from quadratic to linear (> 0). Default 1. */
  delta?: number;
}

/**
 * Huber loss: `0.5 x^2` for `|x| <= delta`, `delta (|x| - 0.5 delta)` beyond, with
 * `x = yPred - yTrue`, averaged over each sample's values.
 */
export class Huber extends BaseLoss {
  readonly name = 'huber';
  readonly className = 'Huber';
  readonly kind: TargetKind = 'regression';
  /** Where the loss turns from quadratic to linear. */
  readonly delta: number;

  constructor(opts: HuberOptions = {}) {
    super();
    this.delta = checkNumberOption('huber', 'delta', opts.delta ?? 1, 0, Infinity, true);
  }

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const err = tf.abs(tf.sub(asFloat(yPred), asFloat(alignElementwise(yTrue, yPred))));
    // min/subtract form: the gradient is continuous at |x| = delta and no branch is evaluated twice.
    const quad = tf.minimum(err, this.delta);
    const lin = tf.sub(err, quad);
    return perSample(tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(this.delta, lin)));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return { delta: this.delta };
  }
}

/**
 * Hinge loss: `mean(max(1 - yTrue * yPred, 0))`. Targets are -1/+1; targets that are all
 * 0/1 within a batch are mapped to -1/+1 first, as Keras does (decided on the device).
 */
export class Hinge extends BaseLoss {
  readonly name = 'hinge';
  readonly className = 'Hinge';
  readonly kind: TargetKind = 'binary';

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const signed = signedTargets(asFloat(alignElementwise(yTrue, yPred)));
    return perSample(tf.relu(tf.sub(1, tf.mul(signed, asFloat(yPred)))));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Mean squared error loss (Keras `mean_squared_error`, alias `mse`). */
export function meanSquaredError(): MeanSquaredError {
  return new MeanSquaredError();
}

/** Mean absolute error loss (Keras `mean_absolute_error`, alias `mae`). */
export function meanAbsoluteError(): MeanAbsoluteError {
  return new MeanAbsoluteError();
}

/**
 * Huber loss, quadratic near zero and linear beyond `delta`.
 * @example `st.losses.huber({ delta: 2 })`
 */
export function huber(opts: HuberOptions = {}): Huber {
  return new Huber(opts);
}

/** Hinge loss for -1/+1 (or 0/1) targets and raw scores. */
export function hinge(): Hinge {
  return new Hinge();
}
