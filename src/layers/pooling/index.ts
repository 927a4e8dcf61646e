/**
 * Pooling layers: `maxPooling2d`, `averagePooling2d`, `globalAveragePooling2d`, `globalMaxPooling2d`.
 * @module
 */
export { maxPooling2d, MaxPooling2D, averagePooling2d, AveragePooling2D, Pooling2D, type Pooling2DOptions } from './pooling2d.js';
export {
  globalAveragePooling2d, GlobalAveragePooling2D, globalMaxPooling2d, GlobalMaxPooling2D,
  GlobalPooling2D, type GlobalPooling2DOptions,
} from './global_pooling2d.js';
export { maxPooling1d, MaxPooling1D, averagePooling1d, AveragePooling1D, Pooling1D, type Pooling1DOptions } from './pooling1d.js';
export {
  globalAveragePooling1d, GlobalAveragePooling1D, globalMaxPooling1d, GlobalMaxPooling1D,
  GlobalPooling1D, type GlobalPooling1DOptions,
} from './global_pooling1d.js';
