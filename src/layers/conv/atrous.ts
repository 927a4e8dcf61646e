/**
 * Dilated (atrous) windows by space-to-batch. tfjs-core's convolution gradients refuse
 * dilation rates above 1, so a dilated layer could not be trained with the kernels alone.
 * A stride-1 window of dilation `d` over an image equals an undilated window over each of
 * its `d_h · d_w` phase images (every d-th row and column, at each offset), which
 * `spaceToBatchND` gathers into the batch and `batchToSpaceND` interleaves back. Every step
 * has a registered gradient, and no multiply is spent on inserted zeros.
 * @module
 */
import { tf } from '../../backend/tf.js';

/** Padding of the two spatial axes: `[[top, bottom], [left, right]]`. */
export type SpatialPads = [[number, number], [number, number]];

// Rows (or columns) to add so that `len` becomes a multiple of `d`.
function roundUp(len: number, d: number): number {
  return (d - (len % d)) % d;
}

/**
 * Runs a stride-1 window op at dilation `d` on an NHWC tensor.
 * @param x - input, NHWC.
 * @param d - dilation `[dh, dw]`.
 * @param pads - zero padding the dilated op would apply to `x`.
 * @param op - the same op with dilation 1, `'valid'` padding and stride 1.
 */
export function atrous(x: tf.Tensor4D, d: [number, number], pads: SpatialPads, op: (x: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const eh = roundUp(x.shape[1] + pads[0][0] + pads[0][1], d[0]);
  const ew = roundUp(x.shape[2] + pads[1][0] + pads[1][1], d[1]);
  const phases = tf.spaceToBatchND(x, d, [[pads[0][0], pads[0][1] + eh], [pads[1][0], pads[1][1] + ew]]);
  return tf.batchToSpaceND(op(phases), d, [[0, eh], [0, ew]]);
}

/**
 * Runs a stride-1 transposed window op at dilation `d` on an NHWC tensor: the adjoint of
 * {@link atrous}, so `pads` are the paddings of the forward convolution it transposes.
 * @param x - input, NHWC.
 * @param d - dilation `[dh, dw]`.
 * @param pads - padding of the forward convolution whose transpose this is.
 * @param op - the transposed op with dilation 1, `'valid'` padding and stride 1, applied to
 *   the phase images (each grows by `kernel - 1` rows and columns).
 */
export function atrousTranspose(
  x: tf.Tensor4D,
  d: [number, number],
  pads: SpatialPads,
  op: (x: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor4D {
  const eh = roundUp(x.shape[1], d[0]);
  const ew = roundUp(x.shape[2], d[1]);
  const phases = tf.spaceToBatchND(x, d, [[0, eh], [0, ew]]);
  return tf.batchToSpaceND(op(phases), d, [[pads[0][0], pads[0][1] + eh], [pads[1][0], pads[1][1] + ew]]);
}
