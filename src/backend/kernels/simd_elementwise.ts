/**
 * Wasm SIMD loops for float32 elementwise arithmetic on the wasm backend's heap, run on the
 * calling thread. The backend's own `Add`, `Sub`, `Multiply`, `RealDiv` and `Relu` go
 * through XNNPACK operators run on its thread pool: on the threaded build every call,
 * however small, wakes the pool's workers, which cost about 30 µs a call on an idle
 * 2-core machine (an `Add` of 32,768 floats took 33 µs against 4 µs single-threaded) and
 * far more when another process holds a core. Four floats at a time on one thread are
 * faster for everything a training step does elementwise.
 * @module
 */
import {
  BLOCK, END, F32, I32, LOOP, V128, add, addConst, at, bitselect, breakIfDone, div, get, gt, i32add, load, max, mul, set, sized, splat, store, sub, vec,
  compiledFor, wasmModule,
} from './wasm_asm.js';

/** The binary operations, by the name of their function in the module. */
export const BINARY_OPS = { add, sub, mul, div } as const;

/** Name of a binary operation. */
export type BinaryOp = keyof typeof BINARY_OPS;

const SAME_TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32]]), 0x00];        // (a, b, out, bytes)
const ROW_TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00];  // (m, v, out, rows, rowBytes)
const SCALAR_TYPE = [0x60, ...vec([[I32], [F32], [I32], [I32]]), 0x00];      // (a, s, out, bytes)
const UNARY_TYPE = [0x60, ...vec([[I32], [I32], [I32]]), 0x00];              // (a, out, bytes)
const PAIR_SCALAR_TYPE = [0x60, ...vec([[I32], [I32], [F32], [I32], [I32]]), 0x00]; // (a, b, s, out, bytes)
const ZERO = [0x43, 0x00, 0x00, 0x00, 0x00, ...splat]; // f32.const 0, splat

function fn(locals: number[][], code: number[]): number[] {
  return sized([...vec(locals), ...code, ...END]);
}

/** `out[k] = a[k] op b[k]`. */
function same(op: number[]): number[] {
  const [a, b, out, len, k] = [0, 1, 2, 3, 4];
  return fn([[1, I32]], [
    ...BLOCK, ...LOOP, ...breakIfDone(k, len),
    ...at(out, k), ...at(a, k), ...load, ...at(b, k), ...load, ...op, ...store,
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
  ]);
}

/** `out[r, k] = m[r, k] op v[k]`, or `v[k] op m[r, k]` when `vectorFirst`. */
function row(op: number[], vectorFirst: boolean): number[] {
  const [m, v, out, rows, rowBytes, k, r] = [0, 1, 2, 3, 4, 5, 6];
  const operands = vectorFirst ? [...at(v, k), ...load, ...at(m, k), ...load] : [...at(m, k), ...load, ...at(v, k), ...load];
  return fn([[2, I32]], [
    ...BLOCK, ...LOOP, ...breakIfDone(r, rows),
    0x41, 0x00, ...set(k),
    ...BLOCK, ...LOOP, ...breakIfDone(k, rowBytes),
    ...at(out, k), ...operands, ...op, ...store,
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
    ...get(m), ...get(rowBytes), ...i32add, ...set(m),
    ...get(out), ...get(rowBytes), ...i32add, ...set(out),
    ...addConst(r, 1), 0x0c, 0x00, ...END, ...END,
  ]);
}

/** `out[k] = a[k] op s`, or `s op a[k]` when `scalarFirst`. */
function scalar(op: number[], scalarFirst: boolean): number[] {
  const [a, s, out, len, k, S] = [0, 1, 2, 3, 4, 5];
  const operands = scalarFirst ? [...get(S), ...at(a, k), ...load] : [...at(a, k), ...load, ...get(S)];
  return fn([[1, I32], [1, V128]], [
    ...get(s), ...splat, ...set(S),
    ...BLOCK, ...LOOP, ...breakIfDone(k, len),
    ...at(out, k), ...operands, ...op, ...store,
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
  ]);
}

/** `out[k] = max(a[k], 0)` (NaN stays NaN). */
function relu(): number[] {
  const [a, out, len, k, Z] = [0, 1, 2, 3, 4];
  return fn([[1, I32], [1, V128]], [
    0x43, 0x00, 0x00, 0x00, 0x00, ...splat, ...set(Z), // f32.const 0, splat
    ...BLOCK, ...LOOP, ...breakIfDone(k, len),
    ...at(out, k), ...at(a, k), ...load, ...get(Z), ...max, ...store,
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
  ]);
}

