import { tf } from '../backend/tf.js';

/** The clipping settings of an optimizer (at most one is set). */
export interface ClipSettings {
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly globalClipNorm?: number;
}

/**
 * Clips the gradients of one step (Keras semantics): `clipValue` clamps each element,
 * `clipNorm` rescales each gradient by `clipNorm / max(‖g‖, clipNorm)`, `globalClipNorm`
 * rescales all of them by the same factor computed from the norm of their concatenation.
 * Call inside a tidy; `scalar` gives shared float32 constants.
 */
export function clipGradients(grads: tf.Tensor[], clip: ClipSettings, scalar: (x: number) => tf.Scalar): tf.Tensor[] {
  const { clipValue, clipNorm, globalClipNorm } = clip;
  if (clipValue !== undefined) return grads.map((g) => tf.clipByValue(g, -clipValue, clipValue));
  if (clipNorm !== undefined) {
    const c = scalar(clipNorm);
    return grads.map((g) => tf.mul(g, tf.div(c, tf.maximum(tf.sqrt(tf.sum(tf.square(g))), c))));
  }
  if (globalClipNorm !== undefined) {
    const c = scalar(globalClipNorm);
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.div(c, tf.maximum(norm, c));
    return grads.map((g) => tf.mul(g, scale));
  }
  return grads;
}
