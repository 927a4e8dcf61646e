import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { checkInterpolation, type ImageInterpolation } from '../preprocessing/image_ops.js';
import { affineTransform, checkFillMode, type FillMode } from './affine.js';
import { RandomLayer, type RandomLayerOptions } from './random_layer.js';

/** Options of the geometric augmentation layers (rotation, zoom, translation). */
export interface RandomAffineOptions extends RandomLayerOptions {
  /**
   * How points outside the image are filled: `'reflect'` (mirror about the edge pixel's
   * outer border), `'wrap'`, `'constant'` (`fillValue`), `'nearest'` (edge pixel). Default `'reflect'`.
   */
  fillMode?: FillMode;
  /** `'bilinear'` or `'nearest'`. Default `'bilinear'`. */
  interpolation?: ImageInterpolation;
  /** The value of filled points with `fillMode: 'constant'`. Default 0. */
  fillValue?: number;
}

/**
 * The geometric augmentation layers: each draws one affine matrix per image (the
 * parameters are `[n · 8]` numbers) and applies them in one `Transform` kernel call.
 */
export abstract class RandomAffine extends RandomLayer<Float32Array> {
  /** Fill of points outside the image. */
  readonly fillMode: FillMode;
  /** Interpolation. */
  readonly interpolation: ImageInterpolation;
  /** Constant fill value. */
  readonly fillValue: number;

  constructor(opts: RandomAffineOptions = {}) {
    super(opts);
    this.fillMode = checkFillMode(opts.fillMode, this.label);
    this.interpolation = checkInterpolation(opts.interpolation, this.label);
    if (opts.fillValue !== undefined && (typeof opts.fillValue !== 'number' || !Number.isFinite(opts.fillValue))) {
      throw new ValueError(`${this.label}: 'fillValue' must be a finite number; got ${JSON.stringify(opts.fillValue)}`);
    }
    this.fillValue = opts.fillValue ?? 0;
  }

  /** Applies `[n · 8]` affine matrices (see `affine.ts`) to NHWC images. */
  applyParams(x: tf.Tensor4D, matrices: Float32Array): tf.Tensor4D {
    return affineTransform(x, matrices, this.interpolation, this.fillMode, this.fillValue);
  }

  /** The shared part of the config. */
  protected affineConfig(): RandomAffineOptions {
    return { ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
  }
}
