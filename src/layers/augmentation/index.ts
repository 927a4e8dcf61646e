/**
 * Augmentation layers: random transforms applied only while training, seedable.
 * @module
 */
export { RandomLayer, type RandomLayerOptions, type FactorRange } from './random_layer.js';
export { RandomAffine, type RandomAffineOptions } from './random_affine.js';
export type { FillMode } from './affine.js';
export { randomFlip, RandomFlip, type RandomFlipOptions, type FlipMode, type FlipParams } from './random_flip.js';
export { randomRotation, RandomRotation, type RandomRotationOptions } from './random_rotation.js';
export { randomZoom, RandomZoom, type RandomZoomOptions } from './random_zoom.js';
export { randomTranslation, RandomTranslation, type RandomTranslationOptions } from './random_translation.js';
export { randomContrast, RandomContrast, type RandomContrastOptions } from './random_contrast.js';
export { randomBrightness, RandomBrightness, type RandomBrightnessOptions } from './random_brightness.js';
export { randomCrop, RandomCrop, type RandomCropOptions, type CropParams } from './random_crop.js';
