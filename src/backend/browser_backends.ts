/**
 * The backends only browsers have: webgl and webgpu register themselves when imported
 * here (webgpu only where `navigator.gpu` exists). The browser entry point imports this
 * module; Node never does, so Node builds stay free of the GPU backends.
 * @module
 */
import { tf } from './tf.js';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths as tfjsSetWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { StrataError, ValueError } from '../engine/errors.js';
import { setBackend as setAnyBackend, type BackendName } from './backends.js';

/**
 * Where each wasm binary lives, by its file name in `@tensorflow/tfjs-backend-wasm/dist/`.
 * Any binary left out is looked up beside the page.
 */
export interface WasmPaths {
  /** URL of the plain binary, used without SIMD support. Default: beside the page. */
  'tfjs-backend-wasm.wasm'?: string;
  /** URL of the SIMD binary, used when threads are unavailable. Default: beside the page. */
  'tfjs-backend-wasm-simd.wasm'?: string;
  /**
   * URL of the threaded SIMD binary, used when the page is cross-origin isolated
   * (served with COOP `same-origin` and COEP `require-corp`). Default: beside the page.
   */
  'tfjs-backend-wasm-threaded-simd.wasm'?: string;
}

/**
 * Tells the wasm backend where to fetch its binaries. Call it before the wasm backend
 * initialises (before `setBackend('wasm')` or `ready()`).
 *
 * @param prefixOrPaths - a URL prefix ending in `/` under which all three binaries
 *   lie (e.g. a copy of `node_modules/@tensorflow/tfjs-backend-wasm/dist/`), or one URL
 *   per binary.
 * @param usePlatformFetch - fetch the binaries with tfjs's platform fetch instead of the
 *   browser's own `fetch`. Default: `false`.
 * @throws ValueError when the prefix is an empty string.
 * @example
 * ```ts
 * st.setWasmPaths('/wasm/');
 * await st.setBackend('wasm');
 * ```
 */
export function setWasmPaths(prefixOrPaths: string | WasmPaths, usePlatformFetch = false): void {
  if (typeof prefixOrPaths === 'string' && prefixOrPaths.length === 0) {
    throw new ValueError(`setWasmPaths: argument 'prefixOrPaths' must be a non-empty URL prefix; got ''`);
  }
  tfjsSetWasmPaths(prefixOrPaths, usePlatformFetch);
}

const WHY_MISSING: Record<BackendName, string> = {
  cpu: 'the cpu backend failed to load',
  wasm: 'the wasm backend failed to load',
  webgl: 'this environment is not a browser with a DOM',
  webgpu: 'navigator.gpu is missing (WebGPU is disabled or unsupported in this browser)',
};

/**
 * Select the backend all later tensor work runs on, in a browser: `'webgl'`,
 * `'webgpu'`, `'wasm'` or `'cpu'`. Same as the common `setBackend`, with a clear error
 * when the browser lacks the backend (for example WebGPU without `navigator.gpu`).
 *
 * @param name - the backend's name.
 * @returns once the backend is initialised.
 * @throws StrataError when the name is unknown, the browser lacks the backend, or it
 *   fails to initialise.
 * @example
 * ```ts
 * await st.setBackend('webgl');
 * ```
 */
export async function setBackend(name: BackendName): Promise<void> {
  if (Object.hasOwn(WHY_MISSING, name) && tf.findBackendFactory(name) == null) {
    throw new StrataError(`setBackend: backend '${name}' is not available here: ${WHY_MISSING[name]}`);
  }
  await setAnyBackend(name);
}
