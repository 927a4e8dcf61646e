/**
 * Normalization layers.
 * @module
 */
export { BatchNormalization, batchNormalization, type BatchNormalizationOptions } from './batch_normalization.js';
export { LayerNormalization, layerNormalization, type LayerNormalizationOptions } from './layer_normalization.js';
