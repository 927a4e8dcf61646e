/**
 * Wrappers around the wasm `BatchMatMul` and `_FusedMatMul` kernels. Float32 products run
 * on strata's own loops (`simd_mat_mul.ts`) wherever wasm SIMD is available; what follows
 * is the fallback onto the backend's kernels. The backend sends
 * every call with a transposed operand, or with a batch dimension, to a naive loop
 * (about 1 GFLOP/s); only plain 2-D products reach XNNPACK (10–18 GFLOP/s). The wrappers
 * transpose operands explicitly with the wasm `Transpose` kernel, fold the batch of `a`
 * into its rows when `b` has none, and then call the original kernel.
 *
 * XNNPACK packs `b` (the "weights", `k×n`) on every call with a new `b`; beyond a few
 * MB that costs about four times a transpose per element. When `a` is much the smaller
 * (a filter gradient with few taps and a long batch), the wrapper computes `(bᵀ·aᵀ)ᵀ`
 * instead, so that the small operand is the one packed.
 *
 * They also guard a cache of the backend: XNNPACK operators are cached by the data id
 * of `b` alone, so a reshaped view of the same data used later as `b` with another
 * shape would silently reuse the first packing and return wrong numbers. A `b` seen
 * before with another `[k, n]` is copied to a fresh id first.
 * @module
 */
import { tf } from '../tf.js';
import { simdMatMul } from './simd_mat_mul.js';
import { copy, free, sizeOf, transpose, viewAs, wasmBackend, type Info, type KernelArgs, type WasmBackend } from './wasm_util.js';

// Relative costs per element, measured in Node 20: a wasm 2-D transpose about 2 ns;
// packing XNNPACK weights about 1 ns while they fit in cache and 8–20 ns beyond 2 MB.
const TRANSPOSE_COST = 2;
const PACK_IN_CACHE = 1;
const PACK_OUT_OF_CACHE = 8;
const CACHE_ELEMENTS = 1 << 19;

function packCost(elements: number): number {
  return elements * (elements > CACHE_ELEMENTS ? PACK_OUT_OF_CACHE : PACK_IN_CACHE);
}

// For each data id used as `b` on the XNNPACK path: the `k,n` its cached operator was built for.
const packedShapes = new WeakMap<object, string>();

function swapLastTwo(backend: WasmBackend, x: Info): Info {
  const r = x.shape.length;
  const perm = [...Array(r - 2).keys(), r - 1, r - 2];
  return transpose(backend, x, perm);
}

/** Copies `b` when the backend holds a packing of its data id for another shape. */
function guardPacking(backend: WasmBackend, b: Info, k: number, n: number, temps: Info[]): Info {
  const key = `${k},${n}`;
  const seen = packedShapes.get(b.dataId);
  if (seen === undefined) {
    packedShapes.set(b.dataId, key);
    return b;
  }
  if (seen === key) return b;
  const fresh = copy(backend, b);
  temps.push(fresh);
  packedShapes.set(fresh.dataId, key);
  return fresh;
}

function isPacked(x: Info, k: number, n: number): boolean {
  return packedShapes.get(x.dataId) === `${k},${n}`;
}

type Original = (a: Info, b: Info) => Info;

/** `a·b` for 2-D `a` `[m,k]` (stored transposed when `tA`) and `b` `[k,n]` (likewise), both unbatched. */
function product2d(backend: WasmBackend, run: Original, a: Info, b: Info, tA: boolean, tB: boolean, canSwap: boolean): Info {
  const [m, k] = tA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = tB ? b.shape[0]! : b.shape[1]!;
  const direct = (tA ? m * k * TRANSPOSE_COST : 0) + (tB ? k * n * TRANSPOSE_COST : 0) + (!tB && isPacked(b, k, n) ? 0 : packCost(k * n));
  const swapped =
    (tB ? 0 : k * n * TRANSPOSE_COST) + (tA ? 0 : m * k * TRANSPOSE_COST) + (tA && isPacked(a, k, m) ? 0 : packCost(k * m)) + m * n * TRANSPOSE_COST;
  const temps: Info[] = [];
  try {
    if (!canSwap || direct <= swapped) {
      const left = tA ? transpose(backend, a, [1, 0]) : a;
      const right = tB ? transpose(backend, b, [1, 0]) : b;
      temps.push(...(tA ? [left] : []), ...(tB ? [right] : []));
      return run(left, guardPacking(backend, right, k, n, temps));
    }
    const left = tB ? b : transpose(backend, b, [1, 0]);
    const right = tA ? a : transpose(backend, a, [1, 0]);
    temps.push(...(tB ? [] : [left]), ...(tA ? [] : [right]));
    const productT = run(left, guardPacking(backend, right, k, m, temps));
    temps.push(productT);
    return transpose(backend, viewAs(productT, [n, m]), [1, 0]);
  } finally {
    free(backend, ...temps);
  }
}

/**
 * Wraps a matMul-like kernel function (`BatchMatMul`, or `_FusedMatMul` with `fused`,
 * which receives rank-3 operands and may add a bias and an activation) so that it only
 * ever runs untransposed, on the XNNPACK path where the shapes allow.
 */
export function withFastMatMul(original: tf.KernelFunc, fused: boolean): tf.KernelFunc {
  const fast = (args: KernelArgs) => {
    const backend = wasmBackend(args);
    const inputs = args.inputs as Record<string, Info>;
    const attrs = (args.attrs ?? {}) as Record<string, unknown>;
    let a = inputs.a!;
    let b = inputs.b!;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
      return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    const ours = simdMatMul(backend, inputs, attrs, fused);
    if (ours) return ours;
    const tA = attrs.transposeA === true;
    const tB = attrs.transposeB === true;
    const m = a.shape[a.shape.length - (tA ? 1 : 2)]!;
    const n = b.shape[b.shape.length - (tB ? 2 : 1)]!;
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const outShape = [...outer, m, n];
    const batchA = sizeOf(a.shape.slice(0, -2));
    const batchB = sizeOf(b.shape.slice(0, -2));
    const run: Original = (left, right) => {
      const shapeOf = (x: Info) => (fused ? [1, ...x.shape] : x.shape);
      return original({
        inputs: { ...inputs, a: viewAs(left, shapeOf(left)), b: viewAs(right, shapeOf(right)) },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as Info;
    };
    const plain = !fused || (inputs.bias == null && inputs.preluActivationWeights == null && attrs.activation === 'linear');
    if (batchA === 1 && batchB === 1) {
      const a2 = viewAs(a, a.shape.slice(-2));
      const b2 = viewAs(b, b.shape.slice(-2));
      const out = product2d(backend, run, a2, b2, tA, tB, plain);
      return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
    }
    const temps: Info[] = [];
    try {
      if (tA) temps.push((a = swapLastTwo(backend, a)));
      if (tB) temps.push((b = swapLastTwo(backend, b)));
      if (batchB === 1) {
        // `a`'s batch folds into its rows: one XNNPACK product instead of a batched loop.
        const k = a.shape[a.shape.length - 1]!;
        const out = run(viewAs(a, [batchA * m, k]), guardPacking(backend, viewAs(b, [k, n]), k, n, temps));
        return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
      }
      const out = original({
        inputs: { ...inputs, a, b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as Info;
      return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
    } finally {
      free(backend, ...temps);
    }
  };
  return fast as unknown as tf.KernelFunc;
}