/** `out[k] = a[k] > 0 ? a[k] : alpha·a[k]` (NaN stays NaN, −0 stays −0). */
function leakyRelu(): number[] {
  const [a, alpha, out, len, k, A, X] = [0, 1, 2, 3, 4, 5, 6];
  return fn([[1, I32], [2, V128]], [
    ...get(alpha), ...splat, ...set(A),
    ...BLOCK, ...LOOP, ...breakIfDone(k, len),
    ...at(out, k), ...at(a, k), ...load, ...set(X),
    ...get(X), ...get(X), ...get(A), ...mul, ...get(X), ...ZERO, ...gt, ...bitselect, ...store,
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
  ]);
}

/** `out[k] = x[k] > 0 ? dy[k] : alpha·dy[k]`: the gradient of {@link leakyRelu}. */
function leakyReluGrad(): number[] {
  const [dy, x, alpha, out, len, k, A, D] = [0, 1, 2, 3, 4, 5, 6, 7];
  return fn([[1, I32], [2, V128]], [
    ...get(alpha), ...splat, ...set(A),
    ...BLOCK, ...LOOP, ...breakIfDone(k, len),
    ...at(out, k), ...at(dy, k), ...load, ...set(D),
    ...get(D), ...get(D), ...get(A), ...mul, ...at(x, k), ...load, ...ZERO, ...gt, ...bitselect, ...store,
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
  ]);
}

/** `out[k] += m[r, k]` over every row `r`: column sums into `out` (which the caller zeroes). */
function colsum(): number[] {
  const [m, out, rows, rowBytes, k, r] = [0, 1, 2, 3, 4, 5];
  return fn([[2, I32]], [
    ...BLOCK, ...LOOP, ...breakIfDone(r, rows),
    0x41, 0x00, ...set(k),
    ...BLOCK, ...LOOP, ...breakIfDone(k, rowBytes),
    ...at(out, k), ...at(out, k), ...load, ...at(m, k), ...load, ...add, ...store,
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
    ...get(m), ...get(rowBytes), ...i32add, ...set(m),
    ...addConst(r, 1), 0x0c, 0x00, ...END, ...END,
  ]);
}

/** The functions of the module, in order: name, type index, body. */
function functions(): [string, number, number[]][] {
  const list: [string, number, number[]][] = [];
  for (const [name, op] of Object.entries(BINARY_OPS)) {
    list.push([`${name}_same`, 0, same(op)]);
    list.push([`${name}_row`, 1, row(op, false)]);
    list.push([`${name}_rowFirst`, 1, row(op, true)]);
    list.push([`${name}_scalar`, 2, scalar(op, false)]);
    list.push([`${name}_scalarFirst`, 2, scalar(op, true)]);
  }
  list.push(['relu', 3, relu()]);
  list.push(['colsum', 0, colsum()]);
  list.push(['leakyRelu', 2, leakyRelu()]);
  list.push(['leakyReluGrad', 4, leakyReluGrad()]);
  return list;
}

function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule(shared, [SAME_TYPE, ROW_TYPE, SCALAR_TYPE, UNARY_TYPE, PAIR_SCALAR_TYPE], functions());
}

/** Byte offsets into the heap; byte counts in multiples of 16. */
export type SimdElementwise = {
  [K in `${BinaryOp}_same`]: (a: number, b: number, out: number, bytes: number) => void;
} & {
  [K in `${BinaryOp}_row` | `${BinaryOp}_rowFirst`]: (m: number, v: number, out: number, rows: number, rowBytes: number) => void;
} & {
  [K in `${BinaryOp}_scalar` | `${BinaryOp}_scalarFirst`]: (a: number, s: number, out: number, bytes: number) => void;
} & {
  relu: (a: number, out: number, bytes: number) => void;
  colsum: (m: number, out: number, rows: number, rowBytes: number) => void;
  leakyRelu: (a: number, alpha: number, out: number, bytes: number) => void;
  leakyReluGrad: (dy: number, x: number, alpha: number, out: number, bytes: number) => void;
};

const instances = new WeakMap<WebAssembly.Memory, SimdElementwise | null>();

/**
 * The elementwise loops bound to `memory` (the wasm backend's heap), compiled once per
 * memory; null where wasm SIMD is unavailable or the module does not instantiate.
 */
export function simdElementwiseFor(memory: WebAssembly.Memory): SimdElementwise | null {
  return compiledFor(instances, memory, moduleBytes, (e) => e as unknown as SimdElementwise);
}
