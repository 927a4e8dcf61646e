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

/**
 * Reduces the time axis of `[batch, time, channels]`. The mask stops here; how a layer uses
 * it is Keras': the average leaves padded steps out, the max takes every step.
 */
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
  /** Reduces `[batch, steps, channels]` over the steps, given the input's padding mask. */
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

/**
 * Max over time (Keras `GlobalMaxPooling1D`). As in Keras (and tfjs-layers), the mask is not
 * applied: padded steps count, so a model loaded from a Keras file predicts as Keras does.
 */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  get className(): string {
    return 'GlobalMaxPooling1D';
  }
  /** The max over every step; Keras' `GlobalMaxPooling1D.call` takes no mask. */
  protected reduce(x: tf.Tensor, _mask: Mask | null): tf.Tensor {
    return tf.max(x, 1, this.keepdims);
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
