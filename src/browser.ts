/**
 * strata for browsers: the common API without Node modules.
 * @module
 */
export * from './common.js';
export * as datasets from './data/index.js';
