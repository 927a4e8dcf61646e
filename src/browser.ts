/**
 * strata for browsers: the common API, with the webgl and webgpu backends registered.
 * @module
 */
export * from './common.js';
