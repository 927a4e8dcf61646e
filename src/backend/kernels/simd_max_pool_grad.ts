/**
 * 2×2, stride-2 max pooling (NHWC, channels a multiple of 4) as wasm SIMD loops over the
 * backend's heap, one image a call. `grad`: each window sends its gradient to the first
 * position (row-major) holding its maximum, four channels at a time, as `max_pool_grad.ts`
 * does one at a time; the windows do not overlap, so every input position is written at
 * most once. `forward`: each window's maximum, NaN ignored as on the cpu backend.
 * @module
 */
import {
  BLOCK, END, I32, LOOP, V128, add, addConst, addLocal, and, andnot, bitselect, breakIfDone, get, gt, i32add, load, pmax, set,
  sized, splat, store, vec, compiledFor, wasmModule,
} from './wasm_asm.js';

const sum = (...locals: number[]) => [...get(locals[0]!), ...locals.slice(1).flatMap((l) => [...get(l), ...i32add])];

// grad(x, g, dx, rows, cols, cBytes, rowBytes), for one image: rows = outHeight window rows, cols =
// outWidth windows a row, cBytes = channels·4, rowBytes = inWidth·channels·4.
const TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), 0x00];
const BODY = (() => {
  const [x, g, dx, rows, cols, cB, rowB] = [0, 1, 2, 3, 4, 5, 6];
  // i32 locals 7..12, v128 locals 13..23
  const [r, ox, k, a, d, twoRows] = [7, 8, 9, 10, 11, 12];
  const [NEG, ZERO, V0, V1, V2, V3, M, C0, C1, C2, C3] = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
  const loadAt = (...locals: number[]) => [...sum(...locals), ...load];
  const storeMasked = (mask: number[], ...locals: number[]) => [
    ...sum(...locals), ...get(24), ...mask, ...and, ...get(ZERO), ...add, ...store,
  ];
  const G = 24;
  const code = [
    ...vec([[6, I32], [12, V128]]),
    0x43, 0x00, 0x00, 0x80, 0xff, ...splat, ...set(NEG), // -Infinity
    0x43, 0x00, 0x00, 0x00, 0x00, ...splat, ...set(ZERO),
    ...get(rowB), ...get(rowB), ...i32add, ...set(twoRows),
    ...BLOCK, ...LOOP, ...breakIfDone(r, rows),
    ...get(x), ...set(a), ...get(dx), ...set(d), 0x41, 0x00, ...set(ox),
    ...BLOCK, ...LOOP, ...breakIfDone(ox, cols),
    0x41, 0x00, ...set(k),
    ...BLOCK, ...LOOP, ...breakIfDone(k, cB),
    ...loadAt(a, k), ...set(V0),
    ...loadAt(a, cB, k), ...set(V1),
    ...loadAt(a, rowB, k), ...set(V2),
    ...loadAt(a, rowB, cB, k), ...set(V3),
    ...loadAt(g, k), ...set(G),
    ...get(V0), ...get(NEG), ...gt, ...set(C0),
    ...get(V0), ...get(NEG), ...get(C0), ...bitselect, ...set(M),
    ...get(V1), ...get(M), ...gt, ...set(C1),
    ...get(V1), ...get(M), ...get(C1), ...bitselect, ...set(M),
    ...get(V2), ...get(M), ...gt, ...set(C2),
    ...get(V2), ...get(M), ...get(C2), ...bitselect, ...set(M),
    ...get(V3), ...get(M), ...gt, ...set(C3),
    // winners: 3 = c3; 2 = c2 & !c3; 1 = c1 & !c2 & !c3; 0 = c0 & !c1 & !c2 & !c3
    ...storeMasked([...get(C0), ...get(C1), ...andnot, ...get(C2), ...andnot, ...get(C3), ...andnot], d, k),
    ...storeMasked([...get(C1), ...get(C2), ...andnot, ...get(C3), ...andnot], d, cB, k),
    ...storeMasked([...get(C2), ...get(C3), ...andnot], d, rowB, k),
    ...storeMasked([...get(C3)], d, rowB, cB, k),
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
    ...addLocal(a, cB), ...addLocal(a, cB), ...addLocal(d, cB), ...addLocal(d, cB), ...addLocal(g, cB),
    ...addConst(ox, 1), 0x0c, 0x00, ...END, ...END,
    ...addLocal(x, twoRows), ...addLocal(dx, twoRows),
    ...addConst(r, 1), 0x0c, 0x00, ...END, ...END,
    ...END,
  ];
  return sized(code);
})();

