/**
 * `BatchMatMul` and `_FusedMatMul` on strata's own product loops (`gemm.ts`): transposed
 * operands are read in place, a batch of `a` against an unbatched `b` folds into the rows
 * of one product, equal (or one-sided) batches run product by product, and the fused
 * kernel's bias and activation (`linear`, `relu`, `relu6`, `elu`, `sigmoid`) follow as the
 * backend's own kernels. Everything else (other dtypes, `prelu`/`leakyrelu`, batches that
 * broadcast along several axes) is left to the caller's fallback.
 * @module
 */
import { tf } from '../tf.js';
import { productInto, simdProduct, hasSimdGemm } from './gemm.js';
import { alloc, free, heapOffset, runKernel, sizeOf, viewAs, type Info, type WasmBackend } from './wasm_util.js';

/** The fused activations computed here, by the kernel that computes each. */
const ACTIVATION_KERNELS: Record<string, string | null> = { linear: null, relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid' };

/** Whether the engine is recording operations for a gradient (inside `tf.grad`, `variableGrads`). */
export function recordingGradients(): boolean {
  return (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
}

/** The product part of a (fused) matMul call: `[...outer, m, n]`, or undefined to fall back. */
function product(backend: WasmBackend, a: Info, b: Info, tA: boolean, tB: boolean): Info | undefined {
  const m = a.shape[a.shape.length - (tA ? 1 : 2)]!;
  const k = a.shape[a.shape.length - (tA ? 2 : 1)]!;
  const n = b.shape[b.shape.length - (tB ? 2 : 1)]!;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = sizeOf(outerA);
  const batchB = sizeOf(outerB);
  if (batchA === 1 && batchB === 1) {
    return simdProduct(backend, viewAs(a, a.shape.slice(-2)), viewAs(b, b.shape.slice(-2)), tA, tB);
  }
  if (batchB === 1 && !tA) {
    // a's batch folds into its rows: one product.
    return simdProduct(backend, viewAs(a, [batchA * m, k]), viewAs(b, b.shape.slice(-2)), false, tB);
  }
  const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (!sameOuter && batchA !== 1 && batchB !== 1) return undefined;
  if (tB && (tA || k % 4 !== 0)) return undefined; // would need a transpose per batch; the fallback does it
  const batch = Math.max(batchA, batchB);
  const out = alloc(backend, [batch, m, n]);
  const [pa, pb, po] = [heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out)];
  const strideA = batchA === 1 ? 0 : 4 * m * k;
  const strideB = batchB === 1 ? 0 : 4 * k * n;
  for (let i = 0; i < batch; i++) {
    if (!productInto(backend, pa + i * strideA, pb + i * strideB, po + i * 4 * m * n, m, k, n, tA, tB)) {
      free(backend, out);
      return undefined;
    }
  }
  return out;
}

/**
 * A matMul-like kernel (`BatchMatMul`, or `_FusedMatMul` with `fused`) on strata's loops;
 * undefined where they do not apply, for the caller to run its fallback.
 */
export function simdMatMul(backend: WasmBackend, inputs: Record<string, Info>, attrs: Record<string, unknown>, fused: boolean): Info | undefined {
  const a = inputs.a!;
  const b = inputs.b!;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const activation = fused ? String(attrs.activation ?? 'linear') : 'linear';
  if (!(activation in ACTIVATION_KERNELS) || (fused && inputs.preluActivationWeights != null)) return undefined;
  const bias = fused ? inputs.bias : undefined;
  if (bias && bias.dtype !== 'float32') return undefined;
  if (!hasSimdGemm(backend)) return undefined;
  const tA = attrs.transposeA === true;
  const tB = attrs.transposeB === true;
  // Outside gradient recording (predict, evaluate) a plain product's right operand is
  // usually a weight that stays the same from call to call; XNNPACK keeps its packing of
  // it and, sharing the pool the convolutions use, wins there (CNN predict 12.2k → 13.2k
  // samples/s on 2 threads). Training changes the weights every step: ours wins.
  if (!tA && !tB && sizeOf(b.shape.slice(0, -2)) === 1 && !recordingGradients()) return undefined;
  const m = a.shape[a.shape.length - (tA ? 1 : 2)]!;
  const n = b.shape[b.shape.length - (tB ? 2 : 1)]!;
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...outer, m, n];
  const raw = product(backend, a, b, tA, tB);
  if (!raw) return undefined;
  let out: Info = viewAs(raw, outShape);
  if (bias) {
    const withBias = runKernel(backend, 'Add', { a: out, b: bias });
    free(backend, out);
    out = withBias;
  }
  const kernel = ACTIVATION_KERNELS[activation];
  if (kernel) {
    const activated = runKernel(backend, kernel, { x: out });
    free(backend, out);
    out = activated;
  }
  return { dataId: out.dataId, shape: outShape, dtype: 'float32' };
}
