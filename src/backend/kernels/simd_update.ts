/**
 * Wasm SIMD loops for the fused optimizer updates: a small module, assembled here byte by
 * byte, that imports the wasm backend's own memory and updates a variable and its slots
 * in place, four floats at a time (a JavaScript loop does one). Plain Adam, SGD with
 * momentum (and Nesterov) and plain RMSprop; other variants use the JavaScript loops.
 * @module
 */

import { F32, I32, V128, add, at, body, div, get, load, mul, set, splat, sqrt, store, sub, uleb, vec, compiledFor, wasmModule } from './wasm_asm.js';

// adam(w, m, v, g, len, alpha, beta1, 1-beta1, beta2, 1-beta2, epsilon, decay)
const ADAM_TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [F32], [F32], [F32], [F32], [F32], [F32], [F32]]), 0x00];
/** The Adam step over 16 bytes at `k`, with the scalars splatted in locals `A` to `D`. */
function adamStep([w, m, v, g]: number[], [k, G, M, V, A, B1, C1, B2, C2, E, D]: number[]): number[] {
  return [
    ...at(g, k), ...load, ...set(G),
    ...get(B1), ...at(m, k), ...load, ...mul, ...get(C1), ...get(G), ...mul, ...add, ...set(M),
    ...at(m, k), ...get(M), ...store,
    ...get(B2), ...at(v, k), ...load, ...mul, ...get(C2), ...get(G), ...mul, ...get(G), ...mul, ...add, ...set(V),
    ...at(v, k), ...get(V), ...store,
    ...at(w, k),
    ...get(D), ...at(w, k), ...load, ...mul,
    ...get(A), ...get(M), ...mul, ...get(V), ...sqrt, ...get(E), ...add, ...div,
    ...sub, ...store,
  ];
}

const ADAM = (() => {
  const locals = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const [k, , , , A, B1, C1, B2, C2, E, D] = locals;
  const step = adamStep([0, 1, 2, 3], locals);
  return body(k!, 4, [[1, I32], [10, V128]], [[5, A!], [6, B1!], [7, C1!], [8, B2!], [9, C2!], [10, E!], [11, D!]], step);
})();

// adamPacked(w, m, v, g, len, params): Adam with its seven scalars read from the heap at
// `params` (alpha, beta1, 1-beta1, beta2, 1-beta2, epsilon, decay as float32), so the pool's
// call jobs, whose arguments are int32, can run it part by part.
const ADAM_PACKED_TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00];
const ADAM_PACKED = (() => {
  const locals = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const scalars = locals.slice(4);
  // f32.load (align 4, offset 4i) from `params`, splatted into each scalar's local.
  const prologue = scalars.flatMap((l, i) => [...get(5), 0x2a, 0x02, ...uleb(4 * i), ...splat, ...set(l)]);
  return body(locals[0]!, 4, [[1, I32], [10, V128]], [], adamStep([0, 1, 2, 3], locals), prologue);
})();

// momentum(w, u, g, len, lr, mu, decay, mu2, lr2): u = mu·u - lr·g; w = decay·w + mu2·u - lr2·g
const MOMENTUM_TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32], [F32], [F32], [F32], [F32], [F32]]), 0x00];
const MOMENTUM = (() => {
  const [w, u, g, len] = [0, 1, 2, 3];
  const [k, G, U, LR, MU, D, MU2, LR2] = [9, 10, 11, 12, 13, 14, 15, 16];
  const step = [
    ...at(g, k), ...load, ...set(G),
    ...get(MU), ...at(u, k), ...load, ...mul, ...get(LR), ...get(G), ...mul, ...sub, ...set(U),
    ...at(u, k), ...get(U), ...store,
    ...at(w, k),
    ...get(D), ...at(w, k), ...load, ...mul, ...get(MU2), ...get(U), ...mul, ...add, ...get(LR2), ...get(G), ...mul, ...sub,
    ...store,
  ];
  return body(k, len, [[1, I32], [7, V128]], [[4, LR], [5, MU], [6, D], [7, MU2], [8, LR2]], step);
})();

// rmsprop(w, v, g, len, lr, rho, 1-rho, epsilon, decay): v = rho·v + (1-rho)·g²; w = decay·w - lr·g / sqrt(v + eps)
const RMSPROP_TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32], [F32], [F32], [F32], [F32], [F32]]), 0x00];
const RMSPROP = (() => {
  const [w, v, g, len] = [0, 1, 2, 3];
  const [k, G, V, LR, RHO, C, E, D] = [9, 10, 11, 12, 13, 14, 15, 16];
  const step = [
    ...at(g, k), ...load, ...set(G),
    ...get(RHO), ...at(v, k), ...load, ...mul, ...get(C), ...get(G), ...mul, ...get(G), ...mul, ...add, ...set(V),
    ...at(v, k), ...get(V), ...store,
    ...at(w, k),
    ...get(D), ...at(w, k), ...load, ...mul, ...get(LR), ...get(G), ...mul, ...get(V), ...get(E), ...add, ...sqrt, ...div, ...sub,
    ...store,
  ];
  return body(k, len, [[1, I32], [7, V128]], [[4, LR], [5, RHO], [6, C], [7, E], [8, D]], step);
})();

/** The module's bytes (exports `adam`, `momentum`, `rmsprop`, `adamPacked`), with the heap imported shared or not. */
export function simdUpdateBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule(shared, [ADAM_TYPE, MOMENTUM_TYPE, RMSPROP_TYPE, ADAM_PACKED_TYPE], [
    ['adam', 0, ADAM], ['momentum', 1, MOMENTUM], ['rmsprop', 2, RMSPROP], ['adamPacked', 3, ADAM_PACKED],
  ]);
}

/** The SIMD update functions; pointers are byte offsets into the memory, `len` bytes in multiples of 16. */
export interface SimdUpdates {
  adam(w: number, m: number, v: number, g: number, len: number, alpha: number, b1: number, c1: number, b2: number, c2: number, eps: number, decay: number): void;
  momentum(w: number, u: number, g: number, len: number, lr: number, mu: number, decay: number, mu2: number, lr2: number): void;
  rmsprop(w: number, v: number, g: number, len: number, lr: number, rho: number, c: number, eps: number, decay: number): void;
  /** `adam` with its seven scalars as float32 at `params`, in `adam`'s order. */
  adamPacked(w: number, m: number, v: number, g: number, len: number, params: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, SimdUpdates | null>();

/**
 * The SIMD update functions bound to `memory` (the wasm backend's heap), compiled once per
 * memory; null where wasm SIMD is unavailable or the module does not instantiate.
 */
export function simdUpdatesFor(memory: WebAssembly.Memory): SimdUpdates | null {
  return compiledFor(instances, memory, simdUpdateBytes, (e) => e as unknown as SimdUpdates);
}
