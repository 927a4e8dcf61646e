/**
 * Weight values in and out of a layer or model, as Keras' and tfjs-layers'
 * `get_weights()` / `set_weights()`: copies out, checked assignments in.
 * @module
 */
import { tf } from '../backend/tf.js';
import { ShapeError, StateError, ValueError, fmtShape } from './errors.js';
import type { LayerWeight } from './weight.js';

/** Copies of the weights' values, in the given order. The caller owns them. */
export function readWeightValues(weights: readonly LayerWeight[]): tf.Tensor[] {
  return weights.map((w) => tf.clone(w.read()));
}

/**
 * Assigns `values` to `weights` position by position, after checking all of them: the
 * count, that each is a tensor, and each shape. Integer tensors are cast to float32.
 * Nothing is assigned when any check fails. The caller keeps ownership of `values`.
 * @param owner - names the layer or model and method in errors, e.g. `Dense 'dense'.setWeights`.
 * @param built - false for a layer that has not made its weights yet.
 * @throws ValueError for a wrong count or a non-tensor, ShapeError for a wrong shape, StateError for an unbuilt layer given values.
 */
export function writeWeightValues(weights: readonly LayerWeight[], values: readonly tf.Tensor[], owner: string, built = true): void {
  if (!Array.isArray(values)) {
    throw new ValueError(`${owner}: expected a list of tensors; got ${values === null ? 'null' : typeof values}`);
  }
  if (!built && values.length > 0) {
    throw new StateError(`${owner}: the layer is not built, so it has no weights yet; build it (call it on data or give it an inputShape) before setting ${values.length} weight(s)`);
  }
  if (values.length !== weights.length) {
    throw new ValueError(`${owner}: expected ${weights.length} tensors (one per weight: ${weights.map((w) => w.name).join(', ') || 'none'}); got ${values.length}`);
  }
  weights.forEach((w, i) => {
    const raw: unknown = values[i];
    if (!(raw instanceof tf.Tensor)) {
      throw new ValueError(`${owner}: value ${i} for weight '${w.name}' must be a tensor; got ${raw === null ? 'null' : typeof raw}`);
    }
    const v = raw as tf.Tensor;
    if (v.dtype !== 'float32' && v.dtype !== 'int32' && v.dtype !== 'bool') {
      throw new ValueError(`${owner}: value ${i} for weight '${w.name}' must be numeric; got dtype '${v.dtype}'`);
    }
    if (v.shape.length !== w.shape.length || v.shape.some((d, j) => d !== w.shape[j])) {
      throw new ShapeError(`${owner}: weight '${w.name}' has shape ${fmtShape(w.shape)}, got ${fmtShape(v.shape)} (value ${i})`);
    }
  });
  weights.forEach((w, i) => {
    const v = values[i]!;
    if (v.dtype === 'float32') {
      w.write(v);
    } else {
      const f = tf.cast(v, 'float32');
      w.write(f);
      f.dispose();
    }
  });
}
