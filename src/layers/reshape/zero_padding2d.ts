import { tf } from '../../backend/tf.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkDataFormat, imageAxes, type DataFormat } from '../conv/conv_utils.js';
import { normalizeBorders, type Borders2D } from './borders.js';

/** Rows and columns of zeros: `p` everywhere, `[h, w]` symmetric, or `[[top, bottom], [left, right]]`. */
export type Padding2D = Borders2D;

/** Options of {@link zeroPadding2d}. */
export interface ZeroPadding2DOptions extends LayerOptions {
  /** Rows and columns of zeros to add (non-negative integers). Default 1. */
  padding?: Padding2D;
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
}

/** Adds rows and columns of zeros around each image. */
export class ZeroPadding2D extends Layer {
  readonly className = 'ZeroPadding2D';
  /** Padding `[[top, bottom], [left, right]]`. */
  readonly padding: [[number, number], [number, number]];
  /** Channel axis position. */
  readonly dataFormat: DataFormat;

  constructor(opts: ZeroPadding2DOptions = {}) {
    super(opts);
    this.padding = normalizeBorders(opts.padding, 1, this.label, 'padding');
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    this.inputSpec = { ndim: 4 };
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const ax = imageAxes(this.dataFormat);
    const pads: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
    pads[ax.h] = [...this.padding[0]];
    pads[ax.w] = [...this.padding[1]];
    return tf.pad(x, pads);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const ax = imageAxes(this.dataFormat);
    const out = [...inputShape];
    const grow = (d: number | null | undefined, p: [number, number]) => (d === null || d === undefined ? null : d + p[0] + p[1]);
    out[ax.h] = grow(inputShape[ax.h], this.padding[0]);
    out[ax.w] = grow(inputShape[ax.w], this.padding[1]);
    return out;
  }

  override getConfig(): ZeroPadding2DOptions {
    return {
      ...super.getConfig(),
      padding: [[...this.padding[0]], [...this.padding[1]]],
      dataFormat: this.dataFormat,
    };
  }
}

/**
 * Pads images with zeros.
 * @example
 * ```ts
 * st.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }) // one row below, one column right
 * ```
 */
export function zeroPadding2d(opts: ZeroPadding2DOptions = {}): ZeroPadding2D {
  return new ZeroPadding2D(opts);
}
