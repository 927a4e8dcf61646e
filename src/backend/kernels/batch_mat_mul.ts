/**
 * Wrappers around the wasm `BatchMatMul` and `_FusedMatMul` kernels. The backend sends
 * every call with a transposed operand, or with a batch dimension, to a naive loop
 * (about 1.5 GFLOP/s); only plain 2-D products reach XNNPACK (15 GFLOP/s and more).
 * The wrappers transpose operands explicitly with the wasm `Transpose` kernel, fold the
 * batch of `a` into its rows when `b` has none, and then call the original kernel.
 *
 * They also guard a cache of the backend: XNNPACK operators are cached by the data id
 * of `b` alone, so a reshaped view of the same data used later as `b` with another
 * shape would silently reuse the first packing and return wrong numbers. A `b` seen
 * before with another `[k, n]` is copied to a fresh id first.
 * @module
 */
import { tf } from '../tf.js';
import { copy, free, sizeOf, transpose, viewAs, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

// For each data id used as `b` on the XNNPACK path: the `k,n` its cached operator was built for.
const packedShapes = new WeakMap<object, string>();

function swapLastTwo(backend: ReturnType<typeof wasmBackend>, x: Info): Info {
  const r = x.shape.length;
  const perm = [...Array(r - 2).keys(), r - 1, r - 2];
  return transpose(backend, x, perm);
}

/**
 * Wraps a matMul-like kernel function (`BatchMatMul` or `_FusedMatMul`; the latter
 * receives rank-3 operands) so that it only ever runs untransposed.
 */
export function withFastMatMul(original: tf.KernelFunc, rank3: boolean): tf.KernelFunc {
  const fast = (args: KernelArgs) => {
    const backend = wasmBackend(args);
    const inputs = args.inputs as Record<string, Info>;
    const attrs = args.attrs as unknown as MatMulAttrs;
    let a = inputs.a!;
    let b = inputs.b!;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
      return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    const temps: Info[] = [];
    if (attrs.transposeA) temps.push((a = swapLastTwo(backend, a)));
    if (attrs.transposeB) temps.push((b = swapLastTwo(backend, b)));
    const [m, k] = a.shape.slice(-2) as [number, number];
    const n = b.shape[b.shape.length - 1]!;
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const batchA = sizeOf(a.shape.slice(0, -2));
    const batchB = sizeOf(b.shape.slice(0, -2));
    const foldBatch = batchA > 1 && batchB === 1;
    if (foldBatch) {
      a = viewAs(a, rank3 ? [1, batchA * m, k] : [batchA * m, k]);
      b = viewAs(b, rank3 ? [1, k, n] : [k, n]);
    }
    if (batchB === 1 && (batchA === 1 || foldBatch)) {
      const key = `${k},${n}`;
      const seen = packedShapes.get(b.dataId);
      if (seen === undefined) {
        packedShapes.set(b.dataId, key);
      } else if (seen !== key) {
        temps.push((b = copy(backend, b)));
        packedShapes.set(b.dataId, key);
      }
    }
    try {
      const out = original({
        inputs: { ...inputs, a, b },
        backend,
        attrs: { ...(args.attrs ?? {}), transposeA: false, transposeB: false },
      }) as Info;
      return { dataId: out.dataId, shape: [...outer, m, n], dtype: out.dtype };
    } finally {
      free(backend, ...temps);
    }
  };
  return fast as unknown as tf.KernelFunc;
}
