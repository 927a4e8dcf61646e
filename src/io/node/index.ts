/**
 * Saving and loading for Node: the common `saveModel` / `loadModel` plus `file://` URLs,
 * and the `fileSystem` handler. Imported only by the Node entry, so browser bundles never
 * pull in `fs`.
 * @module
 */
import type { tf } from '../../backend/tf.js';
import type { HandlerRouter, ModelLocation } from '../handlers.js';
import { loadModelVia, type LoadModelOptions } from '../load.js';
import { saveModelVia, type SavableModel, type SaveOptions } from '../save.js';
import type { LoadedModel } from '../topology_load.js';
import { FILE_SCHEME, fileSystem } from './file_handler.js';

export { fileSystem, FILE_SCHEME } from './file_handler.js';

/** Serves `file://` URLs with {@link fileSystem}. */
export const fileRouter: HandlerRouter = (url) => (url.startsWith(FILE_SCHEME) ? fileSystem(url) : undefined);

const NODE_ROUTERS: readonly HandlerRouter[] = [fileRouter];

/**
 * Saves a model in the tfjs-layers format; in Node, `file://dir` URLs write `dir/model.json`
 * and a weight shard atomically. Other targets as in the common `saveModel`.
 * @example
 * ```ts
 * await st.saveModel(net, 'file://./out/mnist', { includeOptimizer: true });
 * ```
 */
export async function saveModel(model: SavableModel, target: ModelLocation, opts: SaveOptions = {}): Promise<tf.io.SaveResult> {
  return saveModelVia(model, target, opts, NODE_ROUTERS);
}

/**
 * Loads a model in the tfjs-layers format; in Node also from `file://dir` or
 * `file://dir/model.json`. Other sources as in the common `loadModel`.
 * @example
 * ```ts
 * const net = await st.loadModel('file://./out/mnist/model.json');
 * ```
 */
export async function loadModel(source: ModelLocation, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  return loadModelVia(source, opts, NODE_ROUTERS);
}
