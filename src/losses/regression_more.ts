import { tf } from '../backend/tf.js';
import { BaseLoss } from './base.js';
import { EPSILON } from './crossentropy.js';
import type { TargetKind } from './loss.js';
import { alignElementwise, asFloat, checkElementwise, perSample, type Dims } from './shapes.js';

/** An elementwise loss of aligned float targets and predictions, averaged per sample. */
abstract class ElementwiseLoss extends BaseLoss {
  /** What targets it expects: real values, compared entry by entry. */
  readonly kind: TargetKind = 'regression';

  /** The loss of each entry. */
  protected abstract elementwise(t: tf.Tensor, p: tf.Tensor): tf.Tensor;

  protected compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return perSample(this.elementwise(asFloat(alignElementwise(yTrue, yPred)), asFloat(yPred)));
  }

  protected shapeRule(yTrue: Dims, yPred: Dims, who: string): void {
    checkElementwise(yTrue, yPred, who);
  }

  /** No options: an empty config. */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Mean absolute percentage error: `100 · mean(|t - p| / max(|t|, 1e-7))` (Keras `MeanAbsolutePercentageError`). */
export class MeanAbsolutePercentageError extends ElementwiseLoss {
  /** Canonical camelCase name. */
  readonly name = 'meanAbsolutePercentageError';
  /** Keras class name, for saved configs. */
  readonly className = 'MeanAbsolutePercentageError';

  protected elementwise(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
    return tf.mul(100, tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), EPSILON))));
  }
}

/**
 * Mean squared logarithmic error: `mean((log(max(p, ε) + 1) - log(max(t, ε) + 1))²)`
 * (Keras `MeanSquaredLogarithmicError`; negative values count as ε).
 */
export class MeanSquaredLogarithmicError extends ElementwiseLoss {
  /** Canonical camelCase name. */
  readonly name = 'meanSquaredLogarithmicError';
  /** Keras class name, for saved configs. */
  readonly className = 'MeanSquaredLogarithmicError';

  protected elementwise(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
    return tf.squaredDifference(tf.log1p(tf.maximum(p, EPSILON)), tf.log1p(tf.maximum(t, EPSILON)));
  }
}

/**
 * Log-cosh: `mean(log(cosh(p - t)))`, computed as `x + softplus(-2x) - log 2`, which does
 * not overflow for large errors (Keras `LogCosh`). About `x²/2` near 0 and `|x| - log 2` far out.
 */
export class LogCosh extends ElementwiseLoss {
  /** Canonical camelCase name. */
  readonly name = 'logCosh';
  /** Keras class name, for saved configs. */
  readonly className = 'LogCosh';

  protected elementwise(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
    const x = tf.sub(p, t);
    return tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.log(2));
  }
}

/**
 * Poisson loss: `mean(p - t · log(p + 1e-7))` for count targets and positive rate
 * predictions (Keras `Poisson`). It omits the `log(t!)` term, so it can be negative.
 */
export class Poisson extends ElementwiseLoss {
  /** Canonical camelCase name. */
  readonly name = 'poisson';
  /** Keras class name, for saved configs. */
  readonly className = 'Poisson';

  protected elementwise(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
    return tf.sub(p, tf.mul(t, tf.log(tf.add(p, EPSILON))));
  }
}

/** Mean absolute percentage error loss (Keras `mean_absolute_percentage_error`, alias `mape`). */
export function meanAbsolutePercentageError(): MeanAbsolutePercentageError {
  return new MeanAbsolutePercentageError();
}

/** Mean squared logarithmic error loss (Keras `mean_squared_logarithmic_error`, alias `msle`). */
export function meanSquaredLogarithmicError(): MeanSquaredLogarithmicError {
  return new MeanSquaredLogarithmicError();
}

/** Log-cosh loss (Keras `log_cosh`). */
export function logCosh(): LogCosh {
  return new LogCosh();
}

/** Poisson loss for count data (Keras `poisson`). */
export function poisson(): Poisson {
  return new Poisson();
}