// forward(x, y, rows, cols, cBytes, rowBytes), for one image: as grad, the pooled output in y.
// The maximum starts at -Infinity and a value replaces it only when greater, as on the cpu
// backend: NaN never wins (a window of NaN alone gives -Infinity), the gradient's rule too.
const FORWARD_TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00];
const FORWARD_BODY = (() => {
  const [x, y, rows, cols, cB, rowB] = [0, 1, 2, 3, 4, 5];
  const [r, ox, k, a, twoRows] = [6, 7, 8, 9, 10];
  const [NEG, M] = [11, 12];
  // f32x4.pmax(m, v) is `m < v ? v : m`.
  const take = (...at: number[]) => [...get(M), ...sum(...at), ...load, ...pmax, ...set(M)];
  const code = [
    ...vec([[5, I32], [2, V128]]),
    0x43, 0x00, 0x00, 0x80, 0xff, ...splat, ...set(NEG), // -Infinity
    ...get(rowB), ...get(rowB), ...i32add, ...set(twoRows),
    ...BLOCK, ...LOOP, ...breakIfDone(r, rows),
    ...get(x), ...set(a), 0x41, 0x00, ...set(ox),
    ...BLOCK, ...LOOP, ...breakIfDone(ox, cols),
    0x41, 0x00, ...set(k),
    ...BLOCK, ...LOOP, ...breakIfDone(k, cB),
    ...get(NEG), ...set(M),
    ...take(a, k), ...take(a, cB, k), ...take(a, rowB, k), ...take(a, rowB, cB, k),
    ...sum(y, k), ...get(M), ...store,
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
    ...addLocal(a, cB), ...addLocal(a, cB), ...addLocal(y, cB),
    ...addConst(ox, 1), 0x0c, 0x00, ...END, ...END,
    ...addLocal(x, twoRows),
    ...addConst(r, 1), 0x0c, 0x00, ...END, ...END,
    ...END,
  ];
  return sized(code);
})();

/** The module's bytes (exports `grad` and `forward`), with the heap imported shared or not. */
export function maxPoolGrad2x2Bytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule(shared, [TYPE, FORWARD_TYPE], [['grad', 0, BODY], ['forward', 1, FORWARD_BODY]]);
}

/** The loop: byte offsets into the heap; see the module comment for the arguments. */
export type MaxPoolGrad2x2 = (x: number, g: number, dx: number, rows: number, cols: number, cBytes: number, rowBytes: number) => void;

/** The forward loop: `x` an image, `y` its pooled output; the counts as for the gradient. */
export type MaxPool2x2 = (x: number, y: number, rows: number, cols: number, cBytes: number, rowBytes: number) => void;

interface Loops {
  grad: MaxPoolGrad2x2;
  forward: MaxPool2x2;
}

const instances = new WeakMap<WebAssembly.Memory, Loops | null>();

/** The gradient loop bound to `memory` (the wasm backend's heap); null where it does not instantiate. */
export function maxPoolGrad2x2For(memory: WebAssembly.Memory): MaxPoolGrad2x2 | null {
  return compiledFor(instances, memory, maxPoolGrad2x2Bytes, (e) => e as unknown as Loops)?.grad ?? null;
}

/** The forward loop bound to `memory`; null where it does not instantiate. */
export function maxPool2x2For(memory: WebAssembly.Memory): MaxPool2x2 | null {
  return compiledFor(instances, memory, maxPoolGrad2x2Bytes, (e) => e as unknown as Loops)?.forward ?? null;
}
