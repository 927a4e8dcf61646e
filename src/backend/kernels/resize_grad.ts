/**
 * `ResizeNearestNeighborGrad` and `ResizeBilinearGrad` for wasm, replacing the backend's
 * own, which ignore `halfPixelCenters` (their gradients then belong to another resize).
 * Both are written as the exact transpose of tfjs's forward resize: every output pixel
 * sends its gradient back to the input pixels it was read from, with the same weights.
 * @module
 */
import { tf } from '../tf.js';
import { f32, marked, requireFloat32, wasmBackend, zeros, type Info, type KernelArgs } from './wasm_util.js';

interface ResizeGradAttrs {
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

/** Input-over-output size ratio along one axis, as the forward kernels compute it. */
function ratio(inSize: number, outSize: number, alignCorners: boolean): number {
  const corners = alignCorners && outSize > 1;
  return (corners ? inSize - 1 : inSize) / (corners ? outSize - 1 : outSize);
}

/** For each output index along one axis, the nearest input index it copies. */
function nearestSources(inSize: number, outSize: number, a: ResizeGradAttrs): Int32Array {
  const r = ratio(inSize, outSize, a.alignCorners);
  const src = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const f = a.halfPixelCenters ? r * (o + 0.5) : r * o;
    let s = Math.min(inSize - 1, a.alignCorners ? Math.round(f) : Math.floor(f));
    if (a.halfPixelCenters) s = Math.max(0, s);
    src[o] = s;
  }
  return src;
}

/** For each output index along one axis: the two input indices it blends and the weight of the second. */
function bilinearSources(inSize: number, outSize: number, a: ResizeGradAttrs): [Int32Array, Int32Array, Float64Array] {
  const r = ratio(inSize, outSize, a.alignCorners);
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const f = a.halfPixelCenters ? r * (o + 0.5) - 0.5 : r * o;
    lo[o] = Math.max(0, Math.floor(f));
    hi[o] = Math.min(inSize - 1, Math.ceil(f));
    frac[o] = f - lo[o];
  }
  return [lo, hi, frac];
}

function resizeNearestNeighborGrad(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { images, dy } = args.inputs as { images: Info; dy: Info };
  const attrs = args.attrs as unknown as ResizeGradAttrs;
  requireFloat32('ResizeNearestNeighborGrad', { dy });
  const [batch, inH, inW, c] = images.shape as [number, number, number, number];
  const [, outH, outW] = dy.shape as [number, number, number, number];
  const rows = nearestSources(inH, outH, attrs);
  const cols = nearestSources(inW, outW, attrs);
  const out = zeros(backend, images.shape);
  const dx = f32(backend, out);
  const g = f32(backend, dy);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const rowBase = (b * inH + rows[oy]) * inW;
      for (let ox = 0; ox < outW; ox++) {
        const d = (rowBase + cols[ox]) * c;
        for (let ch = 0; ch < c; ch++) dx[d + ch] += g[o++];
      }
    }
  }
  return out;
}

function resizeBilinearGrad(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { images, dy } = args.inputs as { images: Info; dy: Info };
  const attrs = args.attrs as unknown as ResizeGradAttrs;
  requireFloat32('ResizeBilinearGrad', { dy });
  const [batch, inH, inW, c] = images.shape as [number, number, number, number];
  const [, outH, outW] = dy.shape as [number, number, number, number];
  const [top, bottom, rowFrac] = bilinearSources(inH, outH, attrs);
  const [left, right, colFrac] = bilinearSources(inW, outW, attrs);
  const out = zeros(backend, images.shape);
  const dx = f32(backend, out);
  const g = f32(backend, dy);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const topBase = (b * inH + top[oy]) * inW;
      const botBase = (b * inH + bottom[oy]) * inW;
      const rf = rowFrac[oy];
      for (let ox = 0; ox < outW; ox++) {
        const cf = colFrac[ox];
        const tl = (topBase + left[ox]) * c;
        const tr = (topBase + right[ox]) * c;
        const bl = (botBase + left[ox]) * c;
        const br = (botBase + right[ox]) * c;
        const wTl = (1 - rf) * (1 - cf);
        const wTr = (1 - rf) * cf;
        const wBl = rf * (1 - cf);
        const wBr = rf * cf;
        for (let ch = 0; ch < c; ch++) {
          const v = g[o++];
          dx[tl + ch] += v * wTl;
          dx[tr + ch] += v * wTr;
          dx[bl + ch] += v * wBl;
          dx[br + ch] += v * wBr;
        }
      }
    }
  }
  return out;
}

/** Kernel config for `ResizeNearestNeighborGrad` on wasm (replaces the backend's own). */
export const resizeNearestNeighborGradConfig: tf.KernelConfig = {
  kernelName: 'ResizeNearestNeighborGrad',
  backendName: 'wasm',
  kernelFunc: marked(resizeNearestNeighborGrad as unknown as tf.KernelFunc),
};

/** Kernel config for `ResizeBilinearGrad` on wasm (replaces the backend's own). */
export const resizeBilinearGradConfig: tf.KernelConfig = {
  kernelName: 'ResizeBilinearGrad',
  backendName: 'wasm',
  kernelFunc: marked(resizeBilinearGrad as unknown as tf.KernelFunc),
};
