import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkDataFormat, imageAxes, type DataFormat } from '../conv/conv_utils.js';

/** Options of {@link globalAveragePooling2d} and {@link globalMaxPooling2d}. */
export interface GlobalPooling2DOptions extends LayerOptions {
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
  /** Keep the pooled height and width as size-1 axes (rank 4 out) instead of dropping them. Default false. */
  keepdims?: boolean;
}

/** What the global pooling layers share: options, the pooled axes and the output shape. */
export abstract class GlobalPooling2D extends Layer {
  /** Channel axis position. */
  readonly dataFormat: DataFormat;
  /** Whether the pooled axes are kept as size 1. */
  readonly keepdims: boolean;

  constructor(opts: GlobalPooling2DOptions = {}) {
    super(opts);
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    if (opts.keepdims !== undefined && typeof opts.keepdims !== 'boolean') {
      throw new ValueError(`${this.label}: 'keepdims' must be a boolean; got ${JSON.stringify(opts.keepdims)}`);
    }
    this.keepdims = opts.keepdims ?? false;
    this.inputSpec = { ndim: 4 };
  }

  /** Height and width axes, which are reduced. */
  protected get spatialAxes(): [number, number] {
    const ax = imageAxes(this.dataFormat);
    return [ax.h, ax.w];
  }

  /** The reduction over the spatial axes. */
  protected abstract reduce(x: tf.Tensor): tf.Tensor;

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    return this.reduce(Array.isArray(inputs) ? inputs[0]! : inputs);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [h, w] = this.spatialAxes;
    if (this.keepdims) return inputShape.map((d, i) => (i === h || i === w ? 1 : d));
    return inputShape.filter((_, i) => i !== h && i !== w);
  }

  override getConfig(): GlobalPooling2DOptions {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}

/** The mean over height and width of each channel. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'GlobalAveragePooling2D';
  }
  protected reduce(x: tf.Tensor): tf.Tensor {
    return tf.mean(x, this.spatialAxes, this.keepdims);
  }
}

/** The maximum over height and width of each channel. */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'GlobalMaxPooling2D';
  }
  protected reduce(x: tf.Tensor): tf.Tensor {
    return tf.max(x, this.spatialAxes, this.keepdims);
  }
}

/**
 * Averages each channel over the whole image: `[n, h, w, c] -> [n, c]`.
 * @example
 * ```ts
 * st.layers.globalAveragePooling2d() // the usual head of a ResNet or MobileNet
 * ```
 */
export function globalAveragePooling2d(opts: GlobalPooling2DOptions = {}): GlobalAveragePooling2D {
  return new GlobalAveragePooling2D(opts);
}

/**
 * Takes each channel's maximum over the whole image: `[n, h, w, c] -> [n, c]`.
 * @example
 * ```ts
 * st.layers.globalMaxPooling2d({ keepdims: true }) // [n, 1, 1, c]
 * ```
 */
export function globalMaxPooling2d(opts: GlobalPooling2DOptions = {}): GlobalMaxPooling2D {
  return new GlobalMaxPooling2D(opts);
}
