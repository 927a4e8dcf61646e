import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Mask, MaskInput } from '../../engine/mask.js';

/** Options of {@link masking}. */
export interface MaskingOptions extends LayerOptions {
  /** A time step whose features all equal this value is padding. Default 0. */
  maskValue?: number;
}

/**
 * Marks padding in `[batch, time, features]` data (Keras `Masking`): a step whose
 * features all equal `maskValue` is masked, and its values are zeroed.
 */
export class Masking extends Layer {
  readonly className = 'Masking';
  override supportsMasking = true;
  /** The padding value. */
  readonly maskValue: number;

  constructor(opts: MaskingOptions = {}) {
    super(opts);
    const v = opts.maskValue ?? 0;
    if (typeof v !== 'number' || Number.isNaN(v)) throw new ValueError(`${this.label}: 'maskValue' must be a number; got ${String(opts.maskValue)}`);
    this.maskValue = v;
    this.inputSpec = { minNdim: 3 };
  }

  private keep(x: tf.Tensor): tf.Tensor {
    return tf.any(tf.notEqual(x, this.maskValue), -1);
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    // The 0/1 factor is piecewise constant in x: its gradient is zero (tfjs has none for Any).
    const factor = tf.customGrad(((t: tf.Tensor) => ({
      value: tf.expandDims(tf.cast(this.keep(t), 'float32'), -1),
      gradFunc: () => tf.zerosLike(t),
    })) as never) as (t: tf.Tensor) => tf.Tensor;
    return tf.mul(x, factor(x));
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], _mask: MaskInput | undefined): Mask {
    return this.keep(Array.isArray(inputs) ? inputs[0]! : inputs);
  }

  override getConfig(): MaskingOptions {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

/**
 * Masks padded time steps.
 * @example
 * ```ts
 * st.layers.masking({ maskValue: 0 })
 * ```
 */
export function masking(opts: MaskingOptions = {}): Masking {
  return new Masking(opts);
}
