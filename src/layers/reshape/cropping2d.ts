import { tf } from '../../backend/tf.js';
import { ShapeError, fmtShape } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkDataFormat, imageAxes, type DataFormat } from '../conv/conv_utils.js';
import { normalizeBorders, type Borders2D } from './borders.js';

/** Rows and columns to cut: `c` everywhere, `[h, w]` symmetric, or `[[top, bottom], [left, right]]`. */
export type Cropping2DSpec = Borders2D;

/** Options of {@link cropping2d}. */
export interface Cropping2DOptions extends LayerOptions {
  /** Rows and columns to remove from the borders (non-negative integers). Default 0. */
  cropping?: Cropping2DSpec;
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
}

/** Removes rows and columns from the borders of each image (Keras `Cropping2D`). */
export class Cropping2D extends Layer {
  readonly className = 'Cropping2D';
  /** Cropping `[[top, bottom], [left, right]]`. */
  readonly cropping: [[number, number], [number, number]];
  /** Channel axis position. */
  readonly dataFormat: DataFormat;

  constructor(opts: Cropping2DOptions = {}) {
    super(opts);
    this.cropping = normalizeBorders(opts.cropping, 0, this.label, 'cropping');
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    this.inputSpec = { ndim: 4 };
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const out = this.computeOutputShape([null, ...x.shape.slice(1)]);
    const ax = imageAxes(this.dataFormat);
    const begin = [0, 0, 0, 0];
    begin[ax.h] = this.cropping[0][0];
    begin[ax.w] = this.cropping[1][0];
    const size = out.map((d) => d ?? -1);
    return tf.slice(x, begin, size);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const ax = imageAxes(this.dataFormat);
    const out = [...inputShape];
    const cut = (d: number | null | undefined, c: [number, number], what: string) => {
      if (d === null || d === undefined) return null;
      if (d - c[0] - c[1] <= 0) {
        throw new ShapeError(`${this.label}: cropping ${JSON.stringify(c)} leaves no ${what} of input shape ${fmtShape(inputShape)}`);
      }
      return d - c[0] - c[1];
    };
    out[ax.h] = cut(inputShape[ax.h], this.cropping[0], 'rows');
    out[ax.w] = cut(inputShape[ax.w], this.cropping[1], 'columns');
    return out;
  }

  override getConfig(): Cropping2DOptions {
    return { ...super.getConfig(), cropping: [[...this.cropping[0]], [...this.cropping[1]]], dataFormat: this.dataFormat };
  }
}

/**
 * Crops images at their borders.
 * @example
 * ```ts
 * st.layers.cropping2d({ cropping: [[0, 1], [0, 1]] }) // drop the last row and column
 * ```
 */
export function cropping2d(opts: Cropping2DOptions = {}): Cropping2D {
  return new Cropping2D(opts);
}
