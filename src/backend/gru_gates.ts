/**
 * One GRU step after its products (Keras 3's default `resetAfter`) as one operation with a
 * gradient of its own, on the kernels of `kernels/gru_gates.ts` where the backend has them
 * (wasm). `layers/recurrent/gru.ts` uses it for the Keras default activations (tanh, sigmoid
 * gates) and keeps its tfjs-ops form otherwise and on other backends; the two agree to
 * float32 rounding (tested).
 * @module
 */
import { tf } from './tf.js';
import { GRU_GATES, GRU_GATES_GRAD } from './kernels/gru_gates.js';
import { withOwnGradient } from './own_gradient.js';

/**
 * `h'` for float32 projected inputs `xp` `[b, 3u]` (gates z, r, h, input bias added), the
 * recurrent product `inner` `[b, 3u]` (recurrent bias added) and state `h` `[b, u]`, with
 * `tanh` and sigmoid gates; undefined where the active backend lacks strata's kernels.
 */
export function gruGates(xp: tf.Tensor2D, inner: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D | undefined {
  const backend = tf.getBackend();
  if (!tf.getKernel(GRU_GATES, backend) || !tf.getKernel(GRU_GATES_GRAD, backend)) return undefined;
  if ([xp, inner, h].some((t) => t.dtype !== 'float32' || t.rank !== 2)) return undefined;
  const [b, u] = h.shape;
  if (xp.shape[0] !== b || inner.shape[0] !== b || xp.shape[1] !== 3 * u || inner.shape[1] !== 3 * u) return undefined;
  return withOwnGradient(
    { xp, inner, h },
    (save) => {
      const [out, gates] = tf.engine().runKernel(GRU_GATES, { xp, inner, h }) as tf.Tensor[];
      save([gates!, inner, h]);
      return out!;
    },
    (dy, [gates, savedInner, savedH]) => {
      const [dxp, dInner, dh] = tf.engine().runKernel(GRU_GATES_GRAD, { dh: dy, gates: gates!, inner: savedInner!, h: savedH! }) as tf.Tensor[];
      return { xp: () => dxp!, inner: () => dInner!, h: () => dh! };
    },
  ) as tf.Tensor2D;
}
