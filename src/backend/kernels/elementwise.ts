/**
 * Wrappers around the wasm `Add`, `Sub`, `Multiply`, `RealDiv`, `Square` and `Relu` kernels that
 * compute float32 inputs with strata's SIMD loops on the calling thread
 * (`simd_elementwise.ts`) instead of XNNPACK operators on the backend's thread pool:
 * tensors of one shape, a tensor and a row vector broadcast along its last axis, and a
 * tensor and a scalar; and in a plain loop, a tensor and a column (one value per row), or
 * a row vector of a length not a multiple of 4 onto up to 65,536 elements. Every other
 * case (other dtypes, other broadcasts) runs the backend's kernel. `Sigmoid` and `Tanh` of
 * float32 run the loops of `simd_sigmoid.ts` the same way, `LeakyRelu` (and strata's
 * `StrataLeakyReluGrad`) those of `simd_elementwise.ts`.
 * @module
 */
import { tf } from '../tf.js';
import { simdElementwiseFor, type BinaryOp, type SimdElementwise } from './simd_elementwise.js';
import { simdSigmoidFor, type SimdSigmoid } from './simd_sigmoid.js';
import { alloc, f32, free, heapMemory, heapOffset, marked, requireFloat32, sizeOf, wasmBackend, zeroFill, type Info, type KernelArgs, type WasmBackend } from './wasm_util.js';

/** The wasm kernels wrapped, and the operation each computes. */
export const ELEMENTWISE_KERNELS: Record<string, BinaryOp> = { Add: 'add', Sub: 'sub', Multiply: 'mul', RealDiv: 'div' };

const SCALAR_JS: Record<BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

function loopsFor(backend: WasmBackend): SimdElementwise | null {
  const memory = heapMemory(backend);
  return memory ? simdElementwiseFor(memory) : null;
}

const offset = heapOffset;

/** Largest output for the plain loop on rows whose length is not a multiple of 4. */
const PLAIN_LOOP_MAX = 1 << 16;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Whether `v` is a row vector (leading 1s, then `m`'s last dim) that broadcasts onto `m` without changing its shape. */
function isRowOf(v: readonly number[], m: readonly number[]): boolean {
  if (m.length === 0 || v.length === 0 || v.length > m.length) return false;
  const last = m[m.length - 1]!;
  return v[v.length - 1] === last && sizeOf(v) === last;
}

/**
 * `a op b` for float32 `a` and `b` of one shape, or one of them a row vector or scalar
 * for the other; undefined for every other case.
 */
function binary(backend: WasmBackend, op: BinaryOp, a: Info, b: Info): Info | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const na = sizeOf(a.shape);
  const nb = sizeOf(b.shape);
  if (na === 0 || nb === 0) return undefined;
  const loops = loopsFor(backend);
  if (!loops) return undefined;
  if (sameShape(a.shape, b.shape)) {
    const out = alloc(backend, [...a.shape]);
    const simdBytes = (na >> 2) << 4;
    loops[`${op}_same`](offset(backend, a), offset(backend, b), offset(backend, out), simdBytes);
    tail(backend, op, out, na, (i) => [f32(backend, a)[i]!, f32(backend, b)[i]!]);
    return out;
  }
  const big = na >= nb ? a : b;
  const small = big === a ? b : a;
  const nBig = Math.max(na, nb);
  const scalarFirst = small === a;
  if (sizeOf(small.shape) === 1 && small.shape.length <= big.shape.length) {
    const out = alloc(backend, [...big.shape]);
    const s = f32(backend, small)[0]!;
    loops[`${op}_${scalarFirst ? 'scalarFirst' : 'scalar'}`](offset(backend, big), s, offset(backend, out), (nBig >> 2) << 4);
    tail(backend, op, out, nBig, (i) => (scalarFirst ? [s, f32(backend, big)[i]!] : [f32(backend, big)[i]!, s]));
    return out;
  }
  const cols = big.shape[big.shape.length - 1]!;
  if (isRowOf(small.shape, big.shape) && cols % 4 === 0) {
    const out = alloc(backend, [...big.shape]);
    loops[`${op}_${scalarFirst ? 'rowFirst' : 'row'}`](offset(backend, big), offset(backend, small), offset(backend, out), nBig / cols, cols * 4);
    return out;
  }
  const column = isColumnOf(small.shape, big.shape);
  if (column || (isRowOf(small.shape, big.shape) && nBig <= PLAIN_LOOP_MAX)) {
    // One value per row (a loss's per-sample sums), or short rows (a 10-class bias): a
    // plain loop, which keeps the backend's thread pool asleep.
    const out = alloc(backend, [...big.shape]);
    const [m, v, o] = [f32(backend, big), f32(backend, small), f32(backend, out)];
    const f = SCALAR_JS[op];
    for (let i = 0; i < nBig; i++) {
      const s = v[column ? Math.floor(i / cols) : i % cols]!;
      o[i] = scalarFirst ? f(s, m[i]!) : f(m[i]!, s);
    }
    return out;
  }
  return undefined;
}

