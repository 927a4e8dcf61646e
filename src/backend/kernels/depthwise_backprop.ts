/**
 * `DepthwiseConv2dNativeBackpropFilter` and `DepthwiseConv2dNativeBackpropInput` for wasm
 * (the backend ships neither). Any stride, padding and dilation; channel multiplier
 * M ≥ 1 (filter `[kH, kW, C, M]`, output `C·M` channels). The filter gradient and the
 * strided input gradient run in JavaScript on the heap; the input gradient at stride 1
 * is a forward XNNPACK depthwise convolution with the flipped filter (10–20× faster).
 * @module
 */
import { tf } from '../tf.js';
import { ShapeError } from '../../engine/errors.js';
import { geometryOf, type ConvGeometry } from './im2col.js';
import {
  alloc,
  f32,
  free,
  marked,
  requireFloat32,
  runKernel,
  sizeOf,
  viewAs,
  wasmBackend,
  zeros,
  type Info,
  type KernelArgs,
  type WasmBackend,
} from './wasm_util.js';

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

/** Output indices `[lo, hi)` along one axis whose tap at offset `off` lands inside the input. */
function insideRange(off: number, stride: number, pad: number, size: number, outSize: number): [number, number] {
  const lo = Math.max(0, Math.ceil((pad - off) / stride));
  const hi = Math.min(outSize, Math.floor((size - 1 + pad - off) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/**
 * Calls `visit(tap, xPixel, dyPixel, count, xStep)` for each filter tap and each run of
 * output pixels along a row whose taps land inside the input: `count` pixels starting at
 * input pixel `xPixel` (stepping `xStep` pixels) and output pixel `dyPixel` (stepping 1).
 */
function forEachRun(
  g: ConvGeometry,
  visit: (tap: number, xPixel: number, dyPixel: number, count: number, xStep: number) => void,
): void {
  const { batch, inH, inW, outH, outW, kH, kW, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  for (let kh = 0; kh < kH; kh++) {
    const [yLo, yHi] = insideRange(kh * dilH, strideH, padTop, inH, outH);
    for (let kw = 0; kw < kW; kw++) {
      const [xLo, xHi] = insideRange(kw * dilW, strideW, padLeft, inW, outW);
      if (xHi === xLo) continue;
      const tap = kh * kW + kw;
      for (let b = 0; b < batch; b++) {
        for (let oy = yLo; oy < yHi; oy++) {
          const iy = oy * strideH - padTop + kh * dilH;
          const xPixel = (b * inH + iy) * inW + xLo * strideW - padLeft + kw * dilW;
          visit(tap, xPixel, (b * outH + oy) * outW + xLo, xHi - xLo, strideW);
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
  forEachRun(g, (tap, xPixel, dyPixel, count, xStep) => {
    // Locals, not closure slots, in the hot loop: V8 reloads captured variables each time.
    const sums = acc;
    const xs = xv;
    const gs = dyv;
    const a = tap * cm;
    const step = xStep * c;
    let xo = xPixel * c;
    let dyo = dyPixel * cm;
    for (let r = 0; r < count; r++, xo += step, dyo += cm) {
      if (m === 1) {
        for (let i = 0; i < c; i++) sums[a + i] += xs[xo + i] * gs[dyo + i];
      } else {
        for (let i = 0; i < c; i++) {
          const xi = xs[xo + i];
          for (let j = 0; j < m; j++) sums[a + i * m + j] += xi * gs[dyo + i * m + j];
        }
      }
    }
  });
  f32(backend, out).set(acc);
  return out;
}

/** Stride 1: the input gradient is a forward depthwise convolution of `dy` with the flipped filter. */
function inputGradViaConvolution(backend: WasmBackend, dy: Info, filter: Info, g: ConvGeometry, inputShape: number[]): Info | null {
  const effH = (g.kH - 1) * g.dilH + 1;
  const effW = (g.kW - 1) * g.dilW + 1;
  const top = effH - 1 - g.padTop;
  const left = effW - 1 - g.padLeft;
  const bottom = g.inH - g.outH - top + effH - 1;
  const right = g.inW - g.outW - left + effW - 1;
  if (Math.min(top, left, bottom, right) < 0) return null;
  const { kH, kW, outC: cm } = g;
  const flipped = alloc(backend, [kH, kW, cm, 1]);
  const w = f32(backend, filter);
  const fv = f32(backend, flipped);
  for (let t = 0; t < kH * kW; t++) fv.set(w.subarray(t * cm, (t + 1) * cm), (kH * kW - 1 - t) * cm);
  let spread: Info;
  try {
    spread = runKernel(
      backend,
      'DepthwiseConv2dNative',
      { x: dy, filter: flipped },
      {
        strides: [1, 1],
        dilations: [g.dilH, g.dilW],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      } as unknown as tf.NamedAttrMap,
    );
  } finally {
    free(backend, flipped);
  }
  const m = cm / g.inC;
  if (m === 1) return { dataId: spread.dataId, shape: inputShape, dtype: 'float32' };
  // Each input channel collects its M output channels.
  const summed = runKernel(backend, 'Sum', { x: viewAs(spread, [...inputShape, m]) }, { axis: [4], keepDims: false });
  free(backend, spread);
  return summed;
}

function depthwiseBackpropInput(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  requireFloat32('DepthwiseConv2dNativeBackpropInput', { dy, filter });
  const g = depthwiseInfo('DepthwiseConv2dNativeBackpropInput', attrs.inputShape, filter.shape, dy, attrs);
  if (g.strideH === 1 && g.strideW === 1 && sizeOf(dy.shape) > 0) {
    const viaConv = inputGradViaConvolution(backend, dy, filter, g, [...attrs.inputShape]);
    if (viaConv) return viaConv;
  }
  const c = g.inC;
  const cm = g.outC;
  const m = cm / c;
  const out = zeros(backend, attrs.inputShape);
  const dx = f32(backend, out);
  const w = f32(backend, filter);
  const dyv = f32(backend, dy);
  forEachRun(g, (tap, xPixel, dyPixel, count, xStep) => {
    const d = dx;
    const ws = w;
    const gs = dyv;
    const wo = tap * cm;
    const step = xStep * c;
    let xo = xPixel * c;
    let dyo = dyPixel * cm;
    for (let r = 0; r < count; r++, xo += step, dyo += cm) {
      if (m === 1) {
        for (let i = 0; i < c; i++) d[xo + i] += ws[wo + i] * gs[dyo + i];
      } else {
        for (let i = 0; i < c; i++) {
          let sum = 0;
          for (let j = 0; j < m; j++) sum += ws[wo + i * m + j] * gs[dyo + i * m + j];
          d[xo + i] += sum;
        }
      }
    }
  });
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
