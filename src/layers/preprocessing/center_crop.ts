import { tf } from '../../backend/tf.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkDataFormat, fromChannelsLast, imageAxes, toChannelsLast, type DataFormat } from '../conv/conv_utils.js';
import { checkSize, resizeImages } from './image_ops.js';

/** Options of {@link centerCrop}. */
export interface CenterCropOptions extends LayerOptions {
  /** Output height in pixels. Required. */
  height: number;
  /** Output width in pixels. Required. */
  width: number;
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
}

/**
 * Cuts the central `height × width` window out of each image (Keras `CenterCrop`). An image
 * smaller than the window in either direction is instead cropped to the window's aspect
 * ratio and resized up (bilinear), as Keras' `smart_resize` does.
 */
export class CenterCrop extends Layer {
  readonly className = 'CenterCrop';
  /** Output height. */
  readonly height: number;
  /** Output width. */
  readonly width: number;
  /** Channel axis position. */
  readonly dataFormat: DataFormat;

  constructor(opts: CenterCropOptions) {
    super(opts);
    this.height = checkSize(opts?.height, this.label, 'height');
    this.width = checkSize(opts.width, this.label, 'width');
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    this.inputSpec = { ndim: 4 };
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = toChannelsLast((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, this.dataFormat);
    const [, h, w] = x.shape;
    const dh = h - this.height;
    const dw = w - this.width;
    const y = dh >= 0 && dw >= 0
      ? tf.slice(x, [0, Math.floor(dh / 2), Math.floor(dw / 2), 0], [-1, this.height, this.width, -1])
      : resizeImages(x, this.height, this.width, 'bilinear', true);
    return fromChannelsLast(y, this.dataFormat);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const ax = imageAxes(this.dataFormat);
    const out = [...inputShape];
    out[ax.h] = this.height;
    out[ax.w] = this.width;
    return out;
  }

  override getConfig(): CenterCropOptions {
    return { ...super.getConfig(), height: this.height, width: this.width, dataFormat: this.dataFormat };
  }
}

/**
 * Crops the centre of each image to `height × width`.
 * @example
 * ```ts
 * st.layers.centerCrop({ height: 224, width: 224 })
 * ```
 */
export function centerCrop(opts: CenterCropOptions): CenterCrop {
  return new CenterCrop(opts);
}
