/**
 * Convolution layers: `conv2d`, `conv2dTranspose`, `depthwiseConv2d`, `separableConv2d`.
 * @module
 */
export { conv2d, Conv2D, type Conv2DOptions } from './conv2d.js';
export { conv2dTranspose, Conv2DTranspose, type Conv2DTransposeOptions } from './conv2d_transpose.js';
export { depthwiseConv2d, DepthwiseConv2D, type DepthwiseConv2DOptions } from './depthwise_conv2d.js';
export { separableConv2d, SeparableConv2D, type SeparableConv2DOptions } from './separable_conv2d.js';
export { BaseConv, type BaseConvOptions } from './base_conv.js';
export type { DataFormat, PaddingMode, IntOrPair } from './conv_utils.js';
export { conv1d, Conv1D, type Conv1DOptions } from './conv1d.js';
