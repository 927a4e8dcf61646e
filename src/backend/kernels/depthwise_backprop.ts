/**
 * `DepthwiseConv2dNativeBackpropFilter` and `DepthwiseConv2dNativeBackpropInput` for wasm
 * (the backend ships neither), computed in JavaScript on the heap. Any stride, padding
 * and dilation; channel multiplier M ≥ 1 (filter `[kH, kW, C, M]`, output `C·M` channels).
 * @module
 */
import { tf } from '../tf.js';
import { ShapeError } from '../../engine/errors.js';
import { geometryOf, type ConvGeometry } from './im2col.js';
import { alloc, f32, marked, requireFloat32, sizeOf, wasmBackend, type Info, type KernelArgs } from './wasm_util.js';

function depthwiseInfo(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  dy: Info,
  attrs: { strides: [number, number] | number; dilations: [number, number] | number; pad: unknown; dimRoundingMode?: unknown },
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad as 'same',
    attrs.dimRoundingMode as 'floor' | undefined,
    true,
  );
  if (sizeOf(dy.shape) !== info.batchSize * info.outHeight * info.outWidth * info.outChannels) {
    throw new ShapeError(
      `wasm kernel ${kernel}: input 'dy' has shape [${dy.shape}]; expected the convolution output [${info.outShape}]`,
    );
  }
  return geometryOf(info);
}

/** Visits every (output pixel, filter tap) pair whose tap lands inside the input. */
function forEachTap(g: ConvGeometry, visit: (dyOff: number, xPixel: number, tap: number) => void): void {
  const { batch, inH, inW, outH, outW, kH, kW, strideH, strideW, dilH, dilW, padTop, padLeft, outC } = g;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const dyOff = ((b * outH + oy) * outW + ox) * outC;
        for (let kh = 0; kh < kH; kh++) {
          const iy = oy * strideH - padTop + kh * dilH;
          if (iy < 0 || iy >= inH) continue;
          for (let kw = 0; kw < kW; kw++) {
            const ix = ox * strideW - padLeft + kw * dilW;
            if (ix < 0 || ix >= inW) continue;
            visit(dyOff, (b * inH + iy) * inW + ix, kh * kW + kw);
          }
        }
      }
    }
  }
}

function depthwiseBackpropFilter(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  requireFloat32('DepthwiseConv2dNativeBackpropFilter', { x, dy });
  const g = depthwiseInfo('DepthwiseConv2dNativeBackpropFilter', x.shape, attrs.filterShape, dy, attrs);
  const c = g.inC;
  const cm = g.outC;
  const m = cm / c;
  // Sums run over batch·outH·outW terms; a float64 accumulator keeps them at float32 accuracy.
  const acc = new Float64Array(sizeOf(attrs.filterShape));
  const out = alloc(backend, attrs.filterShape);
  const xv = f32(backend, x);
  const dyv = f32(backend, dy);
  if (m === 1) {
    forEachTap(g, (dyOff, xPixel, tap) => {
      const xOff = xPixel * c;
      const a = tap * c;
      for (let i = 0; i < c; i++) acc[a + i] += xv[xOff + i] * dyv[dyOff + i];
    });
  } else {
    forEachTap(g, (dyOff, xPixel, tap) => {
      const xOff = xPixel * c;
      const a = tap * cm;
      for (let i = 0; i < c; i++) {
        const xi = xv[xOff + i];
        const base = i * m;
        for (let j = 0; j < m; j++) acc[a + base + j] += xi * dyv[dyOff + base + j];
      }
    });
  }
  f32(backend, out).set(acc);
  return out;
}

function depthwiseBackpropInput(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  requireFloat32('DepthwiseConv2dNativeBackpropInput', { dy, filter });
  const g = depthwiseInfo('DepthwiseConv2dNativeBackpropInput', attrs.inputShape, filter.shape, dy, attrs);
  const c = g.inC;
  const cm = g.outC;
  const m = cm / c;
  const out = alloc(backend, attrs.inputShape);
  const dx = f32(backend, out);
  dx.fill(0);
  const w = f32(backend, filter);
  const dyv = f32(backend, dy);
  if (m === 1) {
    forEachTap(g, (dyOff, xPixel, tap) => {
      const xOff = xPixel * c;
      const wOff = tap * c;
      for (let i = 0; i < c; i++) dx[xOff + i] += w[wOff + i] * dyv[dyOff + i];
    });
  } else {
    forEachTap(g, (dyOff, xPixel, tap) => {
      const xOff = xPixel * c;
      const wOff = tap * cm;
      for (let i = 0; i < c; i++) {
        const base = i * m;
        let s = 0;
        for (let j = 0; j < m; j++) s += w[wOff + base + j] * dyv[dyOff + base + j];
        dx[xOff + i] += s;
      }
    });
  }
  return out;
}

/** Kernel config for `DepthwiseConv2dNativeBackpropFilter` on wasm. */
export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: marked(depthwiseBackpropFilter as unknown as tf.KernelFunc),
};

/** Kernel config for `DepthwiseConv2dNativeBackpropInput` on wasm. */
export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: marked(depthwiseBackpropInput as unknown as tf.KernelFunc),
};
