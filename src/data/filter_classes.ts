import { tf } from '../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../engine/errors.js';
import { checkPaired, checkSamples, describe, gatherRows } from './checks.js';
import { readClassIndices } from './one_hot.js';
import type { Pair } from './shuffle.js';

/** Options of {@link filterClasses}. */
export interface FilterClassesOptions {
  /**
   * Renumber the kept classes `0..k-1` in the order they are listed in `classes`
   * (`[5, 6, 7, 8, 9]` become `0..4`; one-hot targets keep only those k columns), so the
   * result trains a k-way head directly. When false, labels keep their original values.
   * Default true.
   */
  remap?: boolean;
}

function checkClasses(classes: unknown): asserts classes is readonly number[] {
  const fn = 'filterClasses';
  if (!Array.isArray(classes) || classes.length === 0) {
    throw new ValueError(`${fn}: argument 'classes' must be a non-empty array of class indices; got ${describe(classes)}`);
  }
  const seen = new Set<number>();
  for (const c of classes) {
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) {
      throw new ValueError(`${fn}: argument 'classes' must hold non-negative integers; got ${describe(c)}`);
    }
    if (seen.has(c)) throw new ValueError(`${fn}: argument 'classes' lists class ${c} twice`);
    seen.add(c);
  }
}

/** Class index of each sample: the label itself, or the hot column of a one-hot row. */
function labelsOf(y: tf.Tensor): Int32Array {
  if (y.rank === 2 && y.shape[1]! > 1) {
    const numClasses = y.shape[1]!;
    const rows = y.dataSync();
    const out = new Int32Array(y.shape[0]!);
    for (let i = 0; i < out.length; i++) {
      let hot = -1;
      for (let c = 0; c < numClasses; c++) {
        const v = rows[i * numClasses + c]!;
        if (v === 1 && hot < 0) hot = c;
        else if (v !== 0) hot = -2;
      }
      if (hot < 0) {
        throw new ValueError(`filterClasses: argument 'y' of shape ${fmtShape(y.shape)} is read as one-hot, but row ${i} is not one-hot`);
      }
      out[i] = hot;
    }
    return out;
  }
  if (y.rank > 2) {
    throw new ShapeError(`filterClasses: argument 'y' must be class indices [n] or [n,1], or one-hot [n,k]; got ${fmtShape(y.shape)}`);
  }
  return readClassIndices('filterClasses', 'y', y);
}

/**
 * Keeps the samples whose class is in `classes` (in their original order), e.g. digits
 * 0–4 to pretrain on and 5–9 to transfer to.
 *
 * @param x - samples, axis 0 is the sample axis.
 * @param y - targets: class indices (`[n]` or `[n, 1]`) or one-hot rows (`[n, k]`).
 * @param classes - the classes to keep, distinct non-negative integers.
 * @returns new tensors `{ x, y }`; `y` has the dtype and layout of the input (possibly with 0 samples).
 * @throws ValueError when `classes` is empty, repeats a class or holds a non-integer, or a
 *   label is not a class index; ShapeError when `x` and `y` do not pair up.
 * @example
 * ```ts
 * const { x, y } = st.datasets.filterClasses(xTrain, yTrain, [5, 6, 7, 8, 9]); // labels 0..4
 * ```
 */
export function filterClasses<X extends tf.Tensor, Y extends tf.Tensor>(
  x: X,
  y: Y,
  classes: readonly number[],
  options: FilterClassesOptions = {},
): Pair<X, Y> {
  const fn = 'filterClasses';
  checkSamples(fn, 'x', x);
  checkSamples(fn, 'y', y);
  checkPaired(fn, x, y);
  checkClasses(classes);
  const { remap = true } = options;
  if (typeof remap !== 'boolean') throw new ValueError(`${fn}: option 'remap' must be a boolean; got ${describe(remap)}`);
  const oneHotY = y.rank === 2 && y.shape[1]! > 1;
  if (oneHotY) {
    const outside = classes.find((c) => c >= y.shape[1]!);
    if (outside !== undefined) {
      throw new ValueError(`${fn}: class ${outside} is outside the ${y.shape[1]} one-hot columns of 'y'`);
    }
  }
  const labels = labelsOf(y);
  const position = new Map(classes.map((c, i) => [c, i]));
  const keep: number[] = [];
  for (let i = 0; i < labels.length; i++) if (position.has(labels[i]!)) keep.push(i);
  const rows = Int32Array.from(keep);
  const xOut = gatherRows(x, rows);
  if (!remap) return { x: xOut, y: gatherRows(y, rows) };
  if (oneHotY) {
    const cols = Int32Array.from(classes);
    const yOut = tf.tidy(() => tf.gather(tf.gather(y, tf.tensor1d(rows, 'int32'), 0), tf.tensor1d(cols, 'int32'), 1)) as Y;
    return { x: xOut, y: yOut };
  }
  const mapped = rows.map((i) => position.get(labels[i]!)!);
  const yOut = y.dtype === 'int32' ? mapped : Float32Array.from(mapped);
  return { x: xOut, y: tf.tensor(yOut, [rows.length, ...y.shape.slice(1)], y.dtype) as Y };
}
