import { tf } from '../../backend/tf.js';
import { ValueError, fmtShape } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from '../../engine/regularizers.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';

/** Options of {@link batchNormalization}. */
export interface BatchNormalizationOptions extends LayerOptions {
  /** The feature (channel) axis, batch dimension included; negative counts from the end. Default -1. */
  axis?: number;
  /** Decay of the moving statistics, in [0, 1]: `moving = moving · momentum + batch · (1 − momentum)`. Default 0.99. */
  momentum?: number;
  /** Added to the variance before the square root (> 0). Default 1e-3. */
  epsilon?: number;
  /** Whether to add the learned offset `beta`. Default true. */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma`. Default true. */
  scale?: boolean;
  /** Initializer of `beta`. Default `'zeros'`. */
  betaInitializer?: InitializerIdentifier;
  /** Initializer of `gamma`. Default `'ones'`. */
  gammaInitializer?: InitializerIdentifier;
  /** Initializer of `moving_mean`. Default `'zeros'`. */
  movingMeanInitializer?: InitializerIdentifier;
  /** Initializer of `moving_variance`. Default `'ones'`. */
  movingVarianceInitializer?: InitializerIdentifier;
  /** Penalty on `beta`. Default none. */
  betaRegularizer?: RegularizerIdentifier;
  /** Penalty on `gamma`. Default none. */
  gammaRegularizer?: RegularizerIdentifier;
}

const DEFAULT_INIT = {
  betaInitializer: 'zeros',
  gammaInitializer: 'ones',
  movingMeanInitializer: 'zeros',
  movingVarianceInitializer: 'ones',
} as const;

/**
 * Batch normalization: `gamma · (x − mean) / sqrt(var + epsilon) + beta` per feature.
 * While training (and trainable) it uses the batch's mean and (biased) variance and moves
 * `moving_mean` / `moving_variance` towards them; otherwise it uses the moving statistics.
 * As in Keras, a frozen layer (`trainable = false`) always runs in inference mode, which
 * is what fine-tuning a pretrained network needs.
 */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  override supportsMasking = true;
  /** The feature axis, batch dimension included (negative counts from the end). */
  readonly axis: number;
  /** Decay of the moving statistics. */
  readonly momentum: number;
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Whether the learned offset `beta` is added. */
  readonly center: boolean;
  /** Whether the learned scale `gamma` multiplies. */
  readonly scale: boolean;
  private readonly opts: BatchNormalizationOptions;
  private gamma?: LayerWeight;
  private beta?: LayerWeight;
  private movingMean?: LayerWeight;
  private movingVariance?: LayerWeight;

  constructor(opts: BatchNormalizationOptions = {}) {
    super(opts);
    this.opts = opts;
    this.axis = opts.axis ?? -1;
    if (!Number.isInteger(this.axis)) {
      throw new ValueError(`${this.label}: 'axis' must be an integer; got ${String(opts.axis)}`);
    }
    this.momentum = opts.momentum ?? 0.99;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ValueError(`${this.label}: 'momentum' must be a number in [0, 1]; got ${String(opts.momentum)}`);
    }
    this.epsilon = opts.epsilon ?? 1e-3;
    if (typeof this.epsilon !== 'number' || !(this.epsilon > 0) || !Number.isFinite(this.epsilon)) {
      throw new ValueError(`${this.label}: 'epsilon' must be a finite number > 0; got ${String(opts.epsilon)}`);
    }
    this.center = opts.center ?? true;
    this.scale = opts.scale ?? true;
    for (const k of Object.keys(DEFAULT_INIT) as (keyof typeof DEFAULT_INIT)[]) {
      getInitializer(opts[k] ?? DEFAULT_INIT[k], this.label, k);
    }
    if (opts.betaRegularizer) getRegularizer(opts.betaRegularizer, this.label, 'betaRegularizer');
    if (opts.gammaRegularizer) getRegularizer(opts.gammaRegularizer, this.label, 'gammaRegularizer');
    this.inputSpec = { minNdim: 2 };
  }

  /** The axis as a non-negative index for inputs of rank `rank`; throws when out of range. */
  private positiveAxis(rank: number): number {
    const a = this.axis < 0 ? rank + this.axis : this.axis;
    if (a < 1 || a >= rank) {
      throw new ValueError(`${this.label}: 'axis' ${this.axis} is out of range (or the batch axis) for inputs of rank ${rank}`);
    }
    return a;
  }

  protected override build(inputShape: Shape): void {
    const a = this.positiveAxis(inputShape.length);
    const dim = inputShape[a];
    if (dim === null || dim === undefined) {
      throw new ValueError(`${this.label}: the size of axis ${this.axis} must be known; got input shape ${fmtShape(inputShape)}`);
    }
    const o = this.opts;
    const reg = (r?: RegularizerIdentifier) => (r ? getRegularizer(r) : undefined);
    if (this.scale) {
      this.gamma = this.addWeight('gamma', [dim], o.gammaInitializer ?? DEFAULT_INIT.gammaInitializer, { regularizer: reg(o.gammaRegularizer) });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', [dim], o.betaInitializer ?? DEFAULT_INIT.betaInitializer, { regularizer: reg(o.betaRegularizer) });
    }
    this.movingMean = this.addWeight('moving_mean', [dim], o.movingMeanInitializer ?? DEFAULT_INIT.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [dim], o.movingVarianceInitializer ?? DEFAULT_INIT.movingVarianceInitializer, { trainable: false });
    this.inputSpec = { ndim: inputShape.length, axes: { [a]: dim } };
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const a = this.positiveAxis(x.rank);
    const reduceAxes = x.shape.map((_, i) => i).filter((i) => i !== a);
    // Per-feature vectors broadcast directly when the axis is last; otherwise reshape them.
    const bshape = x.shape.map((d, i) => (i === a ? d : 1));
    const fit = (t: tf.Tensor) => (a === x.rank - 1 ? t : tf.reshape(t, bshape));

    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (ctx.training && this.trainable) {
      ({ mean, variance } = tf.moments(x, reduceAxes));
      this.updateMoving(this.movingMean!, mean);
      this.updateMoving(this.movingVariance!, variance);
    } else {
      mean = this.movingMean!.read();
      variance = this.movingVariance!.read();
    }
    // (x − mean) · inv rather than x · inv − mean · inv: no cancellation when the mean is
    // large against the spread. Written out because tf.batchNorm's gradient fails without gamma.
    let inv = tf.rsqrt(tf.add(variance, this.epsilon));
    if (this.gamma) inv = tf.mul(inv, this.gamma.read());
    const y = tf.mul(tf.sub(x, fit(mean)), fit(inv));
    return this.beta ? tf.add(y, fit(this.beta.read())) : y;
  }

  /**
   * `moving ← moving · momentum + batch · (1 − momentum)`. The new value feeds nothing the
   * output depends on, so gradients never flow through it; the temporary is freed here.
   */
  private updateMoving(w: LayerWeight, batch: tf.Tensor): void {
    const m = this.momentum;
    const next = tf.tidy(() => tf.add(tf.mul(w.read(), m), tf.mul(batch, 1 - m)));
    w.write(next);
    next.dispose();
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override getConfig(): BatchNormalizationOptions {
    const o = this.opts;
    const init = (k: keyof typeof DEFAULT_INIT) => serializeInitializer(getInitializer(o[k] ?? DEFAULT_INIT[k]));
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: init('betaInitializer'),
      gammaInitializer: init('gammaInitializer'),
      movingMeanInitializer: init('movingMeanInitializer'),
      movingVarianceInitializer: init('movingVarianceInitializer'),
      ...(o.betaRegularizer ? { betaRegularizer: serializeRegularizer(getRegularizer(o.betaRegularizer)) } : {}),
      ...(o.gammaRegularizer ? { gammaRegularizer: serializeRegularizer(getRegularizer(o.gammaRegularizer)) } : {}),
    };
  }
}

/**
 * Batch normalization over the feature axis (the last, by default).
 * @example
 * ```ts
 * st.layers.batchNormalization({ momentum: 0.9 })
 * ```
 */
export function batchNormalization(opts: BatchNormalizationOptions = {}): BatchNormalization {
  return new BatchNormalization(opts);
}
