/**
 * Preprocessing layers: `rescaling`, `normalization` (with `adapt`), `resizing`, `centerCrop`.
 * @module
 */
export { rescaling, Rescaling, type RescalingOptions } from './rescaling.js';
export { normalization, Normalization, type NormalizationOptions } from './normalization.js';
export { resizing, Resizing, type ResizingOptions } from './resizing.js';
export { centerCrop, CenterCrop, type CenterCropOptions } from './center_crop.js';
export type { Adaptable, AdaptBatch, AdaptData, AsyncAdaptData } from './adapt.js';
export type { ImageInterpolation } from './image_ops.js';
