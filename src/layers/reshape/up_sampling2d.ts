import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import {
  checkDataFormat, fromChannelsLast, imageAxes, normalizePair, toChannelsLast, type DataFormat, type IntOrPair,
} from '../conv/conv_utils.js';

/** How {@link UpSampling2D} fills the new pixels. */
export type Interpolation = 'nearest' | 'bilinear';

/** Options of {@link upSampling2d}. */
export interface UpSampling2DOptions extends LayerOptions {
  /** Upsampling factor, `f` or `[height, width]` (positive integers). Default 2. */
  size?: IntOrPair;
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
  /**
   * `'nearest'` repeats each pixel; `'bilinear'` interpolates with half-pixel centers, as
   * Keras' `tf.image.resize` does. Default `'nearest'`.
   */
  interpolation?: Interpolation;
}

/**
 * The `[len, len · f]` matrix of bilinear weights with half-pixel centers (input rows,
 * output columns): output `o` reads input coordinate `(o + 0.5) / f − 0.5`, clamped to the
 * image. Laid out for a plain `x · m` product, the fast form on every backend.
 */
function bilinearWeights(len: number, f: number): number[][] {
  const out = len * f;
  const m = Array.from({ length: len }, () => new Array<number>(out).fill(0));
  const clamp = (i: number) => Math.min(len - 1, Math.max(0, i));
  for (let o = 0; o < out; o++) {
    const c = (o + 0.5) / f - 0.5;
    const lo = Math.floor(c);
    const t = c - lo;
    m[clamp(lo)]![o]! += 1 - t;
    m[clamp(lo + 1)]![o]! += t;
  }
  return m;
}

/** Enlarges images by whole factors, repeating or interpolating pixels. */
export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D';
  /** Factor `[height, width]`. */
  readonly size: [number, number];
  /** Channel axis position. */
  readonly dataFormat: DataFormat;
  /** How new pixels are filled. */
  readonly interpolation: Interpolation;

  constructor(opts: UpSampling2DOptions = {}) {
    super(opts);
    this.size = normalizePair(opts.size, 2, this.label, 'size');
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    const interp = opts.interpolation ?? 'nearest';
    if (interp !== 'nearest' && interp !== 'bilinear') {
      throw new ValueError(`${this.label}: 'interpolation' must be 'nearest' or 'bilinear'; got '${String(opts.interpolation)}'`);
    }
    this.interpolation = interp;
    this.inputSpec = { ndim: 4 };
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = toChannelsLast((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, this.dataFormat);
    const [n, h, w, c] = x.shape;
    const [fh, fw] = this.size;
    let y: tf.Tensor4D;
    if (this.interpolation === 'nearest') {
      // Repeats by broadcasting; tfjs' resizeNearestNeighbor gradient mixes up the samples
      // of a batch on the cpu backend.
      const spread = tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, fh, 1, fw, 1]));
      y = tf.reshape(spread, [n, h * fh, w * fw, c]);
    } else {
      // Two small matrix products with the interpolation weights; tfjs' resizeBilinear
      // gradient ignores half-pixel centers, so it would train on the wrong derivative.
      const aw = tf.tensor2d(bilinearWeights(w, fw));
      const ah = tf.tensor2d(bilinearWeights(h, fh));
      const rows = tf.reshape(tf.transpose(x, [0, 1, 3, 2]), [n * h * c, w]);
      const wide = tf.reshape(tf.matMul(rows, aw), [n, h, c, w * fw]);
      const cols = tf.reshape(tf.transpose(wide, [0, 2, 3, 1]), [n * c * w * fw, h]);
      const tall = tf.reshape(tf.matMul(cols, ah), [n, c, w * fw, h * fh]);
      y = tf.transpose(tall, [0, 3, 2, 1]) as tf.Tensor4D;
    }
    return fromChannelsLast(y, this.dataFormat);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const ax = imageAxes(this.dataFormat);
    const out = [...inputShape];
    const grow = (d: number | null | undefined, f: number) => (d === null || d === undefined ? null : d * f);
    out[ax.h] = grow(inputShape[ax.h], this.size[0]);
    out[ax.w] = grow(inputShape[ax.w], this.size[1]);
    return out;
  }

  override getConfig(): UpSampling2DOptions {
    return { ...super.getConfig(), size: [...this.size], dataFormat: this.dataFormat, interpolation: this.interpolation };
  }
}

/**
 * Enlarges images by whole factors.
 * @example
 * ```ts
 * st.layers.upSampling2d({ size: 2, interpolation: 'bilinear' }) // [n, 8, 8, c] -> [n, 16, 16, c]
 * ```
 */
export function upSampling2d(opts: UpSampling2DOptions = {}): UpSampling2D {
  return new UpSampling2D(opts);
}
