/**
 * `MaxPoolGrad` for wasm, replacing the backend's own, which loses the gradient of every
 * window whose maximum is negative (its running maximum starts at 0). Pooling after
 * batch normalisation, or on raw inputs, trained wrongly on wasm because of it.
 *
 * Like the cpu backend, each window sends its gradient to the first position (row-major)
 * holding the window's maximum. 2×2 windows at stride 2 (the usual pooling) run in a wasm
 * SIMD loop (`simd_max_pool_grad.ts`), images shared across strata's product threads; other
 * windows in the JavaScript loop below.
 * @module
 */
import { tf } from '../tf.js';
import { sharedCall } from './gemm.js';
import { CALL_MAX_POOL_GRAD } from './pool_calls.js';
import { maxPoolGrad2x2For } from './simd_max_pool_grad.js';
import { alloc, f32, heapMemory, heapOffset as offset, marked, requireFloat32, sizeOf, wasmBackend, zeros, type Info, type KernelArgs } from './wasm_util.js';

function maxPoolGrad(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { dy, input } = args.inputs as { dy: Info; input: Info };
  const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
  requireFloat32('MaxPoolGrad', { dy, input });
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { filterHeight, filterWidth } = info;
  // 2×2 windows at stride 2 inside the input, four channels at a time: strata's SIMD loop.
  const plain = filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 && 2 * outHeight <= inHeight && 2 * outWidth <= inWidth && c % 4 === 0;
  const memory = plain ? heapMemory(backend) : undefined;
  const simdLoop = memory ? maxPoolGrad2x2For(memory) : null;
  // The loop writes every position a window covers: zeros are needed only where none does.
  const covered = 2 * outHeight === inHeight && 2 * outWidth === inWidth;
  const out = simdLoop && covered ? alloc(backend, input.shape) : zeros(backend, input.shape);
  if (simdLoop) {
    // One call per image (an odd input height leaves a row no window covers), the images
    // shared across the product threads.
    const [x0, g0, d0] = [offset(backend, input), offset(backend, dy), offset(backend, out)];
    const image = inHeight * inWidth * c * 4;
    const grads = outHeight * outWidth * c * 4;
    const args = [x0, g0, d0, outHeight, outWidth, c * 4, inWidth * c * 4];
    if (!sharedCall(backend, CALL_MAX_POOL_GRAD, args, [image, grads, image, 0, 0, 0, 0], batchSize, 8 * sizeOf(input.shape))) {
      for (let b = 0; b < batchSize; b++) simdLoop(x0 + b * image, g0 + b * grads, d0 + b * image, args[3]!, args[4]!, args[5]!, args[6]!);
    }
    return out;
  }
  const dx = f32(backend, out);
  const x = f32(backend, input);
  const g = f32(backend, dy);
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  const rowStride = inWidth * c;
  const twoByTwo = filterHeight === 2 && filterWidth === 2;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - info.padInfo.top;
      const yLo = Math.max(0, y0);
      const yHi = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - info.padInfo.left;
        const xLo = Math.max(0, x0);
        const xHi = Math.min(inWidth, x0 + filterWidth);
        const dyOff = ((b * outHeight + oy) * outWidth + ox) * c;
        if (twoByTwo && yHi - yLo === 2 && xHi - xLo === 2) {
          // The common 2×2 window, unrolled: about twice as fast as the general loop.
          const p0 = ((b * inHeight + yLo) * inWidth + xLo) * c;
          const p1 = p0 + c;
          const p2 = p0 + rowStride;
          const p3 = p2 + c;
          for (let ch = 0; ch < c; ch++) {
            let m = -Infinity;
            let p = -1;
            const v0 = x[p0 + ch];
            const v1 = x[p1 + ch];
            const v2 = x[p2 + ch];
            const v3 = x[p3 + ch];
            if (v0 > m) {
              m = v0;
              p = p0 + ch;
            }
            if (v1 > m) {
              m = v1;
              p = p1 + ch;
            }
            if (v2 > m) {
              m = v2;
              p = p2 + ch;
            }
            if (v3 > m) p = p3 + ch;
            if (p >= 0) dx[p] += g[dyOff + ch];
          }
          continue;
        }
        best.fill(-Infinity);
        at.fill(-1);
        for (let iy = yLo; iy < yHi; iy++) {
          for (let ix = xLo; ix < xHi; ix++) {
            const base = ((b * inHeight + iy) * inWidth + ix) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch];
              if (v > best[ch]) {
                best[ch] = v;
                at[ch] = base + ch;
              }
            }
          }
        }
        for (let ch = 0; ch < c; ch++) {
          const p = at[ch];
          if (p >= 0) dx[p] += g[dyOff + ch];
        }
      }
    }
  }
  return out;
}

/** Kernel config for `MaxPoolGrad` on wasm (replaces the backend's own). */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: marked(maxPoolGrad as unknown as tf.KernelFunc),
};
