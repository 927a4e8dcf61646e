/**
 * Datasets for Node: everything in the common barrel plus readers that use the file system
 * (`loadIdx`, `mnist`).
 * @module
 */
export * from './index.js';
export { loadIdx } from './load_idx.js';
export { mnist, type MnistOptions, type MnistData } from './mnist.js';
