import { tf } from '../backend/tf.js';

/**
 * A padding mask: a bool tensor `[batch, time]`, true where a time step holds data and
 * false where it is padding. Made by `embedding({ maskZero: true })` or `masking()`, it
 * travels beside the data from layer to layer: models pass it explicitly in
 * `CallContext.mask`, and each layer's `computeMask` says what mask its output carries.
 */
export type Mask = tf.Tensor;

/** The mask(s) a layer receives: one per input, `null` where an input carries none. */
export type MaskInput = Mask | null | (Mask | null)[];

/** The first mask of a mask input (the one a single-input layer sees). */
export function firstMask(mask: MaskInput | undefined): Mask | null {
  if (mask === undefined || mask === null) return null;
  return Array.isArray(mask) ? (mask[0] ?? null) : mask;
}

/** The mask of input `i` when a layer has several inputs. */
export function maskAt(mask: MaskInput | undefined, i: number): Mask | null {
  if (mask === undefined || mask === null) return null;
  return Array.isArray(mask) ? (mask[i] ?? null) : i === 0 ? mask : null;
}

/**
 * The mask as float32 `[batch, time, 1, …]` of the given rank, for multiplying into data of
 * that rank (1 on real steps, 0 on padding).
 */
export function maskAsFloat(mask: Mask, rank: number): tf.Tensor {
  return tf.tidy(() => {
    let m = tf.cast(mask, 'float32');
    while (m.rank < rank) m = tf.expandDims(m, -1);
    return m;
  });
}
