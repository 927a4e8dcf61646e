import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkPositiveInt, convOutputLength } from '../conv/conv_utils.js';
import { AveragePooling2D } from './pooling2d.js';

/** Options of {@link maxPooling1d} and {@link averagePooling1d}. */
export interface Pooling1DOptions extends LayerOptions {
  /** Window length. Default 2. */
  poolSize?: number | [number];
  /** Window step. Default: `poolSize`. */
  strides?: number | [number];
  /** `'valid'` or `'same'`. Default `'valid'`. */
  padding?: 'valid' | 'same';
}

const one = (v: number | [number] | undefined | null, label: string, arg: string, fallback: number): number =>
  checkPositiveInt(Array.isArray(v) ? v[0] : (v ?? fallback), label, arg);

/** Max or average over windows of the time axis of `[batch, time, channels]`. */
export abstract class Pooling1D extends Layer {
  /** Window length. */
  readonly poolSize: number;
  /** Window step. */
  readonly strides: number;
  /** Border handling. */
  readonly padding: 'valid' | 'same';
  constructor(opts: Pooling1DOptions = {}) {
    super(opts);
    this.poolSize = one(opts.poolSize, this.label, 'poolSize', 2);
    this.strides = one(opts.strides, this.label, 'strides', this.poolSize);
    const p = opts.padding ?? 'valid';
    if (p !== 'valid' && p !== 'same') throw new ValueError(`${this.label}: 'padding' must be 'valid' or 'same'; got '${String(p)}'`);
    this.padding = p;
    this.inputSpec = { ndim: 3 };
  }
  /** Pools a sequence laid out as a one-row image `[batch, 1, steps, channels]`. */
  protected abstract pool(x: tf.Tensor4D): tf.Tensor4D;
  override computeOutputShape(inputShape: Shape): Shape {
    const t = convOutputLength(inputShape[1] ?? null, this.poolSize, this.padding, this.strides);
    if (t !== null && t <= 0) throw new ShapeError(`${this.label}: input of ${inputShape[1]} steps is shorter than the pool of ${this.poolSize}; input shape ${fmtShape(inputShape)}`);
    return [inputShape[0] ?? null, t, inputShape[2] ?? null];
  }
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor3D;
    return tf.squeeze(this.pool(tf.expandDims(x, 1) as tf.Tensor4D), [1]);
  }
  override getConfig(): Pooling1DOptions {
    return { ...super.getConfig(), poolSize: [this.poolSize], strides: [this.strides], padding: this.padding };
  }
}

/** Max over time windows (Keras `MaxPooling1D`). */
export class MaxPooling1D extends Pooling1D {
  get className(): string {
    return 'MaxPooling1D';
  }
  /** Pools a sequence laid out as a one-row image `[batch, 1, steps, channels]`. */
  protected pool(x: tf.Tensor4D): tf.Tensor4D {
    return tf.maxPool(x, [1, this.poolSize], [1, this.strides], this.padding);
  }
}

/** Mean over time windows (Keras `AveragePooling1D`; `'same'` windows average only real steps). */
export class AveragePooling1D extends Pooling1D {
  get className(): string {
    return 'AveragePooling1D';
  }
  // The 2-D layer on [batch, 1, time, channels] handles 'same' windows right in both directions
  // (tfjs' own avgPool gradient divides padded windows by the full window size).
  private inner?: AveragePooling2D;
  /** Pools a sequence laid out as a one-row image `[batch, 1, steps, channels]`. */
  protected pool(x: tf.Tensor4D): tf.Tensor4D {
    this.inner ??= new AveragePooling2D({ poolSize: [1, this.poolSize], strides: [1, this.strides], padding: this.padding });
    return this.inner.call(x, { training: false }) as tf.Tensor4D;
  }
}

/**
 * Max pooling over time.
 * @example
 * ```ts
 * st.layers.maxPooling1d({ poolSize: 2 })
 * ```
 */
export function maxPooling1d(opts: Pooling1DOptions = {}): MaxPooling1D {
  return new MaxPooling1D(opts);
}

/**
 * Average pooling over time.
 * @example
 * ```ts
 * st.layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' })
 * ```
 */
export function averagePooling1d(opts: Pooling1DOptions = {}): AveragePooling1D {
  return new AveragePooling1D(opts);
}
