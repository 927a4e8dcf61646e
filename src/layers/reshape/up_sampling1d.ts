import { tf } from '../../backend/tf.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkPositiveInt } from '../conv/conv_utils.js';

/** Options of {@link upSampling1d}. */
export interface UpSampling1DOptions extends LayerOptions {
  /** How many times each step is repeated. Default 2. */
  size?: number;
}

/** Repeats each time step `size` times: `[b, t, c]` → `[b, t·size, c]` (Keras `UpSampling1D`). */
export class UpSampling1D extends Layer {
  readonly className = 'UpSampling1D';
  /** Repeat count. */
  readonly size: number;
  constructor(opts: UpSampling1DOptions = {}) {
    super(opts);
    this.size = checkPositiveInt(opts.size ?? 2, this.label, 'size');
    this.inputSpec = { ndim: 3 };
  }
  override computeOutputShape(s: Shape): Shape {
    return [s[0] ?? null, s[1] === null || s[1] === undefined ? null : s[1] * this.size, s[2] ?? null];
  }
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [b, t, c] = x.shape as [number, number, number];
    return tf.reshape(tf.tile(tf.expandDims(x, 2), [1, 1, this.size, 1]), [b, t * this.size, c]);
  }
  override getConfig(): UpSampling1DOptions {
    return { ...super.getConfig(), size: this.size };
  }
}

/**
 * Repeats each time step.
 * @example
 * ```ts
 * st.layers.upSampling1d({ size: 2 })
 * ```
 */
export function upSampling1d(opts: UpSampling1DOptions = {}): UpSampling1D {
  return new UpSampling1D(opts);
}
