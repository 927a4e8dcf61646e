import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkDataFormat, imageAxes, type DataFormat } from '../conv/conv_utils.js';

/** Rows and columns of zeros: `p` everywhere, `[h, w]` symmetric, or `[[top, bottom], [left, right]]`. */
export type Padding2D = number | [number, number] | [[number, number], [number, number]];

/** Options of {@link zeroPadding2d}. */
export interface ZeroPadding2DOptions extends LayerOptions {
  /** Rows and columns of zeros to add (non-negative integers). Default 1. */
  padding?: Padding2D;
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
}

function isCount(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0;
}

function normalizePadding(p: Padding2D | undefined, owner: string): [[number, number], [number, number]] {
  const v = p ?? 1;
  if (isCount(v)) return [[v, v], [v, v]];
  if (Array.isArray(v) && v.length === 2) {
    const [a, b] = v as unknown[];
    if (isCount(a) && isCount(b)) return [[a, a], [b, b]];
    const pair = (q: unknown): q is [number, number] => Array.isArray(q) && q.length === 2 && q.every(isCount);
    if (pair(a) && pair(b)) return [[a[0], a[1]], [b[0], b[1]]];
  }
  throw new ValueError(
    `${owner}: 'padding' must be a non-negative integer, [height, width] or [[top, bottom], [left, right]]; got ${JSON.stringify(p)}`,
  );
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
    this.padding = normalizePadding(opts.padding, this.label);
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
