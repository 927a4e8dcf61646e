import { tf } from '../../backend/tf.js';
import { EPSILON } from '../../losses/crossentropy.js';
import type { GanLossName } from './options.js';

/*
 * The discriminator outputs probabilities (it ends in a sigmoid), so the logs below are
 * taken of probabilities clipped to [EPSILON, 1 − EPSILON], as Keras' binary
 * crossentropy does: no log(0), no infinite gradients. Where the clip is active the
 * gradient is zero, which only happens when D is wrong or right by more than 1 − 1e-7.
 */

function logClipped(p: tf.Tensor): tf.Tensor {
  return tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON));
}

function log1mClipped(p: tf.Tensor): tf.Tensor {
  return tf.log(tf.sub(1, tf.clipByValue(p, EPSILON, 1 - EPSILON)));
}

/**
 * The discriminator's loss: binary crossentropy of real samples against the target
 * 1 − `smoothing` plus that of counterfeits against 0, each a mean over its batch. It is
 * the negated value function of the game, −(E log D(x) + E log(1 − D(G(z)))), so 2 ln 2
 * ≈ 1.386 when D cannot tell (D = ½ everywhere).
 */
export function discriminatorLoss(pReal: tf.Tensor, pFake: tf.Tensor, smoothing: number): tf.Scalar {
  return tf.tidy(() => {
    const target = 1 - smoothing;
    const realTerm = smoothing > 0
      ? tf.add(tf.mul(logClipped(pReal), target), tf.mul(log1mClipped(pReal), smoothing))
      : logClipped(pReal);
    return tf.neg(tf.add(tf.mean(realTerm), tf.mean(log1mClipped(pFake)))) as tf.Scalar;
  });
}

/**
 * The generator's loss on D's verdicts `pFake` = D(G(z)): −mean log D(G(z)) for
 * `'nonSaturating'`, mean log(1 − D(G(z))) for `'minimax'` (negative, falling towards
 * −∞ as the counterfeits pass).
 */
export function generatorLoss(pFake: tf.Tensor, kind: GanLossName): tf.Scalar {
  return tf.tidy(() => (kind === 'minimax'
    ? tf.mean(log1mClipped(pFake))
    : tf.neg(tf.mean(logClipped(pFake)))) as tf.Scalar);
}
