import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import { checkTensor, describe } from './checks.js';

/** Options of {@link scale}. */
export interface ScaleOptions {
  /** The input range `[low, high]`; `low` maps to `to[0]` and `high` to `to[1]`. Default `[0, 255]` (8-bit pixels). */
  from?: readonly [number, number];
  /** The output range `[low, high]`. Default `[0, 1]`. */
  to?: readonly [number, number];
}

function checkRange(name: string, r: unknown): asserts r is readonly [number, number] {
  const ok = Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) throw new ValueError(`scale: option '${name}' must be a pair of finite numbers [low, high]; got ${describe(r)}`);
}

/**
 * Maps values linearly from one range to another (no clipping): `from[0]` goes to `to[0]`
 * and `from[1]` to `to[1]`. The usual use is pixels to `[0, 1]`.
 *
 * @param x - any tensor.
 * @returns a new float32 tensor of the same shape.
 * @throws ValueError when a range is not two finite numbers or `from` is empty (`from[0] === from[1]`).
 * @example
 * ```ts
 * const x01 = st.datasets.scale(pixels);                          // [0, 255] -> [0, 1]
 * const xpm = st.datasets.scale(pixels, { to: [-1, 1] });         // [0, 255] -> [-1, 1]
 * ```
 */
export function scale(x: tf.Tensor, options: ScaleOptions = {}): tf.Tensor {
  checkTensor('scale', 'x', x);
  const from = options.from ?? [0, 255];
  const to = options.to ?? [0, 1];
  checkRange('from', from);
  checkRange('to', to);
  if (from[0] === from[1]) {
    throw new ValueError(`scale: option 'from' must be a range of non-zero width; got [${from[0]}, ${from[1]}]`);
  }
  const factor = (to[1] - to[0]) / (from[1] - from[0]);
  return tf.tidy(() => tf.add(tf.mul(tf.sub(tf.cast(x, 'float32'), from[0]), factor), to[0]));
}
