import { tf } from '../../backend/tf.js';
import { ValueError, fmtShape } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';

/** Options of {@link layerNormalization}. */
export interface LayerNormalizationOptions extends LayerOptions {
  /** Axis or axes normalized over (negative counts from the end). Default -1. */
  axis?: number | number[];
  /** Added to the variance. Default 1e-3 (Keras). */
  epsilon?: number;
  /** Add the learned offset `beta`. Default true. */
  center?: boolean;
  /** Multiply by the learned scale `gamma`. Default true. */
  scale?: boolean;
  /** Initializer of `beta`. Default `'zeros'`. */
  betaInitializer?: InitializerIdentifier;
  /** Initializer of `gamma`. Default `'ones'`. */
  gammaInitializer?: InitializerIdentifier;
}

/**
 * Normalizes each sample over its feature axis (Keras `LayerNormalization`):
 * `(x − mean) / sqrt(var + ε) · gamma + beta`, statistics per sample, the same in training
 * and inference. Weights `gamma`, `beta` of the normalized axes' shape.
 */
export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  override supportsMasking = true;
  /** Normalized axes, as given. */
  readonly axis: number | number[];
  /** Variance offset. */
  readonly epsilon: number;
  /** Whether beta is added. */
  readonly center: boolean;
  /** Whether gamma multiplies. */
  readonly scale: boolean;
  private readonly opts: LayerNormalizationOptions;
  private gamma?: LayerWeight;
  private beta?: LayerWeight;
  private axes: number[] = [];

  constructor(opts: LayerNormalizationOptions = {}) {
    super(opts);
    this.opts = opts;
    this.axis = opts.axis ?? -1;
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    if (list.length === 0 || list.some((a) => !Number.isInteger(a))) {
      throw new ValueError(`${this.label}: 'axis' must be an integer or a list of integers; got ${JSON.stringify(opts.axis)}`);
    }
    this.epsilon = opts.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) throw new ValueError(`${this.label}: 'epsilon' must be > 0; got ${String(opts.epsilon)}`);
    this.center = opts.center ?? true;
    this.scale = opts.scale ?? true;
    getInitializer(opts.betaInitializer ?? 'zeros', this.label, 'betaInitializer');
    getInitializer(opts.gammaInitializer ?? 'ones', this.label, 'gammaInitializer');
  }

  protected override build(inputShape: Shape): void {
    const rank = inputShape.length;
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    this.axes = list.map((a) => (a < 0 ? rank + a : a)).sort((a, b) => a - b);
    if (this.axes.some((a) => a <= 0 || a >= rank) || new Set(this.axes).size !== this.axes.length) {
      throw new ValueError(`${this.label}: 'axis' ${JSON.stringify(this.axis)} does not fit input shape ${fmtShape(inputShape)} (the batch axis cannot be normalized)`);
    }
    const shape = this.axes.map((a) => inputShape[a]);
    if (shape.some((d) => d === null || d === undefined)) {
      throw new ValueError(`${this.label}: the normalized axes must have known sizes; got input shape ${fmtShape(inputShape)}`);
    }
    const wShape = shape as number[];
    if (this.scale) this.gamma = this.addWeight('gamma', wShape, this.opts.gammaInitializer ?? 'ones');
    if (this.center) this.beta = this.addWeight('beta', wShape, this.opts.betaInitializer ?? 'zeros');
  }

  /** gamma/beta reshaped to broadcast against an input of `rank`. */
  private broadcast(w: tf.Tensor, rank: number): tf.Tensor {
    const shape = Array.from({ length: rank }, (_, i) => (this.axes.includes(i) ? w.shape[this.axes.indexOf(i)]! : 1));
    return tf.reshape(w, shape);
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const { mean, variance } = tf.moments(x, this.axes, true);
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    if (this.gamma) y = tf.mul(y, this.broadcast(this.gamma.read(), x.rank));
    if (this.beta) y = tf.add(y, this.broadcast(this.beta.read(), x.rank));
    return y;
  }

  override getConfig(): LayerNormalizationOptions {
    const o = this.opts;
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(getInitializer(o.betaInitializer ?? 'zeros')),
      gammaInitializer: serializeInitializer(getInitializer(o.gammaInitializer ?? 'ones')),
    };
  }
}

/**
 * Layer normalization.
 * @example
 * ```ts
 * st.layers.layerNormalization({ epsilon: 1e-6 })
 * ```
 */
export function layerNormalization(opts: LayerNormalizationOptions = {}): LayerNormalization {
  return new LayerNormalization(opts);
}
