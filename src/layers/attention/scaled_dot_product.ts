import { tf } from '../../backend/tf.js';

/** What {@link scaledDotProduct} returns. */
export interface AttentionResult {
  /** Weighted values, `[batch, heads, Tq, valueDim]`. */
  output: tf.Tensor;
  /** Attention probabilities, `[batch, heads, Tq, Tv]` (before dropout). */
  scores: tf.Tensor;
}

/**
 * Scaled dot-product attention on head-split tensors with batched matrix products (no
 * einsum: tfjs-core has no Einsum gradient). `mask` (bool, broadcast to
 * `[batch, 1, Tq, Tv]` after a head axis is added) keeps positions; masked scores get
 * −1e9 before the softmax, and with `zeroMasked` probability 0 after it, as Keras' masked
 * softmax (a row with nothing to attend to then sums to 0). Without it such a row is uniform,
 * as in Keras' fused dot-product attention.
 * @param q - `[batch, heads, Tq, keyDim]`, already scaled by `1/sqrt(keyDim)`.
 * @param k - `[batch, heads, Tv, keyDim]`.
 * @param v - `[batch, heads, Tv, valueDim]`.
 * @param dropout - applied to the probabilities, e.g. a training-time dropout.
 * @param zeroMasked - set masked probabilities to 0 after the softmax. Default true.
 */
export function scaledDotProduct(
  q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask: tf.Tensor | null, dropout?: (p: tf.Tensor) => tf.Tensor, zeroMasked = true,
): AttentionResult {
  const logits = tf.matMul(q, tf.transpose(k, [0, 1, 3, 2]));
  let scores: tf.Tensor;
  if (mask) {
    const m = tf.expandDims(mask, 1);
    const big = tf.scalar(-1e9);
    const probs = tf.softmax(tf.where(m, logits, big));
    scores = zeroMasked ? tf.where(m, probs, tf.scalar(0)) : probs;
  } else {
    scores = tf.softmax(logits);
  }
  const p = dropout ? dropout(scores) : scores;
  return { output: tf.matMul(p, v), scores };
}
