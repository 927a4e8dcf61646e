import type { tf } from '../../backend/tf.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkDataFormat, fromChannelsLast, imageAxes, toChannelsLast, type DataFormat } from '../conv/conv_utils.js';
import { checkInterpolation, checkSize, resizeImages, type ImageInterpolation } from './image_ops.js';

/** Options of {@link resizing}. */
export interface ResizingOptions extends LayerOptions {
  /** Output height in pixels. Required. */
  height: number;
  /** Output width in pixels. Required. */
  width: number;
  /** `'bilinear'` or `'nearest'`. Default `'bilinear'`. */
  interpolation?: ImageInterpolation;
  /** Cut the largest centred box of the output's aspect ratio before resizing, so nothing is stretched. Default false. */
  cropToAspectRatio?: boolean;
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
}

/** Resizes a batch of images to `height × width` (Keras `Resizing`, half-pixel centres, no antialias). */
export class Resizing extends Layer {
  readonly className = 'Resizing';
  /** Output height. */
  readonly height: number;
  /** Output width. */
  readonly width: number;
  /** Interpolation. */
  readonly interpolation: ImageInterpolation;
  /** Whether a centred box of the target aspect ratio is cut first. */
  readonly cropToAspectRatio: boolean;
  /** Channel axis position. */
  readonly dataFormat: DataFormat;

  constructor(opts: ResizingOptions) {
    super(opts);
    this.height = checkSize(opts?.height, this.label, 'height');
    this.width = checkSize(opts.width, this.label, 'width');
    this.interpolation = checkInterpolation(opts.interpolation, this.label);
    this.cropToAspectRatio = opts.cropToAspectRatio ?? false;
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    this.inputSpec = { ndim: 4 };
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = toChannelsLast((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, this.dataFormat);
    return fromChannelsLast(resizeImages(x, this.height, this.width, this.interpolation, this.cropToAspectRatio), this.dataFormat);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const ax = imageAxes(this.dataFormat);
    const out = [...inputShape];
    out[ax.h] = this.height;
    out[ax.w] = this.width;
    return out;
  }

  override getConfig(): ResizingOptions {
    return {
      ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio, dataFormat: this.dataFormat,
    };
  }
}

/**
 * Resizes images.
 * @example
 * ```ts
 * st.layers.resizing({ height: 96, width: 96, cropToAspectRatio: true })
 * ```
 */
export function resizing(opts: ResizingOptions): Resizing {
  return new Resizing(opts);
}
