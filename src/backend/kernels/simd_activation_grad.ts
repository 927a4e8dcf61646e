/**
 * The gradient through a layer's activation and bias in one wasm SIMD pass over the
 * backend's heap: `dz = dy · act'(y)` from the activation's output `y`, and the bias
 * gradient (column sums of `dz`) accumulated in the same pass. tfjs' own gradient takes
 * four to six kernels for it (`Step`, `Cast`, `Multiply`, then `Sum` over a reshape), each
 * a full pass over tensors that, for a convolution's output, are megabytes.
 *
 * The derivatives are TensorFlow's, read from the output: `relu` 1 where y > 0, `relu6`
 * 1 where 0 < y < 6, `sigmoid` y·(1 − y), `elu` (alpha 1) 1 where y > 0 and y + 1 elsewhere.
 * @module
 */
import {
  BLOCK, END, I32, LOOP, V128, add, addConst, addLocal, and, at, bitselect, breakIfDone, get, gt, load, lt, mul, set, sized,
  splat, store, sub, vec, compiledFor, wasmModule,
} from './wasm_asm.js';

/** Activations whose gradient this module computes (`linear`: the bias gradient alone, `dz` is `dy`). */
export const SIMD_GRAD_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'elu'] as const;

/** One of {@link SIMD_GRAD_ACTIVATIONS}. */
export type GradActivation = (typeof SIMD_GRAD_ACTIVATIONS)[number];

const f32const = (bytes: number[]) => [0x43, ...bytes];

// (dy, y, dz, db, rows, rowBytes): rows of rowBytes bytes (a multiple of 16); db += column sums.
const TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00];
const [DY, Y, DZ, DB, ROWS, ROW_BYTES, K, R] = [0, 1, 2, 3, 4, 5, 6, 7];
const [G, V, D, ZERO, ONE, SIX] = [8, 9, 10, 11, 12, 13];

/** `dz` (left on the stack) from the gradient `G` and the output `V`. */
const DERIVATIVES: Record<GradActivation, number[]> = {
  linear: [...get(G)],
  relu: [...get(G), ...get(V), ...get(ZERO), ...gt, ...and],
  relu6: [...get(G), ...get(V), ...get(ZERO), ...gt, ...get(V), ...get(SIX), ...lt, ...and, ...and],
  sigmoid: [...get(G), ...get(V), ...get(ONE), ...get(V), ...sub, ...mul, ...mul],
  elu: [...get(G), ...get(G), ...get(V), ...get(ONE), ...add, ...mul, ...get(V), ...get(ZERO), ...gt, ...bitselect],
};

function gradBody(activation: GradActivation): number[] {
  const code = [
    ...vec([[2, I32], [6, V128]]),
    ...f32const([0x00, 0x00, 0x00, 0x00]), ...splat, ...set(ZERO),
    ...f32const([0x00, 0x00, 0x80, 0x3f]), ...splat, ...set(ONE),
    ...f32const([0x00, 0x00, 0xc0, 0x40]), ...splat, ...set(SIX),
    ...BLOCK, ...LOOP, ...breakIfDone(R, ROWS),
    0x41, 0x00, ...set(K),
    ...BLOCK, ...LOOP, ...breakIfDone(K, ROW_BYTES),
    ...at(DY, K), ...load, ...set(G),
    ...at(Y, K), ...load, ...set(V),
    ...DERIVATIVES[activation], ...set(D),
    ...(activation === 'linear' ? [] : [...at(DZ, K), ...get(D), ...store]),
    ...at(DB, K), ...at(DB, K), ...load, ...get(D), ...add, ...store,
    ...addConst(K, 16), 0x0c, 0x00, ...END, ...END,
    ...addLocal(DY, ROW_BYTES), ...addLocal(Y, ROW_BYTES), ...addLocal(DZ, ROW_BYTES),
    ...addConst(R, 1), 0x0c, 0x00, ...END, ...END,
    ...END,
  ];
  return sized(code);
}

/** The module's bytes (one export per activation), with the heap imported shared or not. */
export function simdActivationGradBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule(shared, [TYPE], SIMD_GRAD_ACTIVATIONS.map((name) => [name, 0, gradBody(name)]));
}

/**
 * Byte offsets into the heap: `dz[r] = dy[r] · act'(y[r])` and `db += dz[r]` for `rows`
 * rows of `rowBytes` bytes (a multiple of 16); `linear` writes nothing to `dz`.
 */
export type SimdActivationGrad = Record<
  GradActivation,
  (dy: number, y: number, dz: number, db: number, rows: number, rowBytes: number) => void
>;

const instances = new WeakMap<WebAssembly.Memory, SimdActivationGrad | null>();

/** The loops bound to `memory` (the wasm backend's heap); null where wasm SIMD is unavailable. */
export function simdActivationGradFor(memory: WebAssembly.Memory): SimdActivationGrad | null {
  return compiledFor(instances, memory, simdActivationGradBytes, (e) => e as unknown as SimdActivationGrad);
}
