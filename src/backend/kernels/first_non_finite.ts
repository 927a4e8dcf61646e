/**
 * `StrataFirstNonFinite`: the training loop's per-batch watch for NaN and ±Infinity as one
 * wasm kernel. It replaces about twenty tfjs kernels a batch (a probe `Σ x·0` per kind, then
 * stacking, scoring and a guarded update), which cost a tenth of a millisecond or more of
 * an MLP step on the calling thread, with one scan of each tensor (`simd_finite.ts`).
 *
 * Inputs: `first`, a float32 scalar, and float32 tensors named `t0`, `t1`, …; attribute
 * `kinds[i]`, the kind (0-based) of `t<i>`, and `code`. Output: a float32 scalar, `first`
 * itself when it is ≥ 0 (an earlier batch was already recorded: nothing is scanned);
 * otherwise `code + 1 + k` for the smallest kind `k` among the tensors holding NaN or
 * ±Infinity, or −1 when none does. The same value the tfjs-ops form in
 * `training/step.ts` computes, which other backends keep.
 * @module
 */
import type { tf } from '../tf.js';
import { simdFiniteFor } from './simd_finite.js';
import { alloc, f32, heapMemory, heapOffset, marked, requireFloat32, sizeOf, wasmBackend, type Info, type KernelArgs, type WasmBackend } from './wasm_util.js';

/** The kernel's name. */
export const FIRST_NON_FINITE = 'StrataFirstNonFinite';

/** The kernel's attributes. */
export interface FirstNonFiniteAttrs {
  /** The kind of each input `t<i>`, in order. */
  kinds: number[];
  /** The value a non-finite tensor of kind k records, less 1 + k. */
  code: number;
}

/** Whether the float32 data of `t` holds NaN or ±Infinity: SIMD over whole groups of four, the rest in JavaScript. */
function holdsNonFinite(backend: WasmBackend, t: Info): boolean {
  const n = sizeOf(t.shape);
  const memory = heapMemory(backend);
  const scan = memory ? simdFiniteFor(memory) : null;
  const head = scan ? n & ~3 : 0;
  if (head > 0 && scan!.nonFinite(heapOffset(backend, t), head * 4) !== 0) return true;
  const v = f32(backend, t);
  for (let i = head; i < n; i++) if (!Number.isFinite(v[i]!)) return true;
  return false;
}

function firstNonFinite(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { kinds, code } = args.attrs as unknown as FirstNonFiniteAttrs;
  const inputs = args.inputs as Record<string, Info>;
  requireFloat32(FIRST_NON_FINITE, inputs);
  const first = f32(backend, inputs.first!)[0]!;
  let found = -1;
  if (!(first >= 0)) {
    let kind = Infinity;
    kinds.forEach((k, i) => {
      if (k < kind && holdsNonFinite(backend, inputs[`t${i}`]!)) kind = k;
    });
    if (kind !== Infinity) found = code + 1 + kind;
  }
  const out = alloc(backend, []);
  f32(backend, out)[0] = first >= 0 ? first : found;
  return out;
}

/** Kernel config for `StrataFirstNonFinite` on wasm. */
export const firstNonFiniteConfig: tf.KernelConfig = {
  kernelName: FIRST_NON_FINITE,
  backendName: 'wasm',
  kernelFunc: marked(firstNonFinite as unknown as tf.KernelFunc),
};
