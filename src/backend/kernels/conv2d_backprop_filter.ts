/**
 * `Conv2DBackpropFilter` for wasm (the backend ships none): the filter gradient of a
 * 2-D convolution as one matrix product, patches (im2col) times the output gradient.
 * @module
 */
import { tf } from '../tf.js';
import { ShapeError } from '../../engine/errors.js';
import { geometryOf, im2col, type ConvGeometry } from './im2col.js';
import {
  alloc,
  f32,
  free,
  marked,
  matMul,
  requireFloat32,
  sizeOf,
  transpose,
  viewAs,
  wasmBackend,
  zeros,
  type Info,
  type KernelArgs,
  type WasmBackend,
} from './wasm_util.js';

/** `dW[kh,kw,ci,co] = Σ x[b, oy·s+kh-pt, ox·s+kw-pl, ci] · dy[b,oy,ox,co]` for NHWC x. */
export function filterGradNHWC(backend: WasmBackend, x: Info, dy: Info, g: ConvGeometry, filterShape: number[]): Info {
  const n = g.batch * g.outH * g.outW;
  const k = g.kH * g.kW * g.inC;
  if (n === 0 || k === 0 || g.outC === 0) return zeros(backend, filterShape);
  const patches = alloc(backend, [n, k]);
  im2col(f32(backend, x), g, f32(backend, patches));
  // patchesᵀ·dy: the matMul wrapper picks the orientation that packs the smaller operand.
  const out = matMul(backend, patches, viewAs(dy, [n, g.outC]), true, false);
  free(backend, patches);
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
        attrs: { ...attrs, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
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
