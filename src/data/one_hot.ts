import { tf } from '../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../engine/errors.js';
import { checkInt, checkSamples } from './checks.js';

/**
 * Reads class indices from `[n]` or `[n, 1]` labels, checking each is an integer in
 * `[0, numClasses)`; shared by the helpers that need the label values on the host.
 */
export function readClassIndices(fn: string, arg: string, labels: tf.Tensor, numClasses = Infinity): Int32Array {
  if (labels.rank > 2 || (labels.rank === 2 && labels.shape[1] !== 1)) {
    throw new ShapeError(`${fn}: argument '${arg}' must hold class indices, shape [n] or [n,1]; got ${fmtShape(labels.shape)}`);
  }
  const values = labels.dataSync();
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      const range = numClasses === Infinity ? 'a non-negative integer' : `an integer in [0, ${numClasses})`;
      throw new ValueError(`${fn}: argument '${arg}' must hold class indices, each ${range}; got ${v} at index ${i}`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * One-hot encodes class indices (Keras `to_categorical`).
 *
 * @param labels - class indices, shape `[n]` or `[n, 1]`, int32 or integer-valued float32.
 * @param numClasses - number of classes; every label must lie in `[0, numClasses)`.
 * @returns a float32 tensor of shape `[n, numClasses]`.
 * @throws ValueError when a label is not an integer in range or `numClasses` is not a positive integer.
 * @example
 * ```ts
 * const y = st.datasets.oneHot(st.tf.tensor1d([0, 2], 'int32'), 3); // [[1,0,0],[0,0,1]]
 * ```
 */
export function oneHot(labels: tf.Tensor, numClasses: number): tf.Tensor2D {
  checkSamples('oneHot', 'labels', labels);
  checkInt('oneHot', 'numClasses', numClasses, 1);
  const idx = readClassIndices('oneHot', 'labels', labels, numClasses);
  const out = new Float32Array(idx.length * numClasses);
  for (let i = 0; i < idx.length; i++) out[i * numClasses + idx[i]!] = 1;
  return tf.tensor2d(out, [idx.length, numClasses], 'float32');
}
