/** All layer factories and classes, from their own folders. */
export * from '../../src/layers/index.js';
export * from '../../src/layers/core/dropout.js';
export * from '../../src/layers/conv/index.js';
export * from '../../src/layers/pooling/index.js';
export * from '../../src/layers/reshape/index.js';
export * from '../../src/layers/norm/index.js';
export * from '../../src/layers/merge/index.js';
export * from '../../src/layers/blocks/index.js';
