import { tf } from '../backend/tf.js';
import { checkInt, checkPaired, checkSamples } from './checks.js';
import type { Pair } from './shuffle.js';

/**
 * The first `n` samples of `x` and `y` (all of them when there are fewer than `n`).
 *
 * @param n - number of samples to keep, a non-negative integer.
 * @returns new tensors `{ x, y }`.
 * @throws ValueError when `n` is not a non-negative integer; ShapeError when `x` and `y` do not pair up.
 * @example
 * ```ts
 * const small = st.datasets.take(xTrain, yTrain, 1000);
 * ```
 */
export function take<X extends tf.Tensor, Y extends tf.Tensor>(x: X, y: Y, n: number): Pair<X, Y> {
  checkSamples('take', 'x', x);
  checkSamples('take', 'y', y);
  checkPaired('take', x, y);
  checkInt('take', 'n', n, 0);
  const m = Math.min(n, x.shape[0]!);
  const head = <T extends tf.Tensor>(t: T): T => tf.slice(t, 0, m) as T;
  return { x: head(x), y: head(y) };
}
