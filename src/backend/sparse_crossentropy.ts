/**
 * Sparse categorical cross-entropy from probabilities as one operation with a gradient of
 * its own, on the kernels of `kernels/sparse_crossentropy.ts` where the backend has them
 * (wasm). The loss in `losses/crossentropy.ts` uses it and keeps its tfjs-ops form for other
 * backends; the two agree to float32 rounding (tested).
 * @module
 */
import { tf } from './tf.js';
import { SPARSE_CROSSENTROPY, SPARSE_CROSSENTROPY_GRAD, type SparseCrossentropyAttrs } from './kernels/sparse_crossentropy.js';
import { withOwnGradient } from './own_gradient.js';

/**
 * The per-entry loss `−log clip(p_y / Σ p, ε, 1 − ε)` of int32 `labels` (the leading shape of
 * `probs`) against float32 `probs` (`[..., classes]`), differentiable in `probs`; undefined
 * where the active backend lacks strata's kernels.
 */
export function sparseCrossentropyFromProbabilities(labels: tf.Tensor, probs: tf.Tensor, epsilon: number): tf.Tensor | undefined {
  const backend = tf.getBackend();
  if (!tf.getKernel(SPARSE_CROSSENTROPY, backend) || !tf.getKernel(SPARSE_CROSSENTROPY_GRAD, backend)) return undefined;
  if (probs.dtype !== 'float32' || labels.dtype !== 'int32' || probs.rank < 1) return undefined;
  const lead = probs.shape.slice(0, -1);
  const classes = probs.shape[probs.rank - 1]!;
  const p = probs.rank === 2 ? probs : tf.reshape(probs, [-1, classes]);
  const y = labels.rank === 1 ? labels : tf.reshape(labels, [-1]);
  const attrs: SparseCrossentropyAttrs = { epsilon };
  const named = attrs as unknown as tf.NamedAttrMap;
  const loss = withOwnGradient(
    { probs: p },
    (save) => {
      save([p, y]);
      return tf.engine().runKernel(SPARSE_CROSSENTROPY, { probs: p, labels: y }, named) as tf.Tensor;
    },
    (dy, [savedP, savedY]) => ({
      probs: () => tf.engine().runKernel(SPARSE_CROSSENTROPY_GRAD, { dy, probs: savedP!, labels: savedY! }, named) as tf.Tensor,
    }),
  );
  return lead.length === 1 ? loss : tf.reshape(loss, lead);
}
