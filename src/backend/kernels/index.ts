/**
 * Kernels that let the wasm backend train convolutional networks, and faster variants
 * of some it ships. One explicit entry point, {@link registerWasmKernels}.
 * @module
 */
import { tf } from '../tf.js';
import { biasActivationGradConfig } from './bias_activation_grad.js';
import { ELEMENTWISE_KERNELS, leakyReluGradConfig, withSimdBinary, withSimdLeakyRelu, withSimdRelu, withSimdSigmoid, withSimdSquare, withSimdTanh } from './elementwise.js';
import { withFastMatMul } from './batch_mat_mul.js';
import { conv2DBackpropFilterConfig } from './conv2d_backprop_filter.js';
import { conv2DBackpropInputConfig } from './conv2d_backprop_input.js';
import { conv3DBackpropFilterConfig, conv3DBackpropInputConfig } from './conv3d_backprop.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise_backprop.js';
import { registerDilatedConvGradients } from './dilated_conv_gradients.js';
import { withRowGather } from './gather.js';
import { withSharedData } from './identity.js';
import { sparseCrossentropyConfigs } from './sparse_crossentropy.js';
import { firstNonFiniteConfig } from './first_non_finite.js';
import { gruGatesConfigs } from './gru_gates.js';
import { lstmGatesConfigs } from './lstm_gates.js';
import { withMainThreadClip, withMainThreadSoftmax } from './main_thread.js';
import { withSimdMaxPool } from './max_pool.js';
import { maxPoolGradConfig } from './max_pool_grad.js';
import { oneHotConfig } from './one_hot.js';
import { MERGED_REDUCTIONS, withMergedAxes } from './reduce.js';
import { resizeBilinearGradConfig, resizeNearestNeighborGradConfig } from './resize_grad.js';
import { EXPLICIT_PADDING_KERNELS, withExplicitPadding } from './same_padding.js';
import { withHeapSlice } from './slice.js';
import { withHeapSplitV, withHeapUnpack } from './slice_many.js';
import { unsortedSegmentSumConfig } from './unsorted_segment_sum.js';
import { isMarked, marked } from './wasm_util.js';

export { registerDilatedConvGradients } from './dilated_conv_gradients.js';

/** Kernels tfjs-backend-wasm 4.22 lacks that strata adds. */
export const ADDED_WASM_KERNELS: readonly string[] = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
  'StrataBiasActivationGrad',
  'StrataSparseCrossentropy',
  'StrataSparseCrossentropyGrad',
  'StrataLstmGates',
  'StrataLstmGatesGrad',
  'StrataGruGates',
  'StrataGruGatesGrad',
  'StrataLeakyReluGrad',
];

/** Wasm kernels strata replaces because the backend's are slow or wrong. */
export const REPLACED_WASM_KERNELS: readonly string[] = [
  'Conv2DBackpropInput',
  'Conv3DBackpropInputV2',
  'Conv3DBackpropFilterV2',
  'MaxPoolGrad',
  'ResizeNearestNeighborGrad',
  'ResizeBilinearGrad',
];

/** Wasm kernels strata wraps: strata computes the cases it handles (or reshapes them), the backend's kernel the rest. */
export const WRAPPED_WASM_KERNELS: readonly string[] = [
  'BatchMatMul',
  '_FusedMatMul',
  'GatherV2',
  'Softmax',
  'MaxPool',
  'Square',
  'Sigmoid',
  'Tanh',
  'LeakyRelu',
  'ClipByValue',
  'Identity',
  'Slice',
  'Unpack',
  'SplitV',
  ...MERGED_REDUCTIONS,
  ...Object.keys(EXPLICIT_PADDING_KERNELS),
];

const ORIGINALS_KEY = Symbol.for('strata.wasmKernelOriginals');

// The kernel configs found before strata's registration, kept on globalThis beside the
// kernel registry itself, so a second copy of this module sees the same originals.
function originals(): Map<string, tf.KernelConfig> {
  const g = globalThis as unknown as Record<symbol, Map<string, tf.KernelConfig> | undefined>;
  return (g[ORIGINALS_KEY] ??= new Map());
}

function install(config: tf.KernelConfig): void {
  const current = tf.getKernel(config.kernelName, 'wasm');
  if (current && isMarked(current.kernelFunc)) return;
  if (!current) {
    tf.registerKernel(config);
    return;
  }
  originals().set(config.kernelName, current);
  tf.unregisterKernel(config.kernelName, 'wasm');
  // Keeping the replaced kernel's setup lets its original stay callable for comparisons.
  tf.registerKernel({ ...config, setupFunc: current.setupFunc, disposeFunc: current.disposeFunc });
}

function wrap(kernelName: string, wrapper: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const current = tf.getKernel(kernelName, 'wasm');
  if (!current || isMarked(current.kernelFunc)) return;
  originals().set(kernelName, current);
  tf.unregisterKernel(kernelName, 'wasm');
  // setupFunc and disposeFunc stay the backend's: the original kernel still does the work.
  tf.registerKernel({ ...current, kernelFunc: marked(wrapper(current.kernelFunc)) });
}

