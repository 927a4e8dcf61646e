/**
 * The loops strata's thread pool runs besides matrix products. Each module here is
 * compiled against the heap on the calling thread and on every worker; a call job
 * (`FORM_CALL` in `gemm_share.ts`) names a function by its index in {@link poolCallsFor}'s
 * list, the same on every thread, and steps its heap offsets part by part.
 * @module
 */
import { heapOpsBytes, heapOpsFor } from './heap_fill.js';
import { SIMD_GRAD_ACTIVATIONS, simdActivationGradBytes, simdActivationGradFor, type GradActivation } from './simd_activation_grad.js';
import { maxPool2x2For, maxPoolGrad2x2Bytes, maxPoolGrad2x2For } from './simd_max_pool_grad.js';
import { simdUpdateBytes, simdUpdatesFor } from './simd_update.js';

/** A wasm loop over heap offsets and counts. */
export type PoolFn = (...args: number[]) => void;

/** The modules the workers compile, with the exports each contributes, in index order. */
export const CALL_MODULES: readonly { bytes: (shared: boolean) => Uint8Array<ArrayBuffer>; names: readonly string[] }[] = [
  { bytes: maxPoolGrad2x2Bytes, names: ['grad', 'forward'] },
  { bytes: heapOpsBytes, names: ['zero', 'spread'] },
  { bytes: simdActivationGradBytes, names: SIMD_GRAD_ACTIVATIONS },
  { bytes: simdUpdateBytes, names: ['adamPacked'] },
];

/** Index of the 2×2 max-pool gradient (`simd_max_pool_grad.ts`, one image a part). */
export const CALL_MAX_POOL_GRAD = 0;

/** Index of 2×2 max pooling (`simd_max_pool_grad.ts`, one image a part). */
export const CALL_MAX_POOL = 1;

/** Index of the row spread of `heap_fill.ts` (rows copied apart, zeros between). */
export const CALL_SPREAD = 3;

/** Index of Adam's update with its scalars on the heap (`simd_update.ts`, a run of floats a part). */
export const CALL_ADAM = 4 + SIMD_GRAD_ACTIVATIONS.length;

/** Index of an activation's gradient (`simd_activation_grad.ts`). */
export function callActivationGrad(activation: GradActivation): number {
  return 4 + SIMD_GRAD_ACTIVATIONS.indexOf(activation);
}

/** The calling thread's functions for `memory`, in index order; null where they do not compile. */
export function poolCallsFor(memory: WebAssembly.Memory): PoolFn[] | null {
  const poolGrad = maxPoolGrad2x2For(memory);
  const pool = maxPool2x2For(memory);
  const heap = heapOpsFor(memory);
  const activations = simdActivationGradFor(memory);
  const updates = simdUpdatesFor(memory);
  if (!poolGrad || !pool || !heap || !activations || !updates) return null;
  return [poolGrad, pool, heap.zero, heap.spread, ...SIMD_GRAD_ACTIVATIONS.map((a) => activations[a]), updates.adamPacked];
}
