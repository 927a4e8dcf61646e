/**
 * strata for Node: the common API plus Node-only pieces (file:// saving, the TTY
 * progress bar, IDX/MNIST readers).
 * @module
 */
export * from './common.js';
