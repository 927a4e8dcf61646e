import { tf } from '../backend/tf.js';
import { ShapeError, fmtShape } from '../engine/errors.js';

/** A shape whose dimensions may be unknown (`null`). */
export type Dims = readonly (number | null)[];

function both(yTrue: Dims, yPred: Dims): string {
  return `got yTrue ${fmtShape(yTrue)} and yPred ${fmtShape(yPred)}`;
}

function dimsAgree(a: Dims, b: Dims): boolean {
  if (a.length !== b.length) return false;
  return a.every((d, i) => d === null || b[i] === null || d === b[i]);
}

/** Throws when either side has no batch axis, or both batch sizes are known and differ. */
export function checkBatch(yTrue: Dims, yPred: Dims, who: string): void {
  if (yTrue.length === 0 || yPred.length === 0) {
    throw new ShapeError(`${who}: yTrue and yPred need a batch dimension (rank >= 1); ${both(yTrue, yPred)}`);
  }
  const t = yTrue[0]!;
  const p = yPred[0]!;
  if (t !== null && p !== null && t !== p) {
    throw new ShapeError(`${who}: yTrue and yPred must have the same batch size; ${both(yTrue, yPred)}`);
  }
}

/**
 * Elementwise losses and metrics: the shapes must be equal, except that one side may carry
 * an extra trailing axis of size 1 (`[batch]` labels against `[batch, 1]` predictions), which
 * Keras squeezes rather than broadcasting to `[batch, batch]`.
 */
export function checkElementwise(yTrue: Dims, yPred: Dims, who: string): void {
  checkBatch(yTrue, yPred, who);
  if (yTrue.length === yPred.length) {
    if (!dimsAgree(yTrue, yPred)) {
      throw new ShapeError(`${who}: yTrue and yPred must have the same shape; ${both(yTrue, yPred)}`);
    }
    return;
  }
  const [long, short] = yTrue.length > yPred.length ? [yTrue, yPred] : [yPred, yTrue];
  if (long.length === short.length + 1 && long[long.length - 1] === 1 && dimsAgree(long.slice(0, -1), short)) return;
  throw new ShapeError(
    `${who}: yTrue and yPred must have the same rank (or differ by a trailing axis of size 1); ${both(yTrue, yPred)}`,
  );
}

/**
 * Categorical targets: one-hot (or probability) rows as wide as the predictions.
 * `alternative` names what to use for class-index targets.
 */
export function checkCategorical(yTrue: Dims, yPred: Dims, who: string, alternative = 'sparseCategoricalCrossentropy'): void {
  checkBatch(yTrue, yPred, who);
  const cp = yPred[yPred.length - 1];
  const ct = yTrue[yTrue.length - 1];
  const looksSparse = yTrue.length === yPred.length - 1 || (yTrue.length === yPred.length && ct === 1 && cp !== 1);
  if (looksSparse && dimsAgree(yTrue.slice(0, yPred.length - 1), yPred.slice(0, -1))) {
    throw new ShapeError(
      `${who}: expected one-hot targets of shape ${fmtShape(yPred)}, but the targets look like class indices; ` +
        `use ${alternative} or one-hot encode them; ${both(yTrue, yPred)}`,
    );
  }
  if (yTrue.length !== yPred.length) {
    throw new ShapeError(`${who}: yTrue and yPred must have the same rank; ${both(yTrue, yPred)}`);
  }
  if (ct !== null && cp !== null && ct !== cp) {
    throw new ShapeError(
      `${who}: targets have ${String(ct)} classes but predictions have ${String(cp)}; ${both(yTrue, yPred)}`,
    );
  }
  if (!dimsAgree(yTrue, yPred)) {
    throw new ShapeError(`${who}: yTrue and yPred must have the same shape; ${both(yTrue, yPred)}`);
  }
}

/**
 * Sparse targets: class indices of shape `yPred.shape[:-1]` or `[...yPred.shape[:-1], 1]`.
 * `alternative` names what to use for one-hot targets.
 */
export function checkSparse(yTrue: Dims, yPred: Dims, who: string, alternative = 'categoricalCrossentropy'): void {
  checkBatch(yTrue, yPred, who);
  const lead = yPred.slice(0, -1);
  const cp = yPred[yPred.length - 1];
  const ct = yTrue[yTrue.length - 1];
  if (yTrue.length === yPred.length && ct !== 1 && dimsAgree(yTrue, yPred)) {
    throw new ShapeError(
      `${who}: expected class-index targets of shape ${fmtShape(lead)} or ${fmtShape([...lead, 1])}, ` +
        `but the targets look one-hot (last axis ${String(ct)} = number of classes); ` +
        `use ${alternative} or pass class indices; ${both(yTrue, yPred)}`,
    );
  }
  const plain = dimsAgree(yTrue, lead);
  const withOne = yTrue.length === yPred.length && ct === 1 && dimsAgree(yTrue.slice(0, -1), lead);
  if (!plain && !withOne) {
    throw new ShapeError(
      `${who}: expected class-index targets of shape ${fmtShape(lead)} or ${fmtShape([...lead, 1])} ` +
        `for predictions with ${String(cp)} classes; ${both(yTrue, yPred)}`,
    );
  }
}

/** Reshapes `yTrue` to `yPred`'s shape when they differ only by a trailing axis of size 1. */
export function alignElementwise(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  if (yTrue.rank === yPred.rank) return yTrue;
  return tf.reshape(yTrue, yPred.shape);
}

/** Class indices `[...]` or `[..., 1]` as int32 of shape `yPred.shape[:-1]`. */
export function sparseIndices(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const lead = yPred.shape.slice(0, -1);
  const flat = yTrue.rank === yPred.rank ? tf.reshape(yTrue, lead) : yTrue;
  return flat.dtype === 'int32' ? flat : tf.cast(tf.round(flat), 'int32');
}

/** Means a tensor over every axis but the first: per-sample values of shape `[batch]`. */
export function perSample(x: tf.Tensor): tf.Tensor {
  if (x.rank === 0) return tf.reshape(x, [1]);
  if (x.rank === 1) return x;
  return tf.mean(x, Array.from({ length: x.rank - 1 }, (_, i) => i + 1));
}

/** Cast to float32 unless it already is. */
export function asFloat(x: tf.Tensor): tf.Tensor {
  return x.dtype === 'float32' ? x : tf.cast(x, 'float32');
}

/** `axis` (negative counts from the end) as an index into a rank-`rank` shape, or -1 when out of range. */
export function normaliseAxis(axis: number, rank: number): number {
  const a = axis < 0 ? rank + axis : axis;
  return a >= 0 && a < rank ? a : -1;
}

/** The dims with `axis` moved last (unchanged when it is already last or out of range). */
export function dimsAxisLast(d: Dims, axis: number): Dims {
  const a = normaliseAxis(axis, d.length);
  if (a === -1 || a === d.length - 1) return d;
  return [...d.slice(0, a), ...d.slice(a + 1), d[a]!];
}

/** The tensor with `axis` moved last (a transpose; the tensor itself when already last). */
export function axisLast(x: tf.Tensor, axis: number): tf.Tensor {
  const a = normaliseAxis(axis, x.rank);
  if (a === -1 || a === x.rank - 1) return x;
  const perm = [...Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== a), a];
  return tf.transpose(x, perm);
}

/** Throws ShapeError when `axis` does not name an axis of `d`. */
export function checkAxis(d: Dims, axis: number, who: string): void {
  if (normaliseAxis(axis, d.length) === -1) {
    throw new ShapeError(`${who}: 'axis' ${axis} is outside the ${d.length} axes of yPred ${fmtShape(d)}`);
  }
}
