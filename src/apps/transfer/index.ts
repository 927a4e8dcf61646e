/**
 * Transfer learning: cut a pretrained model at a layer (`featureExtractor`), put a new
 * classifier on it (`addHead`), and train in two phases (`fineTune`). Freezing itself is
 * part of every model: `freeze` / `unfreeze` with a selector, or `layer.trainable`.
 * @module
 */
export { featureExtractor, type FeatureExtractorOptions } from './extract.js';
export { addHead, type HeadOptions, type HeadPooling } from './head.js';
export { fineTune, type FineTuneOptions, type FineTuneResult } from './fine_tune.js';
export { cacheFeatures, headOf, type CacheFeaturesOptions } from './cache.js';
