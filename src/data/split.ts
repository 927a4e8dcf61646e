import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import { checkPaired, checkSamples, checkSeed, describe, gatherRows } from './checks.js';
import { permutation } from './rng.js';

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Fraction of the samples that go to the test set, in (0, 1); rounded up to whole samples. Default 0.25 (scikit-learn's). */
  testFraction?: number;
  /** Shuffle before splitting; when false the test set is the last samples, as Keras' `validationSplit` takes them. Default true. */
  shuffle?: boolean;
  /** Integer seed for the shuffle. Default: unseeded. */
  seed?: number;
}

/** The two halves of a split. */
export interface TrainTestSplit<X extends tf.Tensor = tf.Tensor, Y extends tf.Tensor = tf.Tensor> {
  /** Training samples. */
  xTrain: X;
  /** Training targets. */
  yTrain: Y;
  /** Test samples. */
  xTest: X;
  /** Test targets. */
  yTest: Y;
}

/**
 * Splits samples and targets into a training and a test set, each sample keeping its target.
 *
 * @returns four new tensors; the test set holds `ceil(n * testFraction)` samples.
 * @throws ValueError when `testFraction` is outside (0, 1) or leaves either set empty;
 *   ShapeError when `x` and `y` hold different numbers of samples.
 * @example
 * ```ts
 * const { xTrain, yTrain, xTest, yTest } = st.datasets.trainTestSplit(x, y, { testFraction: 0.1, seed: 1 });
 * ```
 */
export function trainTestSplit<X extends tf.Tensor, Y extends tf.Tensor>(
  x: X,
  y: Y,
  options: TrainTestSplitOptions = {},
): TrainTestSplit<X, Y> {
  const fn = 'trainTestSplit';
  checkSamples(fn, 'x', x);
  checkSamples(fn, 'y', y);
  checkPaired(fn, x, y);
  const { testFraction = 0.25, shuffle = true, seed } = options;
  if (typeof testFraction !== 'number' || !(testFraction > 0 && testFraction < 1)) {
    throw new ValueError(`${fn}: option 'testFraction' must be a number in (0, 1); got ${describe(testFraction)}`);
  }
  if (typeof shuffle !== 'boolean') throw new ValueError(`${fn}: option 'shuffle' must be a boolean; got ${describe(shuffle)}`);
  checkSeed(fn, seed);
  const n = x.shape[0]!;
  const nTest = Math.ceil(n * testFraction);
  const nTrain = n - nTest;
  if (nTrain < 1) {
    throw new ValueError(`${fn}: ${n} samples with testFraction ${testFraction} leave no training samples (test set ${nTest})`);
  }
  const order = shuffle ? permutation(n, seed) : Int32Array.from({ length: n }, (_, i) => i);
  const trainIdx = order.subarray(0, nTrain);
  const testIdx = order.subarray(nTrain);
  return {
    xTrain: gatherRows(x, trainIdx),
    yTrain: gatherRows(y, trainIdx),
    xTest: gatherRows(x, testIdx),
    yTest: gatherRows(y, testIdx),
  };
}
