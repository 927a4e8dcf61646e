/**
 * `Conv2DBackpropFilter` for wasm (the backend ships none). Any stride, named or
 * explicit padding, NHWC or NCHW. Stride 1 runs on strata's product loops over the input
 * in place (`gemm_conv.ts`). Otherwise, with many taps per output channel it runs as one
 * forward XNNPACK convolution (batch and channels swapped); with few, as one matrix
 * product of im2col patches and the output gradient.
 * @module
 */
import { tf } from '../tf.js';
import { ShapeError } from '../../engine/errors.js';
import { MAX_WASTE_GRADIENT, suitsVirtualConv, virtualConvFilterGrad, virtualOf } from './gemm_conv.js';
import { geometryOf, im2col, padToNHWC, type ConvGeometry } from './im2col.js';
import {
  alloc,
  f32,
  free,
  marked,
  matMul,
  requireFloat32,
  runKernel,
  sizeOf,
  transpose,
  viewAs,
  wasmBackend,
  zeros,
  type Info,
  type KernelArgs,
  type WasmBackend,
} from './wasm_util.js';

/**
 * The filter gradient as one forward XNNPACK convolution, batch and channels swapped:
 * `x` seen as `[inC, h, w, batch]` convolved with `dy` seen as `[outH, outW, batch, outC]`
 * (dilated by the stride) gives `[inC, kH, kW, outC]`. No patch matrix is built. Null
 * when that needs negative padding (rows the forward convolution never read).
 */
function viaConvolution(backend: WasmBackend, x: Info, dy: Info, g: ConvGeometry): Info | null {
  const bottom = (g.kH - 1) * g.dilH + (g.outH - 1) * g.strideH + 1 - g.inH - g.padTop;
  const right = (g.kW - 1) * g.dilW + (g.outW - 1) * g.strideW + 1 - g.inW - g.padLeft;
  if (Math.min(bottom, right, g.padTop, g.padLeft) < 0) return null;
  const xT = transpose(backend, x, [3, 1, 2, 0]);
  const dyT = transpose(backend, viewAs(dy, [g.batch, g.outH, g.outW, g.outC]), [1, 2, 0, 3]);
  let swapped: Info;
  try {
    swapped = runKernel(
      backend,
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [g.dilH, g.dilW],
        dilations: [g.strideH, g.strideW],
        pad: [[0, 0], [g.padTop, bottom], [g.padLeft, right], [0, 0]],
        dataFormat: 'NHWC',
      } as unknown as tf.NamedAttrMap,
    );
  } finally {
    free(backend, xT, dyT);
  }
  const out = transpose(backend, swapped, [1, 2, 0, 3]);
  free(backend, swapped);
  return out;
}

/** The filter gradient as patchesᵀ·dy, with im2col patches `[batch·outH·outW, kH·kW·inC]`. */
function viaPatches(backend: WasmBackend, x: Info, dy: Info, g: ConvGeometry): Info {
  const n = g.batch * g.outH * g.outW;
  const patches = alloc(backend, [n, g.kH * g.kW * g.inC]);
  im2col(f32(backend, x), g, f32(backend, patches));
  // The matMul wrapper picks the orientation that packs the smaller operand.
  const out = matMul(backend, patches, viewAs(dy, [n, g.outC]), true, false);
  free(backend, patches);
  return out;
}

/** `dW[kh,kw,ci,co] = Σ x[b, oy·s+kh·d-pt, ox·s+kw·d-pl, ci] · dy[b,oy,ox,co]` for NHWC x. */
export function filterGradNHWC(backend: WasmBackend, x: Info, dy: Info, g: ConvGeometry, filterShape: number[]): Info {
  const taps = g.kH * g.kW * g.inC;
  if (g.batch * g.outH * g.outW === 0 || taps === 0 || g.outC === 0) return zeros(backend, filterShape);
  const v = virtualOf(g);
  if (suitsVirtualConv(backend, v, MAX_WASTE_GRADIENT)) {
    const out = virtualConvFilterGrad(backend, x, dy, v);
    return { dataId: out.dataId, shape: filterShape, dtype: 'float32' };
  }
  // With many taps per output channel the swapped convolution wins (measured: 32→64
  // channels, 3×3, 13×13, batch 128: 42 ms against 53); with few, packing `dy` as the
  // convolution's filter costs more than the product itself (1→32 channels).
  const out = (taps >= g.outC ? viaConvolution(backend, x, dy, g) : null) ?? viaPatches(backend, x, dy, g);
  return { dataId: out.dataId, shape: filterShape, dtype: 'float32' };
}

function conv2DBackpropFilter(args: KernelArgs): Info {
  const backend = wasmBackend(args);
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  requireFloat32('Conv2DBackpropFilter', { x, dy });
  if (attrs.dataFormat === 'NCHW') {
    const xT = transpose(backend, x, [0, 2, 3, 1]);
    const dyT = transpose(backend, dy, [0, 2, 3, 1]);
    try {
      return conv2DBackpropFilter({
        inputs: { x: xT, dy: dyT },
        backend,
        attrs: { ...attrs, pad: padToNHWC(attrs.pad), dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
      });
    } finally {
      free(backend, xT, dyT);
    }
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (sizeOf(dy.shape) !== info.batchSize * info.outHeight * info.outWidth * info.outChannels) {
    throw new ShapeError(
      `wasm kernel Conv2DBackpropFilter: input 'dy' has shape [${dy.shape}]; expected the convolution output [${info.outShape}]`,
    );
  }
  return filterGradNHWC(backend, x, dy, geometryOf(info), attrs.filterShape);
}

/** Kernel config for `Conv2DBackpropFilter` on wasm. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: marked(conv2DBackpropFilter as unknown as tf.KernelFunc),
};