/**
 * Registers strata's wasm kernels and the dilation-aware convolution gradients. Safe to
 * call any number of times, before or after the wasm backend initialises; `backends.ts`
 * calls it once, right after importing the wasm backend.
 *
 * - adds `Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`,
 *   `DepthwiseConv2dNativeBackpropInput` and `UnsortedSegmentSum`, which the backend lacks,
 *   and strata's own `StrataBiasActivationGrad` (the gradient through a layer's activation
 *   and bias in one pass, used by `fused.ts`) and `StrataSparseCrossentropy` with its
 *   gradient (the loss from probabilities, used by `sparse_crossentropy.ts`), and
 *   `StrataFirstNonFinite` (the training loop's per-batch NaN/Infinity watch, used by
 *   `first_non_finite.ts`), and `StrataLstmGates` and `StrataGruGates` with their gradients
 *   (an LSTM or GRU step after its products, used by `lstm_gates.ts` and `gru_gates.ts`),
 *   and `StrataLeakyReluGrad` (used by `leaky_relu.ts`);
 * - replaces `Conv2DBackpropInput` (the backend's runs at about 1.5 GFLOP/s) and
 *   `MaxPoolGrad` (the backend's drops the gradient of windows whose maximum is negative),
 *   the resize gradients (the backend's ignore `halfPixelCenters`) and
 *   the 3-D convolution backprops (the backend's return wrong values) and `OneHot`
 *   (the backend's writes int32 bits into float32 outputs);
 * - wraps `BatchMatMul` and `_FusedMatMul` so that float32 products run on strata's own
 *   threaded SIMD loops (`simd_mat_mul.ts`) and the rest with explicit transposes,
 *   the reductions so rank-4 reductions avoid the backend's slow N-d transpose,
 *   `Identity` so that it shares data instead of copying, `Add`, `Sub`, `Multiply`,
 *   `RealDiv`, `Square`, `Relu`, `LeakyRelu`, `Sigmoid` and `Tanh` so that float32 math runs in SIMD loops
 *   on the calling thread (the backend's wake its thread pool on every call; its `Tanh` is a
 *   scalar loop), `Slice`, `Unpack` and `SplitV`
 *   so that they read only the rows they take (the backend's copy the whole input first, once
 *   per output for the last two), `GatherV2` along the first axis so that whole rows are
 *   copied (the backend computes each element's index), `MaxPool` so that 2×2 windows
 *   run in strata's SIMD loop on strata's threads, `Softmax` and `ClipByValue` so
 *   that a loss does not wake the backend's thread pool, and the forward convolutions
 *   so that `'same'` padding reaches XNNPACK explicitly (it returned zeros for some strides);
 * - registers gradients for dilated `Conv2D` and `DepthwiseConv2dNative` (all backends).
 */
export function registerWasmKernels(): void {
  install(conv2DBackpropFilterConfig);
  install(conv2DBackpropInputConfig);
  install(depthwiseBackpropFilterConfig);
  install(depthwiseBackpropInputConfig);
  install(unsortedSegmentSumConfig);
  install(oneHotConfig);
  install(biasActivationGradConfig);
  for (const config of sparseCrossentropyConfigs) install(config);
  install(firstNonFiniteConfig);
  for (const config of lstmGatesConfigs) install(config);
  for (const config of gruGatesConfigs) install(config);
  install(leakyReluGradConfig);
  install(conv3DBackpropInputConfig);
  install(conv3DBackpropFilterConfig);
  install(maxPoolGradConfig);
  install(resizeNearestNeighborGradConfig);
  install(resizeBilinearGradConfig);
  wrap('BatchMatMul', (f) => withFastMatMul(f, false));
  wrap('_FusedMatMul', (f) => withFastMatMul(f, true));
  wrap('Identity', withSharedData);
  for (const [name, op] of Object.entries(ELEMENTWISE_KERNELS)) wrap(name, (f) => withSimdBinary(op, f));
  wrap('Relu', withSimdRelu);
  wrap('Square', withSimdSquare);
  wrap('Sigmoid', withSimdSigmoid);
  wrap('Tanh', withSimdTanh);
  wrap('LeakyRelu', withSimdLeakyRelu);
  wrap('Slice', withHeapSlice);
  wrap('GatherV2', withRowGather);
  wrap('Softmax', withMainThreadSoftmax);
  wrap('MaxPool', withSimdMaxPool);
  wrap('ClipByValue', withMainThreadClip);
  wrap('Unpack', withHeapUnpack);
  wrap('SplitV', withHeapSplitV);
  for (const name of MERGED_REDUCTIONS) wrap(name, (f) => withMergedAxes(name, f));
  for (const [name, depthwise] of Object.entries(EXPLICIT_PADDING_KERNELS)) {
    wrap(name, (f) => withExplicitPadding(f, depthwise));
  }
  registerDilatedConvGradients();
}

/**
 * The wasm kernel config that strata's registration replaced or wrapped, for comparisons
 * and benchmarks; `undefined` for kernels strata added or left alone.
 */
export function originalWasmKernel(kernelName: string): tf.KernelConfig | undefined {
  return originals().get(kernelName);
}
