/**
 * Wasm SIMD loops for the logistic sigmoid and tanh of float32 data on the wasm backend's
 * heap, run on the calling thread, four floats at a time. The backend's `Sigmoid` runs
 * through an XNNPACK operator on its thread pool, which on the threaded build costs a
 * wake-up per call (an LSTM's [64, 512] gate block: 76 µs a call against 7.6 µs on the
 * single-threaded build), and its `Tanh` is a scalar loop (54 µs for [64, 128]).
 *
 * Both are built on one `exp`: `x = n·ln 2 + r` with `n` the nearest integer to `x / ln 2`
 * (`ln 2` in two parts, so that `r` is exact), `eʳ` from its Taylor series to `r⁷/7!`
 * (`|r| ≤ ln 2 / 2`, truncation below 6e-9 relative), times `2ⁿ` built in the exponent
 * bits. Then `sigmoid(x) = 1 / (1 + e⁻ˣ)`, and `tanh(x) = 1 − 2 / (e²ˣ + 1)` for
 * `|x| ≥ 0.5` with the odd Taylor series to `x¹⁷` below (where the subtraction would cancel
 * digits), the sign copied from `x`. Both are within a few units in the last place of the
 * exact values (tests compare with float64), NaN stays NaN, ±Infinity give the limits.
 * @module
 */
import { BLOCK, END, I32, LOOP, V128, add, at, bitselect, breakIfDone, addConst, compiledFor, div, get, load, lt, mul, set, simd, sized, store, sub, vec, wasmModule } from './wasm_asm.js';

const UNARY_TYPE = [0x60, ...vec([[I32], [I32], [I32]]), 0x00]; // (a, out, bytes)

const min = simd(0xe8);
const max = simd(0xe9);
const abs = simd(0xe0);
const neg = simd(0xe1);
const nearest = simd(0x6a);
const truncSat = simd(0xf8); // i32x4.trunc_sat_f32x4_s
const iadd = simd(0xae); // i32x4.add
const shl = simd(0xab); // i32x4.shl

/** `v128.const` of four copies of a float32. */
function f4(x: number): number[] {
  const bytes = new Uint8Array(new Float32Array([x, x, x, x]).buffer);
  return [...simd(0x0c), ...bytes];
}

/** `v128.const` of four copies of an int32. */
function i4(x: number): number[] {
  const bytes = new Uint8Array(new Int32Array([x, x, x, x]).buffer);
  return [...simd(0x0c), ...bytes];
}

const LOG2E = Math.LOG2E;
const LN2_HI = 0.693359375; // nine significant bits: n · LN2_HI is exact for |n| < 2¹⁵
const LN2_LO = Math.LN2 - LN2_HI;
/** Largest and smallest arguments of `exp`: 2ⁿ stays a normal float (n ≤ 127 gives up to 1.7e38; 128 gives Infinity). */
const EXP_MAX = 88.7;
const EXP_MIN = -87.3;
/** 1/k! for k = 7 down to 0. */
const EXP_TAYLOR = [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];
/** Odd Taylor coefficients of tanh, x¹⁷ down to x³ (x itself added last). */
const TANH_TAYLOR = [
  6404582 / 10854718875, -929569 / 638512875, 21844 / 6081075, -1382 / 155925, 62 / 2835, -17 / 315, 2 / 15, -1 / 3,
];
const TANH_SMALL = 0.5;

/** Horner's rule over `coefficients` (highest first) in the variable held by local `v`. */
function horner(coefficients: number[], v: number): number[] {
  const [first, ...rest] = coefficients;
  return [...f4(first!), ...rest.flatMap((c) => [...get(v), ...mul, ...f4(c), ...add])];
}

/** `exp` of the (clamped) value in local `t`, left on the stack; `n` and `r` are scratch v128 locals. */
function exp(t: number, n: number, r: number): number[] {
  return [
    ...get(t), ...f4(LOG2E), ...mul, ...nearest, ...set(n),
    ...get(t), ...get(n), ...f4(LN2_HI), ...mul, ...sub, ...get(n), ...f4(LN2_LO), ...mul, ...sub, ...set(r),
    ...horner(EXP_TAYLOR, r),
    // 2ⁿ: (n + 127) in the exponent field.
    ...get(n), ...truncSat, ...i4(127), ...iadd, 0x41, 23, ...shl,
    ...mul,
  ];
}

