import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError } from '../../engine/errors.js';
import { Network } from '../../models/network.js';

/**
 * What an explanation explains: a model, or any differentiable function from a batch of
 * inputs `[n, ...]` to a batch of outputs `[n]` or `[n, k]` (scores, logits or
 * probabilities). Models run in inference mode (`training: false`).
 */
export type ExplainModel = Network | ((x: tf.Tensor) => tf.Tensor);

/**
 * Which output to explain, per sample: a class index for every sample, one index per
 * sample, or `'predicted'` (each sample's arg-max output). Single-output models ignore it.
 */
export type Target = number | readonly number[] | 'predicted';

/** The model as a function of one input batch, returning `[n, k]` (k = 1 for a single output). */
export function forwardOf(model: ExplainModel, owner: string): (x: tf.Tensor) => tf.Tensor2D {
  const run = model instanceof Network
    ? (x: tf.Tensor) => {
        if (model.inputShapes.length > 1 || model.outputShapes.length > 1) {
          throw new ValueError(`${owner}: explanations need a model with one input and one output; ${model.label} has ${model.inputShapes.length} and ${model.outputShapes.length}`);
        }
        return model.forward([x], { training: false })[0]!;
      }
    : model;
  if (typeof run !== 'function') {
    throw new ValueError(`${owner}: 'model' must be a strata model or a function of a tensor; got ${typeof model}`);
  }
  return (x) => {
    const y = run(x);
    if (y.rank === 1) return tf.reshape(y, [y.shape[0]!, 1]) as tf.Tensor2D;
    if (y.rank !== 2) throw new ShapeError(`${owner}: the model's output must be [n] or [n, k]; got rank ${y.rank} [${y.shape.join(',')}]`);
    return y as tf.Tensor2D;
  };
}

/** Builds a model that is not built yet from the input's shape (Sequential models built lazily). */
export function ensureBuilt(model: ExplainModel, x: tf.Tensor): void {
  if (model instanceof Network && !model.built) model.ensureBuilt([null, ...x.shape.slice(1)]);
}

/** The class index to explain for each of `n` samples, as int32 `[n]`. `outputs`: the model's `[n, k]`. */
export function targetIndices(outputs: tf.Tensor2D, target: Target | undefined, owner: string): tf.Tensor1D {
  const [n, k] = outputs.shape;
  if (k === 1) {
    if (target !== undefined && target !== 'predicted' && target !== 0 && !(Array.isArray(target) && target.every((t) => t === 0))) {
      throw new ValueError(`${owner}: the model has one output; 'target' must be 0, 'predicted' or left out; got ${JSON.stringify(target)}`);
    }
    return tf.zeros([n], 'int32');
  }
  if (target === undefined || target === 'predicted') return tf.argMax(outputs, 1) as tf.Tensor1D;
  const list = typeof target === 'number' ? new Array<number>(n).fill(target) : [...(target as readonly number[])];
  if (list.length !== n) throw new ValueError(`${owner}: 'target' lists ${list.length} classes for ${n} samples`);
  for (const t of list) {
    if (!Number.isInteger(t) || t < 0 || t >= k) {
      throw new ValueError(`${owner}: 'target' must hold class indices in [0, ${k}); got ${t}`);
    }
  }
  return tf.tensor1d(list, 'int32');
}

/** Each sample's output at its target index: `[n, k]`, `[n]` → `[n]`. Differentiable in `outputs`. */
export function selectOutputs(outputs: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    if (outputs.shape[1] === 1) return tf.reshape(outputs, [outputs.shape[0]!]) as tf.Tensor1D;
    const mask = tf.oneHot(indices, outputs.shape[1]!);
    return tf.sum(tf.mul(outputs, mask), 1) as tf.Tensor1D;
  });
}

/** Checks that `x` is a batch (rank ≥ 2, at least one sample); returns its sample count. */
export function batchSize(x: tf.Tensor, owner: string, what = 'x'): number {
  if (!(x instanceof tf.Tensor)) throw new ValueError(`${owner}: '${what}' must be a tensor; got ${typeof x}`);
  if (x.isDisposed) throw new ValueError(`${owner}: '${what}' has been disposed`);
  if (x.rank < 2 || x.shape[0] === 0) {
    throw new ShapeError(`${owner}: '${what}' must be a batch [n, ...] with n ≥ 1; got [${x.shape.join(',')}]`);
  }
  return x.shape[0]!;
}
