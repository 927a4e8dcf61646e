/**
 * Option checks, shape arithmetic and layout helpers shared by the convolution, pooling
 * and reshaping layers.
 * @module
 */
import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import type { Shape } from '../../engine/shape.js';

/** How a window treats the borders: `'valid'` (no padding) or `'same'` (output size `ceil(in / stride)`). */
export type PaddingMode = 'valid' | 'same';

/** Where the channel axis is: `'channelsLast'` (NHWC, the default) or `'channelsFirst'` (NCHW). */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** A size given for both spatial axes at once, or as `[height, width]`. */
export type IntOrPair = number | [number, number];

/** Activations that tfjs-core can fuse into its convolution kernels. */
export const FUSABLE_ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid']);

/**
 * Turns `n` or `[h, w]` into `[h, w]`, checking every entry is an integer `>= min`.
 * @throws ValueError naming `owner` and `arg`.
 */
export function normalizePair(value: IntOrPair | undefined, fallback: IntOrPair, owner: string, arg: string, min = 1): [number, number] {
  const v = value ?? fallback;
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((d) => !Number.isInteger(d) || d < min)) {
    const what = min === 0 ? 'non-negative' : 'positive';
    throw new ValueError(`${owner}: '${arg}' must be a ${what} integer or a pair of them; got ${JSON.stringify(value)}`);
  }
  return [pair[0]!, pair[1]!];
}

/** Checks a padding mode. @throws ValueError naming `owner`. */
export function checkPadding(p: string | undefined, owner: string): PaddingMode {
  const v = p ?? 'valid';
  if (v !== 'valid' && v !== 'same') {
    throw new ValueError(`${owner}: 'padding' must be 'valid' or 'same'; got '${String(p)}'`);
  }
  return v;
}

/** Checks a data format. @throws ValueError naming `owner`. */
export function checkDataFormat(f: string | undefined, owner: string): DataFormat {
  const v = f ?? 'channelsLast';
  if (v !== 'channelsLast' && v !== 'channelsFirst') {
    throw new ValueError(`${owner}: 'dataFormat' must be 'channelsLast' or 'channelsFirst'; got '${String(f)}'`);
  }
  return v;
}

/** Checks a positive integer option. @throws ValueError naming `owner` and `arg`. */
export function checkPositiveInt(v: unknown, owner: string, arg: string): number {
  if (!Number.isInteger(v) || (v as number) <= 0) {
    throw new ValueError(`${owner}: '${arg}' must be a positive integer; got ${JSON.stringify(v)}`);
  }
  return v as number;
}

/**
 * Keras rejects a stride above 1 together with a dilation above 1, and so do tfjs-core's
 * kernels. @throws ValueError naming `owner`.
 */
export function checkStridesDilation(strides: [number, number], dilation: [number, number], owner: string): void {
  if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
    throw new ValueError(
      `${owner}: 'strides' > 1 cannot be combined with 'dilationRate' > 1; got strides ${JSON.stringify(strides)} and dilationRate ${JSON.stringify(dilation)}`,
    );
  }
}

/** Kernel extent once dilated: `(k - 1) · d + 1`. */
export function dilatedSize(k: number, d: number): number {
  return (k - 1) * d + 1;
}

/** Output length of a convolution or pooling window along one axis (Keras' formula); null stays null. */
export function convOutputLength(len: number | null, k: number, padding: PaddingMode, stride: number, dilation = 1): number | null {
  if (len === null) return null;
  const kd = dilatedSize(k, dilation);
  const out = padding === 'same' ? len : len - kd + 1;
  return Math.floor((out + stride - 1) / stride);
}

/** Output length of a transposed convolution along one axis (Keras' formula, no output padding). */
export function deconvOutputLength(len: number | null, k: number, padding: PaddingMode, stride: number, dilation = 1): number | null {
  if (len === null) return null;
  const kd = dilatedSize(k, dilation);
  return padding === 'same' ? len * stride : len * stride + Math.max(kd - stride, 0);
}

/** Padding before and after one axis, as tfjs-core and TensorFlow place it for `'same'`. */
export function samePadding(len: number, kd: number, stride: number): [number, number] {
  const out = Math.ceil(len / stride);
  const total = Math.max(0, (out - 1) * stride + kd - len);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The axes of height, width and channels of a rank-4 shape in `fmt`. */
export function imageAxes(fmt: DataFormat): { h: number; w: number; c: number } {
  return fmt === 'channelsLast' ? { h: 1, w: 2, c: 3 } : { h: 2, w: 3, c: 1 };
}

/** Makes an NCHW tensor NHWC; NHWC passes through. */
export function toChannelsLast<T extends tf.Tensor>(x: T, fmt: DataFormat): T {
  return fmt === 'channelsFirst' ? tf.transpose(x, [0, 2, 3, 1]) : x;
}

/** Returns an NHWC result to the layer's own format. */
export function fromChannelsLast<T extends tf.Tensor>(y: T, fmt: DataFormat): T {
  return fmt === 'channelsFirst' ? tf.transpose(y, [0, 3, 1, 2]) : y;
}

/** Builds a rank-4 shape in `fmt` from batch, height, width and channels. */
export function makeImageShape(fmt: DataFormat, n: number | null, h: number | null, w: number | null, c: number | null): Shape {
  return fmt === 'channelsLast' ? [n, h, w, c] : [n, c, h, w];
}

/**
 * The number of input channels, which must be known to create weights.
 * @throws ShapeError naming `owner` and the shape.
 */
export function knownChannels(inputShape: Shape, fmt: DataFormat, owner: string): number {
  const c = inputShape[imageAxes(fmt).c];
  if (c === null || c === undefined) {
    throw new ShapeError(`${owner}: the channel dimension of the input must be known; got shape ${fmtShape(inputShape)}`);
  }
  return c;
}

/**
 * Checks that a window leaves a non-empty output.
 * @throws ShapeError naming `owner`, the input shape and the sizes that do not fit.
 */
export function checkOutputSize(out: (number | null)[], inputShape: Shape, owner: string, what: string): void {
  if (out.some((d) => d !== null && d <= 0)) {
    throw new ShapeError(
      `${owner}: the ${what} is larger than the input; input shape ${fmtShape(inputShape)} gives output size ${fmtShape(out)}`,
    );
  }
}
