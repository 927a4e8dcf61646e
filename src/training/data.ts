import { tf } from '../backend/tf.js';
import { ShapeError, StrataError, ValueError, fmtShape } from '../engine/errors.js';
import { checkClassWeight } from './check_values.js';
import type { TensorData } from './options.js';
import { assertTensors, describe, isPlainData, toTensor } from '../engine/tensor_checks.js';

/**
 * Puts data for several inputs/outputs into model order. A single tensor (or plain
 * nested array / typed array) is the only input; a list is taken in order; an object is
 * read by name. Plain data is converted to new tensors, pushed on `owned` for the caller
 * to free (without `owned`, plain data is an error); disposed tensors raise a StateError.
 * @param what - `x` or `y`, for messages.
 * @param sampleShapes - per name, the sample shape a typed array is read as (when known).
 */
export function toList(data: TensorData, names: string[], owner: string, what: string, owned?: tf.Tensor[],
  sampleShapes?: readonly ((number | null)[] | undefined)[]): tf.Tensor[] {
  const one = (v: unknown, i: number, label: string): tf.Tensor => {
    if (isPlainData(v)) {
      if (!owned) throw new StrataError(`${owner}: internal: plain data reached a step that cannot convert it`);
      const t = toTensor(v, owner, label, sampleShapes?.[i]);
      owned.push(t);
      return t;
    }
    const list = [v];
    assertTensors(list, owner, label);
    return list[0]!;
  };
  if (data instanceof tf.Tensor || isPlainData(data) && (names.length === 1 || !Array.isArray(data))) {
    if (names.length !== 1) {
      throw new ValueError(`${owner}: '${what}' is one tensor but the model has ${names.length} (${names.join(', ')}); pass a list or an object keyed by name`);
    }
    return [one(data, 0, what)];
  }
  if (Array.isArray(data)) {
    if (data.length !== names.length) {
      throw new ValueError(`${owner}: '${what}' must hold ${names.length} tensor(s) (${names.join(', ')}); got ${data.length} item(s)`);
    }
    return data.map((t, i) => one(t, i, `${what}[${i}]`));
  }
  if (data && typeof data === 'object') {
    const rec = data as Record<string, unknown>;
    const missing = names.filter((n) => !Object.hasOwn(rec, n) || rec[n] === undefined);
    if (missing.length) {
      throw new ValueError(`${owner}: '${what}' has no tensor for ${missing.join(', ')}; keys given: ${Object.keys(data).slice(0, 20).join(', ')}`);
    }
    return names.map((n, i) => one(rec[n], i, `${what}.${n}`));
  }
  throw new ValueError(`${owner}: '${what}' must be a tensor, a nested number array, a typed array, a list of them or an object of them; got ${describe(data)}`);
}

/** Checks that every tensor has the same number of samples; returns it. */
export function sampleCount(xs: tf.Tensor[], ys: tf.Tensor[], owner: string): number {
  const all = [...xs.map((t) => ['x', t] as const), ...ys.map((t) => ['y', t] as const)];
  const n = all[0]![1].shape[0];
  for (const [what, t] of all) {
    if (t.rank === 0 || t.shape[0] !== n) {
      const xShapes = xs.map((x) => fmtShape(x.shape)).join(', ');
      const yShapes = ys.map((y) => fmtShape(y.shape)).join(', ');
      throw new ShapeError(`${owner}: x and y must have the same number of samples; got x ${xShapes} and y ${yShapes} (${what} differs)`);
    }
  }
  if (!n) throw new ValueError(`${owner}: the data holds no samples`);
  return n;
}

/** Rows `[start, start+size)` of each tensor (new tensors). */
export function sliceRows(ts: tf.Tensor[], start: number, size: number): tf.Tensor[] {
  return ts.map((t) => tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]));
}

/** Rows at `indices` of each tensor (new tensors). */
export function gatherRows(ts: tf.Tensor[], indices: tf.Tensor1D): tf.Tensor[] {
  return ts.map((t) => tf.gather(t, indices));
}

/**
 * Per-sample weights from a class-weight table: the label of each sample (index, or
 * argmax of a one-hot row) looks up its weight; classes not listed weigh 1. Keys must name
 * classes of the output (see `checkClassWeight`).
 */
export function classWeightsFor(y: tf.Tensor, classWeight: Record<number, number>, numClasses: number, owner: string): tf.Tensor1D {
  checkClassWeight(classWeight, numClasses, owner);
  return tf.tidy(() => {
    const labels = y.rank >= 2 && y.shape[y.rank - 1]! > 1 ? tf.argMax(y, -1) : tf.reshape(tf.cast(y, 'int32'), [-1]);
    const maxClass = Math.max(0, ...Object.keys(classWeight).map(Number));
    const width = Math.max(maxClass + 1, numClasses, y.rank >= 2 ? y.shape[y.rank - 1]! : 0);
    const table = Array.from({ length: Math.max(width, 1) }, (_, i) => classWeight[i] ?? 1);
    const clipped = tf.clipByValue(labels, 0, table.length - 1);
    return tf.gather(tf.tensor1d(table), tf.cast(clipped, 'int32')) as tf.Tensor1D;
  });
}
