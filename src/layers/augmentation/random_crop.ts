import { tf } from '../../backend/tf.js';
import type { Shape } from '../../engine/shape.js';
import { imageAxes } from '../conv/conv_utils.js';
import { checkSize, resizeImages } from '../preprocessing/image_ops.js';
import { RandomLayer, type RandomLayerOptions } from './random_layer.js';

/** Options of {@link randomCrop}. */
export interface RandomCropOptions extends RandomLayerOptions {
  /** Output height in pixels. Required. */
  height: number;
  /** Output width in pixels. Required. */
  width: number;
}

/** Where the crop window starts: `[top, left]`, or null to fall back to crop-and-resize. */
export type CropParams = [number, number] | null;

/**
 * Cuts a random `height × width` window out of the batch while training (Keras
 * `RandomCrop`: one window position per batch). At inference, and in training when the
 * images are not larger than the window in both directions, it cuts the largest centred
 * box of the window's aspect ratio and resizes it to `height × width` (bilinear), as
 * Keras documents it.
 */
export class RandomCrop extends RandomLayer<CropParams> {
  // A getter, not a field: the base constructor names the layer in its checks, before fields exist.
  get className(): string {
    return 'RandomCrop';
  }
  /** Output height. */
  readonly height: number;
  /** Output width. */
  readonly width: number;

  constructor(opts: RandomCropOptions) {
    super(opts);
    this.height = checkSize(opts?.height, this.label, 'height');
    this.width = checkSize(opts.width, this.label, 'width');
  }

  /** A window position uniform over all positions, or null when the images are too small. */
  sampleParams(_n: number, h: number, w: number): CropParams {
    if (h <= this.height || w <= this.width) return null;
    const [u, v] = this.uniform(2, 0, 1);
    return [Math.floor(u! * (h - this.height + 1)), Math.floor(v! * (w - this.width + 1))];
  }

  applyParams(x: tf.Tensor4D, p: CropParams): tf.Tensor4D {
    if (!p) return this.inference(x);
    return tf.slice(x, [0, p[0], p[1], 0], [-1, this.height, this.width, -1]);
  }

  protected override inference(x: tf.Tensor4D): tf.Tensor4D {
    return resizeImages(x, this.height, this.width, 'bilinear', true);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const ax = imageAxes(this.dataFormat);
    const out = [...inputShape];
    out[ax.h] = this.height;
    out[ax.w] = this.width;
    return out;
  }

  override getConfig(): RandomCropOptions {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

/**
 * Random crops for data augmentation.
 * @example
 * ```ts
 * st.layers.randomCrop({ height: 24, width: 24 }) // from 28 × 28 digits
 * ```
 */
export function randomCrop(opts: RandomCropOptions): RandomCrop {
  return new RandomCrop(opts);
}
