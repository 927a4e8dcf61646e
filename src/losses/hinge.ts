import { tf } from '../backend/tf.js';
import { BaseLoss } from './base.js';
import type { TargetKind } from './loss.js';
import { alignElementwise, asFloat, checkCategorical, checkElementwise, perSample, type Dims } from './shapes.js';

/**
 * Targets as -1/+1: when every target in the batch is 0 or 1 they are mapped to -1/+1, as
 * Keras does (decided on the device, by arithmetic rather than a broadcast `where`).
 */
export function signedTargets(t: tf.Tensor): tf.Tensor {
  const zeroOne = tf.cast(tf.all(tf.logicalOr(tf.equal(t, 0), tf.equal(t, 1))), 'float32');
  return tf.add(t, tf.mul(zeroOne, tf.sub(t, 1)));
}

/** Squared hinge: `mean(max(1 - t · p, 0)²)` with -1/+1 (or 0/1) targets (Keras `SquaredHinge`). */
export class SquaredHinge extends BaseLoss {
  readonly name = 'squaredHinge';
  readonly className = 'SquaredHinge';
  readonly kind: TargetKind = 'binary';

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const t = signedTargets(asFloat(alignElementwise(yTrue, yPred)));
    return perSample(tf.square(tf.relu(tf.sub(1, tf.mul(t, asFloat(yPred))))));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkElementwise(yTrue, yPred, who);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/**
 * Categorical hinge: `max(max((1 - t) · p) - sum(t · p) + 1, 0)` over the last axis, for
 * one-hot targets and raw class scores (Keras `CategoricalHinge`).
 */
export class CategoricalHinge extends BaseLoss {
  readonly name = 'categoricalHinge';
  readonly className = 'CategoricalHinge';
  readonly kind: TargetKind = 'categorical';

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const t = asFloat(yTrue);
    const p = asFloat(yPred);
    const pos = tf.sum(tf.mul(t, p), -1);
    const neg = tf.max(tf.mul(tf.sub(1, t), p), -1);
    return perSample(tf.relu(tf.add(tf.sub(neg, pos), 1)));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkCategorical(yTrue, yPred, who, 'hinge');
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Squared hinge loss (Keras `squared_hinge`). */
export function squaredHinge(): SquaredHinge {
  return new SquaredHinge();
}

/** Categorical hinge loss for one-hot targets (Keras `categorical_hinge`). */
export function categoricalHinge(): CategoricalHinge {
  return new CategoricalHinge();
}