/** Whether `v` is `m`'s shape with the last dim 1 (one value per row of `m`), leading 1s aside. */
function isColumnOf(v: readonly number[], m: readonly number[]): boolean {
  if (m.length < 2 || v.length === 0 || v.length > m.length || v[v.length - 1] !== 1) return false;
  const lead = m.length - v.length;
  return v.every((d, i) => (i === v.length - 1 ? true : d === m[lead + i])) && m.slice(0, lead).every((d) => d === 1);
}

/** Computes the last `n mod 4` elements, which the 16-byte loops leave. */
function tail(backend: WasmBackend, op: BinaryOp, out: Info, n: number, operands: (i: number) => [number, number]): void {
  const start = (n >> 2) << 2;
  if (start === n) return;
  const o = f32(backend, out);
  for (let i = start; i < n; i++) {
    const [x, y] = operands(i);
    o[i] = SCALAR_JS[op](x, y);
  }
}

/**
 * Column sums of a float32 `[rows, cols]` tensor (cols a multiple of 4) with strata's loop,
 * rows added in order; undefined where the loop is unavailable or the shape does not fit.
 * The backend's `Sum` over the outer axis first transposes the whole input.
 */
export function simdColumnSum(backend: WasmBackend, x: Info, rows: number, cols: number): Info | undefined {
  if (x.dtype !== 'float32' || cols % 4 !== 0 || rows * cols === 0) return undefined;
  const loops = loopsFor(backend);
  if (!loops) return undefined;
  const out = alloc(backend, [cols]);
  zeroFill(backend, out);
  loops.colsum(offset(backend, x), offset(backend, out), rows, cols * 4);
  return out;
}

/** A binary kernel: strata's loop where it applies, else the backend's. */
export function withSimdBinary(op: BinaryOp, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = wasmBackend(args as KernelArgs);
    const { a, b } = args.inputs as { a: Info; b: Info };
    return binary(backend, op, a, b) ?? original(args);
  };
}

/** The `Relu` kernel: strata's loop for float32, else the backend's. */
export function withSimdRelu(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = wasmBackend(args as KernelArgs);
    const { x } = args.inputs as { x: Info };
    const n = sizeOf(x.shape);
    const loops = x.dtype === 'float32' && n > 0 ? loopsFor(backend) : null;
    if (!loops) return original(args);
    const out = alloc(backend, [...x.shape]);
    loops.relu(offset(backend, x), offset(backend, out), (n >> 2) << 4);
    const start = (n >> 2) << 2;
    if (start < n) {
      const xs = f32(backend, x);
      const o = f32(backend, out);
      for (let i = start; i < n; i++) o[i] = Number.isNaN(xs[i]!) ? NaN : Math.max(xs[i]!, 0);
    }
    return out;
  };
}

/** The `Square` kernel: `x·x` in strata's loop for float32 (bit for bit the backend's), else the backend's. */
export function withSimdSquare(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = wasmBackend(args as KernelArgs);
    const { x } = args.inputs as { x: Info };
    return binary(backend, 'mul', x, x) ?? original(args);
  };
}

/**
 * A float32 unary kernel computed by one of strata's SIMD loops (`simd_sigmoid.ts`) on the
 * calling thread, else the backend's. The last `n mod 4` elements go through the same loop
 * in a 16-byte scratch tensor, so every element is computed alike.
 */
