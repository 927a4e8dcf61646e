import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError } from '../../engine/errors.js';

/** An image or map to draw: a tensor `[h, w]`, `[h, w, 1]`, `[h, w, 3]` (or with a leading batch of 1), or rows of numbers. */
export type PixelSource = tf.Tensor | readonly (readonly number[])[];

/** Host pixels: `h × w × c` values, row-major. */
export interface Pixels {
  height: number;
  width: number;
  channels: number;
  data: Float32Array;
}

/** Reads a pixel source to the host (plots are drawn on the CPU). */
export function readPixels(src: PixelSource, owner: string): Pixels {
  if (src instanceof tf.Tensor) {
    if (src.isDisposed) throw new ValueError(`${owner}: the tensor has been disposed`);
    const shape = src.rank === 4 && src.shape[0] === 1 ? src.shape.slice(1) : src.shape;
    if (shape.length === 2) return { height: shape[0]!, width: shape[1]!, channels: 1, data: Float32Array.from(src.dataSync()) };
    if (shape.length === 3 && (shape[2] === 1 || shape[2] === 3)) {
      return { height: shape[0]!, width: shape[1]!, channels: shape[2]!, data: Float32Array.from(src.dataSync()) };
    }
    throw new ShapeError(`${owner}: expected an image [h, w], [h, w, 1] or [h, w, 3]; got [${src.shape.join(',')}]`);
  }
  if (!Array.isArray(src) || src.length === 0 || !Array.isArray(src[0])) {
    throw new ValueError(`${owner}: expected a tensor or rows of numbers`);
  }
  const h = src.length;
  const w = src[0]!.length;
  const data = new Float32Array(h * w);
  src.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== w) throw new ShapeError(`${owner}: rows must all have ${w} numbers; row ${i} has ${Array.isArray(row) ? row.length : typeof row}`);
    row.forEach((v, j) => (data[i * w + j] = v));
  });
  return { height: h, width: w, channels: 1, data };
}

/** Finite minimum and maximum of values (0 and 1 when there are none). */
export function range(data: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? [0, 1] : [lo, hi];
}

/** Bilinear sample of channel `ch` at fractional pixel (x, y), edges clamped. */
export function sample(p: Pixels, x: number, y: number, ch = 0): number {
  const x0 = Math.max(0, Math.min(p.width - 1, Math.floor(x)));
  const y0 = Math.max(0, Math.min(p.height - 1, Math.floor(y)));
  const x1 = Math.min(p.width - 1, x0 + 1);
  const y1 = Math.min(p.height - 1, y0 + 1);
  const fx = Math.max(0, Math.min(1, x - x0));
  const fy = Math.max(0, Math.min(1, y - y0));
  const at = (xx: number, yy: number) => p.data[(yy * p.width + xx) * p.channels + ch]!;
  return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
}
