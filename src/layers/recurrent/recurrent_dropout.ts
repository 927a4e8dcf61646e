import { tf } from '../../backend/tf.js';

/**
 * A dropout mask drawn once per sequence (variational dropout, as Keras' RNN cells do):
 * `[batch, size]` of 0 and `1 / (1 - rate)`, reused at every time step.
 * @param seed - optional seed for reproducible masks.
 */
export function sequenceDropoutMask(batch: number, size: number, rate: number, seed?: number): tf.Tensor2D {
  return tf.tidy(() => {
    const keep = tf.greaterEqual(tf.randomUniform([batch, size], 0, 1, 'float32', seed), rate);
    return tf.div(tf.cast(keep, 'float32'), 1 - rate) as tf.Tensor2D;
  });
}
