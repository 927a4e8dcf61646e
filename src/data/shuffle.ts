import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import { checkPaired, checkSamples, checkSeed, describe, gatherRows } from './checks.js';
import { permutation } from './rng.js';

/** Options of {@link shuffle}. */
export interface ShuffleOptions {
  /** Integer seed; the same seed gives the same permutation on every run and platform. Default: unseeded. */
  seed?: number;
}

/** Samples and their targets, in the same order. */
export interface Pair<X extends tf.Tensor = tf.Tensor, Y extends tf.Tensor = tf.Tensor> {
  /** The samples. */
  x: X;
  /** The targets, aligned with `x` along axis 0. */
  y: Y;
}

function isOptions(v: unknown): v is ShuffleOptions | undefined {
  return v === undefined || (typeof v === 'object' && v !== null && !(v instanceof tf.Tensor));
}

/**
 * Shuffles samples along axis 0.
 *
 * Given `x` alone it returns the shuffled tensor; given `x` and `y` it applies one
 * permutation to both and returns `{ x, y }`, so every sample keeps its target.
 *
 * @throws ValueError when an argument is not a tensor or the seed not an integer;
 *   ShapeError when `x` and `y` hold different numbers of samples.
 * @example
 * ```ts
 * const { x, y } = st.datasets.shuffle(xTrain, yTrain, { seed: 42 });
 * ```
 */
export function shuffle<X extends tf.Tensor>(x: X, options?: ShuffleOptions): X;
export function shuffle<X extends tf.Tensor, Y extends tf.Tensor>(x: X, y: Y, options?: ShuffleOptions): Pair<X, Y>;
export function shuffle<X extends tf.Tensor, Y extends tf.Tensor>(
  x: X,
  yOrOptions?: Y | ShuffleOptions,
  maybeOptions?: ShuffleOptions,
): X | Pair<X, Y> {
  checkSamples('shuffle', 'x', x);
  const y = yOrOptions instanceof tf.Tensor ? yOrOptions : undefined;
  const options = y ? maybeOptions : yOrOptions;
  if (!y && yOrOptions !== undefined && !isOptions(yOrOptions)) {
    throw new ValueError(`shuffle: second argument must be a tensor 'y' or an options object; got ${describe(yOrOptions)}`);
  }
  if (!isOptions(options)) throw new ValueError(`shuffle: argument 'options' must be an object; got ${describe(options)}`);
  checkSeed('shuffle', options?.seed);
  if (y) {
    checkSamples('shuffle', 'y', y);
    checkPaired('shuffle', x, y);
  }
  const perm = permutation(x.shape[0]!, options?.seed);
  if (!y) return gatherRows(x, perm);
  return { x: gatherRows(x, perm), y: gatherRows(y as Y, perm) };
}
