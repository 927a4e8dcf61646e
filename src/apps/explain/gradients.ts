import { tf } from '../../backend/tf.js';
import { selectOutputs } from './target.js';

/**
 * Gradients of each sample's target output with respect to its input: `[n, ...]` like
 * `x`. Samples are independent in inference mode, so one gradient of the sum gives all.
 */
export function targetGradients(f: (x: tf.Tensor) => tf.Tensor2D, x: tf.Tensor, indices: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => tf.grad((inp: tf.Tensor) => tf.sum(selectOutputs(f(inp), indices)))(x));
}

/** Each sample's target output, `[n]`. */
export function targetValues(f: (x: tf.Tensor) => tf.Tensor2D, x: tf.Tensor, indices: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => selectOutputs(f(x), indices));
}

/** Repeats each target index `times` times, sample-major: `[a, b]`, 2 → `[a, a, b, b]`. */
export function repeatIndices(indices: tf.Tensor1D, times: number): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(tf.tile(tf.reshape(indices, [-1, 1]), [1, times]), [-1]) as tf.Tensor1D);
}

/** Runs `fn` over row chunks of at most `size` rows of `x`, concatenating the results on axis 0. */
export function chunked(x: tf.Tensor, size: number, fn: (part: tf.Tensor, start: number) => tf.Tensor): tf.Tensor {
  const n = x.shape[0]!;
  if (n <= size) return fn(x, 0);
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let s = 0; s < n; s += size) {
      const rows = Math.min(size, n - s);
      const part = tf.slice(x, [s, ...x.shape.slice(1).map(() => 0)], [rows, ...x.shape.slice(1)]);
      parts.push(fn(part, s));
    }
    return tf.concat(parts, 0);
  });
}
