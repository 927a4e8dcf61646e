import { tf } from '../../backend/tf.js';
import type { Mask } from '../../engine/mask.js';

/** The pieces a combined attention mask is made from; any may be missing. */
export interface AttentionMaskParts {
  /** Padding of the queries, `[batch, Tq]`. */
  queryMask?: Mask | null;
  /** Padding of the values, `[batch, Tv]`. */
  valueMask?: Mask | null;
  /** Padding of the keys, `[batch, Tv]` (when keys are given apart from values). */
  keyMask?: Mask | null;
  /** An explicit mask `[batch, Tq, Tv]` (true or > 0.5: may attend). */
  attentionMask?: tf.Tensor | null;
  /** Forbid attending to later positions. */
  causal?: boolean;
  /** Query length (for the causal mask). */
  tq: number;
  /** Key length (for the causal mask). */
  tv: number;
}

/**
 * ANDs padding, causal and explicit masks into one bool mask `[batch|1, Tq, Tv]` (true: may
 * attend), as Keras' MultiHeadAttention does; `null` when nothing is masked.
 */
export function attentionMask(p: AttentionMaskParts): tf.Tensor | null {
  if (!p.queryMask && !p.valueMask && !p.keyMask && !p.causal && !p.attentionMask) return null;
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    if (p.queryMask) parts.push(tf.expandDims(tf.cast(p.queryMask, 'bool'), -1));
    if (p.valueMask) parts.push(tf.expandDims(tf.cast(p.valueMask, 'bool'), -2));
    if (p.keyMask) parts.push(tf.expandDims(tf.cast(p.keyMask, 'bool'), -2));
    if (p.causal) {
      // Row i may see columns j <= i (aligned at the start, as Keras does).
      const rows = tf.expandDims(tf.range(0, p.tq, 1, 'int32'), -1);
      const cols = tf.expandDims(tf.range(0, p.tv, 1, 'int32'), 0);
      parts.push(tf.expandDims(tf.greaterEqual(rows, cols), 0));
    }
    if (p.attentionMask) {
      const m = p.attentionMask;
      parts.push(m.dtype === 'bool' ? m : tf.greater(m, 0.5));
    }
    return parts.slice(1).reduce((a, b) => tf.logicalAnd(a, b), parts[0]!);
  });
}
