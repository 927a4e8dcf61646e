/**
 * A wasm SIMD scan for NaN and ±Infinity over a float32 range of the heap: `x − x` is 0 for
 * every finite `x` and NaN otherwise, and NaN survives addition, so one running sum of
 * `x − x` four lanes at a time is NaN in some lane exactly when the range holds a
 * non-finite value. Used by the training loop's per-batch watch
 * (`first_non_finite.ts`), which scans each batch's inputs, targets, predictions and loss.
 * @module
 */
import { I32, V128, add, at, body, get, load, set, simd, sub, vec, compiledFor, wasmModule } from './wasm_asm.js';

// nonFinite(ptr, bytes) → i32: 1 when the floats in [ptr, ptr + bytes) hold NaN or ±Infinity
// (`bytes` a multiple of 16), else 0.
const NON_FINITE_TYPE = [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])];
const NON_FINITE_BODY = (() => {
  const [ptr, len, k, acc] = [0, 1, 2, 3];
  const ne = simd(0x42); // f32x4.ne
  const anyTrue = simd(0x53); // v128.any_true
  const step = [...get(acc), ...at(ptr, k), ...load, ...at(ptr, k), ...load, ...sub, ...add, ...set(acc)];
  return body(k, len, [[1, I32], [1, V128]], [], step, [], [...get(acc), ...get(acc), ...ne, ...anyTrue]);
})();

/** The module's bytes (exports `nonFinite`), with the heap imported shared or not. */
export function simdFiniteBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule(shared, [NON_FINITE_TYPE], [['nonFinite', 0, NON_FINITE_BODY]]);
}

/** The scan bound to one heap. */
export interface SimdFinite {
  /** 1 when the floats in `[ptr, ptr + bytes)` hold NaN or ±Infinity, else 0; `bytes` a multiple of 16. */
  nonFinite(ptr: number, bytes: number): number;
}

const instances = new WeakMap<WebAssembly.Memory, SimdFinite | null>();

/** The scan bound to `memory`; null where wasm SIMD is unavailable. */
export function simdFiniteFor(memory: WebAssembly.Memory): SimdFinite | null {
  return compiledFor(instances, memory, simdFiniteBytes, (e) => e as unknown as SimdFinite);
}
