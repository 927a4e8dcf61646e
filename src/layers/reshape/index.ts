/**
 * Reshaping layers: `flatten`, `reshape`, `zeroPadding2d`, `upSampling2d`.
 * @module
 */
export { flatten, Flatten, type FlattenOptions } from './flatten.js';
export { reshape, Reshape, type ReshapeOptions } from './reshape.js';
export { zeroPadding2d, ZeroPadding2D, type ZeroPadding2DOptions, type Padding2D } from './zero_padding2d.js';
export { upSampling2d, UpSampling2D, type UpSampling2DOptions, type Interpolation } from './up_sampling2d.js';
export { cropping2d, Cropping2D, type Cropping2DOptions, type Cropping2DSpec } from './cropping2d.js';
export { permute, Permute, type PermuteOptions } from './permute.js';
export { upSampling1d, UpSampling1D, type UpSampling1DOptions } from './up_sampling1d.js';
export { repeatVector, RepeatVector, type RepeatVectorOptions } from './repeat_vector.js';
export type { Borders2D } from './borders.js';
