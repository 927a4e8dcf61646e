/**
 * Wrappers around the wasm forward convolutions (`Conv2D`, `DepthwiseConv2dNative` and
 * their fused forms). With `'same'` padding the backend asks XNNPACK for TensorFlow SAME
 * padding, which XNNPACK refuses for some strides and filter sizes (a stride above the
 * filter size along an axis, e.g. a 1×1 stride-2 shortcut convolution); the kernel then
 * returns zeros without an error (97 of 795 small cases checked). The wrappers hand the
 * kernel the same padding written out explicitly, as tfjs computes it for every backend.
 * @module
 */
import { tf } from '../tf.js';
import type { Info, KernelArgs } from './wasm_util.js';

/** Convolution kernels the wrapper applies to, and whether each is depthwise. */
export const EXPLICIT_PADDING_KERNELS: Readonly<Record<string, boolean>> = {
  Conv2D: false,
  FusedConv2D: false,
  DepthwiseConv2dNative: true,
  FusedDepthwiseConv2D: true,
};

interface ConvAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: unknown;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

/** Wraps a convolution kernel function so that `'same'` padding arrives as explicit padding. */
export function withExplicitPadding(original: tf.KernelFunc, depthwise: boolean): tf.KernelFunc {
  const conv = (args: KernelArgs) => {
    const attrs = (args.attrs ?? {}) as unknown as ConvAttrs;
    if (attrs.pad !== 'same' || attrs.dataFormat === 'NCHW') {
      return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    const { x, filter } = args.inputs as { x: Info; filter: Info };
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      'same',
      attrs.dimRoundingMode,
      depthwise,
    );
    const { top, bottom, left, right } = info.padInfo;
    const pad = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    return original({ ...args, attrs: { ...(args.attrs ?? {}), pad } } as unknown as Parameters<tf.KernelFunc>[0]);
  };
  return conv as unknown as tf.KernelFunc;
}
