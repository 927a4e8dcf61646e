/**
 * One LSTM step after its products (gates, new cell state, output) as one operation with
 * a gradient of its own, on the kernels of `kernels/lstm_gates.ts` where the backend has
 * them (wasm). `layers/recurrent/lstm.ts` uses it for the Keras default activations (tanh,
 * sigmoid gates) and keeps its tfjs-ops form otherwise and on other backends; the two agree
 * to float32 rounding (tested).
 * @module
 */
import { tf } from './tf.js';
import { LSTM_GATES, LSTM_GATES_GRAD } from './kernels/lstm_gates.js';
import { withOwnGradient } from './own_gradient.js';

/**
 * `[h, c']` for float32 pre-activations `z` `[b, 4u]` (gates i, f, c, o) and cell state `c`
 * `[b, u]`, with `tanh` and sigmoid gates; undefined where the active backend lacks strata's
 * kernels.
 */
export function lstmGates(z: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] | undefined {
  const backend = tf.getBackend();
  if (!tf.getKernel(LSTM_GATES, backend) || !tf.getKernel(LSTM_GATES_GRAD, backend)) return undefined;
  if (z.dtype !== 'float32' || c.dtype !== 'float32' || z.rank !== 2 || c.rank !== 2) return undefined;
  const [b, u] = c.shape;
  if (z.shape[0] !== b || z.shape[1] !== 4 * u) return undefined;
  const out = withOwnGradient(
    { z, c },
    (save) => {
      const [h, cNew, gates, tc] = tf.engine().runKernel(LSTM_GATES, { z, c }) as tf.Tensor[];
      save([gates!, c, tc!]);
      return [h!, cNew!] as unknown as tf.Tensor;
    },
    (dys, [gates, cSaved, tc]) => {
      const [dh, dc] = dys as unknown as tf.Tensor[];
      const [dz, dPrev] = tf.engine().runKernel(LSTM_GATES_GRAD, { dh: dh!, dc: dc!, gates: gates!, c: cSaved!, tc: tc! }) as tf.Tensor[];
      return { z: () => dz!, c: () => dPrev! };
    },
  ) as unknown as tf.Tensor2D[];
  return [out[0]!, out[1]!];
}
