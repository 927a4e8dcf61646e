import { tf } from '../../backend/tf.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import {
  checkDataFormat, checkOutputSize, checkPadding, convOutputLength, fromChannelsLast, imageAxes,
  makeImageShape, normalizePair, samePadding, toChannelsLast, type DataFormat, type IntOrPair, type PaddingMode,
} from '../conv/conv_utils.js';

/** Options of {@link maxPooling2d} and {@link averagePooling2d}. */
export interface Pooling2DOptions extends LayerOptions {
  /** Window size, `p` or `[height, width]` (positive integers). Default 2. */
  poolSize?: IntOrPair;
  /** Step of the window, `s` or `[height, width]`. Default: the pool size. */
  strides?: IntOrPair | null;
  /** `'valid'` (no padding) or `'same'` (output size `ceil(in / stride)`). Default `'valid'`. */
  padding?: PaddingMode;
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
}

/** What the 2-D pooling layers share: options, their checks and the output shape. */
export abstract class Pooling2D extends Layer {
  /** Window size `[height, width]`. */
  readonly poolSize: [number, number];
  /** Window step `[height, width]`. */
  readonly strides: [number, number];
  /** Border handling. */
  readonly padding: PaddingMode;
  /** Channel axis position. */
  readonly dataFormat: DataFormat;

  constructor(opts: Pooling2DOptions = {}) {
    super(opts);
    this.poolSize = normalizePair(opts.poolSize, 2, this.label, 'poolSize');
    this.strides = normalizePair(opts.strides ?? undefined, this.poolSize, this.label, 'strides');
    this.padding = checkPadding(opts.padding, this.label);
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    this.inputSpec = { ndim: 4 };
  }

  /** The pooling op on an NHWC tensor. */
  protected abstract pool(x: tf.Tensor4D): tf.Tensor4D;

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = toChannelsLast((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, this.dataFormat);
    return fromChannelsLast(this.pool(x), this.dataFormat);
  }

  protected override build(inputShape: Shape): void {
    this.computeOutputShape(inputShape);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const ax = imageAxes(this.dataFormat);
    const out = [0, 1].map((i) =>
      convOutputLength(inputShape[i === 0 ? ax.h : ax.w] ?? null, this.poolSize[i]!, this.padding, this.strides[i]!));
    checkOutputSize(out, inputShape, this.label, 'pool window');
    return makeImageShape(this.dataFormat, inputShape[0] ?? null, out[0]!, out[1]!, inputShape[ax.c] ?? null);
  }

  override getConfig(): Pooling2DOptions {
    return {
      ...super.getConfig(),
      poolSize: [...this.poolSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
    };
  }
}

/** Max pooling over 2-D windows: the largest value of each window, per channel. */
export class MaxPooling2D extends Pooling2D {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'MaxPooling2D';
  }
  protected pool(x: tf.Tensor4D): tf.Tensor4D {
    return tf.maxPool(x, this.poolSize, this.strides, this.padding);
  }
}

/**
 * For each output position along one axis, the window size divided by the number of the
 * window's cells that lie inside the input (TensorFlow's 'same' placement).
 */
function coverageScale(len: number, k: number, stride: number, before: number, out: number): number[] {
  return Array.from({ length: out }, (_, i) => {
    const start = i * stride - before;
    return k / (Math.min(start + k, len) - Math.max(start, 0));
  });
}

/**
 * Average pooling over 2-D windows: the mean of each window, per channel. With `'same'`
 * padding the mean is over the window's cells inside the image, as in Keras.
 */
export class AveragePooling2D extends Pooling2D {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'AveragePooling2D';
  }
  protected pool(x: tf.Tensor4D): tf.Tensor4D {
    const [, h, w] = x.shape;
    const [kh, kw] = this.poolSize;
    const [sh, sw] = this.strides;
    const ph = this.padding === 'same' ? samePadding(h, kh, sh) : [0, 0] as [number, number];
    const pw = this.padding === 'same' ? samePadding(w, kw, sw) : [0, 0] as [number, number];
    if (ph[0] + ph[1] + pw[0] + pw[1] === 0) return tf.avgPool(x, this.poolSize, this.strides, 'valid');
    // tfjs' avgPool excludes padded cells going forward but its gradient divides by the full
    // window; zero-padding, a 'valid' mean and a per-position rescale are right both ways.
    const mean = tf.avgPool(tf.pad(x, [[0, 0], ph, pw, [0, 0]]), this.poolSize, this.strides, 'valid');
    const [, oh, ow] = mean.shape;
    const rows = coverageScale(h, kh, sh, ph[0], oh);
    const cols = coverageScale(w, kw, sw, pw[0], ow);
    const scale = tf.tensor4d(rows.flatMap((r) => cols.map((c) => r * c)), [1, oh, ow, 1]);
    return tf.mul(mean, scale);
  }
}

/**
 * Max pooling over 2-D windows (default 2×2, stride = window).
 * @example
 * ```ts
 * st.layers.maxPooling2d({ poolSize: 2 }) // [n, 28, 28, c] -> [n, 14, 14, c]
 * ```
 */
export function maxPooling2d(opts: Pooling2DOptions = {}): MaxPooling2D {
  return new MaxPooling2D(opts);
}

/**
 * Average pooling over 2-D windows (default 2×2, stride = window).
 * @example
 * ```ts
 * st.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' })
 * ```
 */
export function averagePooling2d(opts: Pooling2DOptions = {}): AveragePooling2D {
  return new AveragePooling2D(opts);
}
