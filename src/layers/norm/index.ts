/**
 * Normalization layers.
 * @module
 */
export { BatchNormalization, batchNormalization, type BatchNormalizationOptions } from './batch_normalization.js';