function withSimdUnary(name: keyof SimdSigmoid, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = wasmBackend(args as KernelArgs);
    const { x } = args.inputs as { x: Info };
    const n = sizeOf(x.shape);
    const memory = x.dtype === 'float32' && n > 0 ? heapMemory(backend) : undefined;
    const loops = memory ? simdSigmoidFor(memory) : null;
    if (!loops) return original(args);
    const out = alloc(backend, [...x.shape]);
    const whole = (n >> 2) << 2;
    loops[name](offset(backend, x), offset(backend, out), whole * 4);
    if (whole < n) {
      const scratch = alloc(backend, [4]);
      const s = f32(backend, scratch);
      s.fill(0);
      s.set(f32(backend, x).subarray(whole, n));
      loops[name](offset(backend, scratch), offset(backend, scratch), 16);
      f32(backend, out).set(f32(backend, scratch).subarray(0, n - whole), whole);
      free(backend, scratch);
    }
    return out;
  };
}

/** The `Sigmoid` kernel: strata's SIMD loop for float32, else the backend's. */
export function withSimdSigmoid(original: tf.KernelFunc): tf.KernelFunc {
  return withSimdUnary('sigmoid', original);
}

/** The `Tanh` kernel: strata's SIMD loop for float32, else the backend's. */
export function withSimdTanh(original: tf.KernelFunc): tf.KernelFunc {
  return withSimdUnary('tanh', original);
}

/** The registered name of the leaky ReLU's gradient kernel: inputs `dy`, `x`; attribute `alpha`. */
export const LEAKY_RELU_GRAD = 'StrataLeakyReluGrad';

/**
 * `x > 0 ? a : alpha·a` in float32, `alpha` rounded to float32 as the SIMD loop takes it (and
 * as tfjs' gradient multiplies; its cpu forward kernel multiplies by the float64 `alpha`,
 * which can differ in the last bit).
 */
function leakyScalar(a: number, x: number, alpha: number): number {
  return x > 0 ? a : Math.fround(Math.fround(alpha) * a);
}

/**
 * The `LeakyRelu` kernel: strata's SIMD loop for float32 (the backend's runs through its
 * thread pool: 0.8 ms for [32, 14, 14, 32] on the threaded build), else the backend's.
 */
export function withSimdLeakyRelu(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = wasmBackend(args as KernelArgs);
    const { x } = args.inputs as { x: Info };
    const alpha = Number((args.attrs as { alpha?: number }).alpha);
    const n = sizeOf(x.shape);
    const loops = x.dtype === 'float32' && n > 0 && Number.isFinite(alpha) ? loopsFor(backend) : null;
    if (!loops) return original(args);
    const out = alloc(backend, [...x.shape]);
    loops.leakyRelu(offset(backend, x), alpha, offset(backend, out), (n >> 2) << 4);
    const [xs, o] = [f32(backend, x), f32(backend, out)];
    for (let i = (n >> 2) << 2; i < n; i++) o[i] = leakyScalar(xs[i]!, xs[i]!, alpha);
    return out;
  };
}

function leakyReluGrad(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { dy, x } = args.inputs as { dy: Info; x: Info };
  requireFloat32(LEAKY_RELU_GRAD, { dy, x });
  const alpha = Number((args.attrs as unknown as { alpha: number }).alpha);
  const n = sizeOf(x.shape);
  const out = alloc(backend, [...x.shape]);
  const loops = loopsFor(backend);
  const simd = loops ? (n >> 2) << 2 : 0;
  if (loops && simd > 0) loops.leakyReluGrad(offset(backend, dy), offset(backend, x), alpha, offset(backend, out), 4 * simd);
  const [d, xs, o] = [f32(backend, dy), f32(backend, x), f32(backend, out)];
  for (let i = simd; i < n; i++) o[i] = leakyScalar(d[i]!, xs[i]!, alpha);
  return out;
}

/** Kernel config for the leaky ReLU's gradient on wasm (`leaky_relu.ts` one level up uses it). */
export const leakyReluGradConfig: tf.KernelConfig = {
  kernelName: LEAKY_RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: marked(leakyReluGrad as unknown as tf.KernelFunc),
};
