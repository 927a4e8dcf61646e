/**
 * `MaxPool` for the usual 2×2 windows at stride 2 (float32, NHWC, channels a multiple of
 * 4, every window inside the input) in strata's SIMD loop (`simd_max_pool_grad.ts`), images
 * shared across strata's product threads. The backend runs it as an XNNPACK operator on
 * its own pool, which then spins beside strata's: 1.3–1.6 ms for a `[128, 26, 26, 32]` batch
 * on the 2-core machine. Other windows go to the backend's kernel.
 * @module
 */
import { tf } from '../tf.js';
import { sharedCall } from './gemm.js';
import { CALL_MAX_POOL } from './pool_calls.js';
import { maxPool2x2For } from './simd_max_pool_grad.js';
import { alloc, heapMemory, heapOffset, sizeOf, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

/** Wraps the wasm `MaxPool` kernel function so that plain 2×2 pooling runs in strata's loop. */
export function withSimdMaxPool(original: tf.KernelFunc): tf.KernelFunc {
  const maxPool = (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    const attrs = args.attrs as unknown as tf.MaxPoolAttrs;
    const fallback = () => original(args as unknown as Parameters<tf.KernelFunc>[0]);
    if (x.dtype !== 'float32' || x.shape.length !== 4) return fallback();
    const backend = wasmBackend(args);
    const info = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
    );
    const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
    const plain = info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
      info.padInfo.top === 0 && info.padInfo.left === 0 && 2 * outHeight <= inHeight && 2 * outWidth <= inWidth && c % 4 === 0;
    const memory = plain ? heapMemory(backend) : undefined;
    const loop = memory ? maxPool2x2For(memory) : null;
    if (!loop) return fallback();
    const out = alloc(backend, [batchSize, outHeight, outWidth, c]);
    if (sizeOf(out.shape) === 0) return out;
    const image = inHeight * inWidth * c * 4;
    const pooled = outHeight * outWidth * c * 4;
    const args2 = [heapOffset(backend, x), heapOffset(backend, out), outHeight, outWidth, c * 4, inWidth * c * 4];
    if (!sharedCall(backend, CALL_MAX_POOL, args2, [image, pooled, 0, 0, 0, 0], batchSize, 8 * sizeOf(x.shape))) {
      for (let b = 0; b < batchSize; b++) loop(args2[0]! + b * image, args2[1]! + b * pooled, outHeight, outWidth, c * 4, inWidth * c * 4);
    }
    return out;
  };
  return maxPool as unknown as tf.KernelFunc;
}
