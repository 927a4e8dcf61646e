/**
 * The training loop's per-batch NaN/Infinity watch as one kernel where the backend has
 * strata's (`kernels/first_non_finite.ts`, wasm); `training/step.ts` keeps its tfjs-ops form
 * for other backends. The two record the same value (tested).
 * @module
 */
import { tf } from './tf.js';
import { FIRST_NON_FINITE, type FirstNonFiniteAttrs } from './kernels/first_non_finite.js';

/**
 * `first` when it is ≥ 0; else `code + 1 + k` for the smallest `k` whose group in `groups`
 * holds a float32 tensor with NaN or ±Infinity, or −1. Undefined where the active backend
 * lacks the kernel.
 */
export function firstNonFinite(first: tf.Scalar, groups: tf.Tensor[][], code: number): tf.Scalar | undefined {
  if (!tf.getKernel(FIRST_NON_FINITE, tf.getBackend())) return undefined;
  const inputs: Record<string, tf.Tensor> = { first };
  const kinds: number[] = [];
  groups.forEach((group, k) => {
    for (const t of group) {
      if (t.dtype !== 'float32') continue;
      inputs[`t${kinds.length}`] = t;
      kinds.push(k);
    }
  });
  const attrs: FirstNonFiniteAttrs = { kinds, code };
  return tf.engine().runKernel(FIRST_NON_FINITE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Scalar;
}
