/**
 * The leaky ReLU with a gradient of its own on wasm: one SIMD pass forward (the wrapped
 * `LeakyRelu`) and one backward (`StrataLeakyReluGrad`), where tfjs' gradient runs
 * `Greater`, `Multiply` and `Select` over the whole input. Other backends keep
 * `tf.leakyRelu`; the two agree bit for bit (tested).
 * @module
 */
import { tf } from './tf.js';
import { LEAKY_RELU_GRAD } from './kernels/elementwise.js';
import { withOwnGradient } from './own_gradient.js';

/** `x > 0 ? x : alpha·x`, as `tf.leakyRelu`. */
export function leakyRelu(x: tf.Tensor, alpha: number): tf.Tensor {
  if (x.dtype !== 'float32' || !tf.getKernel(LEAKY_RELU_GRAD, tf.getBackend())) return tf.leakyRelu(x, alpha);
  const attrs = { alpha } as unknown as tf.NamedAttrMap;
  return withOwnGradient(
    { x },
    (save) => {
      save([x]);
      return tf.engine().runKernel('LeakyRelu', { x }, attrs) as tf.Tensor;
    },
    (dy, [saved]) => ({ x: () => tf.engine().runKernel(LEAKY_RELU_GRAD, { dy, x: saved! }, attrs) as tf.Tensor }),
  );
}