/** A loop over `bytes` (a multiple of 16) of `a`, writing `out`; `value(x)` leaves the result for the v128 in local `x`. */
function unary(scratch: number, value: (x: number) => number[]): number[] {
  const [a, out, len, k, x] = [0, 1, 2, 3, 4];
  return sized([
    ...vec([[1, I32], [1 + scratch, V128]]),
    ...BLOCK, ...LOOP, ...breakIfDone(k, len),
    ...at(out, k), ...at(a, k), ...load, ...set(x),
    ...value(x),
    ...store,
    ...addConst(k, 16), 0x0c, 0x00, ...END, ...END,
    ...END,
  ]);
}

/** `1 / (1 + e⁻ˣ)`. */
function sigmoid(): number[] {
  const [t, n, r] = [5, 6, 7];
  return unary(3, (x) => [
    ...get(x), ...neg, ...f4(EXP_MIN), ...max, ...f4(EXP_MAX), ...min, ...set(t),
    ...f4(1), ...exp(t, n, r), ...f4(1), ...add, ...div,
  ]);
}

/** tanh: the series below 0.5 in magnitude, `1 − 2 / (e²ˣ + 1)` above, the sign of `x`. */
function tanh(): number[] {
  const [a, q, small, big, t, n, r] = [5, 6, 7, 8, 9, 10, 11];
  return unary(7, (x) => [
    ...get(x), ...abs, ...set(a),
    ...get(a), ...get(a), ...mul, ...set(q),
    // a + a·q·P(q)
    ...horner(TANH_TAYLOR, q), ...get(q), ...mul, ...get(a), ...mul, ...get(a), ...add, ...set(small),
    ...get(a), ...get(a), ...add, ...f4(EXP_MAX), ...min, ...set(t),
    ...f4(1), ...f4(2), ...exp(t, n, r), ...f4(1), ...add, ...div, ...sub, ...set(big),
    // copysign(|a| < 0.5 ? small : big, x)
    ...get(x), ...get(small), ...get(big), ...get(a), ...f4(TANH_SMALL), ...lt, ...bitselect,
    ...i4(-0x80000000), ...bitselect,
  ]);
}

function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule(shared, [UNARY_TYPE], [['sigmoid', 0, sigmoid()], ['tanh', 0, tanh()]]);
}

/** The loops, on byte offsets into the heap; `bytes` a multiple of 16. */
export interface SimdSigmoid {
  sigmoid(a: number, out: number, bytes: number): void;
  tanh(a: number, out: number, bytes: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, SimdSigmoid | null>();

/**
 * The loops bound to `memory` (the wasm backend's heap), compiled once per memory; null
 * where wasm SIMD is unavailable or the module does not instantiate.
 */
export function simdSigmoidFor(memory: WebAssembly.Memory): SimdSigmoid | null {
  return compiledFor(instances, memory, moduleBytes, (e) => e as unknown as SimdSigmoid);
}

/** An activation applied by {@link activationOn}. */
export type SigmoidOrTanh = keyof SimdSigmoid;

/**
 * Applies `kind` to `count` floats at heap byte offset `from` of `memory`, writing at `to`
 * (the same offset works in place): the SIMD loops for whole vectors, `Math` for the last
 * `count mod 4` (and for all of them where wasm SIMD is unavailable).
 */
export function activationOn(memory: WebAssembly.Memory): (kind: SigmoidOrTanh, from: number, to: number, count: number) => void {
  const loops = simdSigmoidFor(memory);
  return (kind, from, to, count) => {
    const whole = loops ? count & ~3 : 0;
    if (whole > 0) loops![kind](from, to, 4 * whole);
    if (whole === count) return;
    const heap = new Float32Array(memory.buffer);
    for (let k = whole; k < count; k++) {
      const x = heap[from / 4 + k]!;
      heap[to / 4 + k] = kind === 'sigmoid' ? 1 / (1 + Math.exp(-x)) : Math.tanh(x);
    }
  };
}
