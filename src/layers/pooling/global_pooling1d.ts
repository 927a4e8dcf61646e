import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { firstMask, maskAsFloat, type Mask, type MaskInput } from '../../engine/mask.js';
import type { Shape } from '../../engine/shape.js';

/** Options of the global 1-D pooling layers. */
export interface GlobalPooling1DOptions extends LayerOptions {
  /** Keep the time axis with length 1. Default false. */
  keepdims?: boolean;
}

/** Reduces the time axis of `[batch, time, channels]`; padded steps (mask) are left out. */
export abstract class GlobalPooling1D extends Layer {
  override supportsMasking = true;
  /** Whether the time axis stays (length 1). */
  readonly keepdims: boolean;
  constructor(opts: GlobalPooling1DOptions = {}) {
    super(opts);
    if (opts.keepdims !== undefined && typeof opts.keepdims !== 'boolean') {
      throw new ValueError(`${this.label}: 'keepdims' must be a boolean; got ${String(opts.keepdims)}`);
    }
    this.keepdims = opts.keepdims ?? false;
    this.inputSpec = { ndim: 3 };
  }
  /** Reduces `[batch, steps, channels]` over the steps, skipping steps the mask marks as padding. */
  protected abstract reduce(x: tf.Tensor, mask: Mask | null): tf.Tensor;
  override computeOutputShape(s: Shape): Shape {
    return this.keepdims ? [s[0] ?? null, 1, s[2] ?? null] : [s[0] ?? null, s[2] ?? null];
  }
  override computeMask(): null {
    return null;
  }
  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return this.reduce(x, firstMask(ctx.mask));
  }
  override getConfig(): GlobalPooling1DOptions {
    return { ...super.getConfig(), keepdims: this.keepdims };
  }
}

/** Mean over time (Keras `GlobalAveragePooling1D`); with a mask, the mean of the real steps only. */
export class GlobalAveragePooling1D extends GlobalPooling1D {
  get className(): string {
    return 'GlobalAveragePooling1D';
  }
  /** Reduces `[batch, steps, channels]` over the steps, skipping steps the mask marks as padding. */
  protected reduce(x: tf.Tensor, mask: Mask | null): tf.Tensor {
    if (!mask) return tf.mean(x, 1, this.keepdims);
    const m = maskAsFloat(mask, 3);
    return tf.div(tf.sum(tf.mul(x, m), 1, this.keepdims), tf.sum(m, 1, this.keepdims));
  }
}

/** Max over time (Keras `GlobalMaxPooling1D`); with a mask, padded steps never win. */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  get className(): string {
    return 'GlobalMaxPooling1D';
  }
  /** Reduces `[batch, steps, channels]` over the steps, skipping steps the mask marks as padding. */
  protected reduce(x: tf.Tensor, mask: Mask | null): tf.Tensor {
    if (!mask) return tf.max(x, 1, this.keepdims);
    const m = tf.broadcastTo(tf.expandDims(tf.cast(mask, 'bool'), -1), x.shape);
    return tf.max(tf.where(m, x, tf.fill(x.shape, -3.4e38)), 1, this.keepdims);
  }
}

/**
 * Mean over the time axis.
 * @example
 * ```ts
 * st.layers.globalAveragePooling1d()
 * ```
 */
export function globalAveragePooling1d(opts: GlobalPooling1DOptions = {}): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(opts);
}

/**
 * Max over the time axis.
 * @example
 * ```ts
 * st.layers.globalMaxPooling1d()
 * ```
 */
export function globalMaxPooling1d(opts: GlobalPooling1DOptions = {}): GlobalMaxPooling1D {
  return new GlobalMaxPooling1D(opts);
}
