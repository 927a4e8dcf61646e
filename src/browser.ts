/**
 * strata for browsers: the common API without Node modules, plus the webgl and webgpu
 * backends and {@link setWasmPaths}. Names exported here take precedence over the
 * common ones.
 * @module
 */
export * from './common.js';
export * as datasets from './data/index.js';
export { setBackend, setWasmPaths, type WasmPaths } from './backend/browser_backends.js';
