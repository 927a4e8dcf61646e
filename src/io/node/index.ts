/**
 * Saving and loading for Node: everything of the common `io` module, with `saveModel` /
 * `loadModel` that also take `file://` URLs (tfjs-layers directories and Keras files), and
 * the `fileSystem` handler. Imported only by the Node entry, so browser bundles never pull
 * in `fs`.
 * @module
 */
import type { tf } from '../../backend/tf.js';
import { SerializationError, ValueError } from '../../engine/errors.js';
import type { HandlerRouter, ModelLocation } from '../handlers.js';
import { loadKerasModel, saveKerasModel, type LoadKerasOptions } from '../keras/index.js';
import { loadModelVia } from '../load.js';
import { saveModelVia, type SavableModel, type SaveOptions } from '../save.js';
import type { LoadedModel } from '../topology_load.js';
import { FILE_SCHEME, fileSystem, isKerasPath, writeFileAtomic } from './file_handler.js';

// The common io module; saveModel and loadModel below take precedence over its own.
export * from '../index.js';
export { fileSystem, FILE_SCHEME, writeFileAtomic, type FileSystemOptions } from './file_handler.js';
import { MAX_FILE_BYTES, readRegularFile } from './safe_read.js';
import { checkOptionKeys, keysOf } from '../../engine/option_keys.js';
export type { HandlerRouter } from '../handlers.js';

/** The path of a `file://` URL naming a Keras file (`.keras` or `.h5`), else undefined. */
function kerasPath(location: ModelLocation): string | undefined {
  if (typeof location !== 'string' || !location.startsWith(FILE_SCHEME)) return undefined;
  const p = location.slice(FILE_SCHEME.length);
  return isKerasPath(p) ? p : undefined;
}

/** Options of the Node `loadModel`: those of `loadKerasModel`, plus the size limit of a Keras file read from disk. */
export interface NodeLoadOptions extends LoadKerasOptions {
  /** Most bytes read from a `file://` Keras file. Default 2 GiB - 1. */
  maxBytes?: number;
}

const NODE_LOAD_KEYS = keysOf<NodeLoadOptions>({
  customLayers: true, registry: true, compile: true, ioOptions: true, maxTotalBytes: true, maxRatio: true, maxBytes: true,
});

/** Serves `file://` URLs with {@link fileSystem}. */
export const fileRouter: HandlerRouter = (url) => (url.startsWith(FILE_SCHEME) ? fileSystem(url) : undefined);

const NODE_ROUTERS: readonly HandlerRouter[] = [fileRouter];

/**
 * Saves a model in the tfjs-layers format; in Node, `file://dir` URLs write `dir/model.json`
 * and a weight shard atomically, and `file://path.keras` writes a Keras 3 archive
 * atomically (weights and config; `includeOptimizer` does not apply). Other targets as in
 * the common `saveModel`.
 * @example
 * ```ts
 * await st.saveModel(net, 'file://./out/mnist', { includeOptimizer: true });
 * ```
 */
export async function saveModel(model: SavableModel, target: ModelLocation, opts: SaveOptions = {}): Promise<tf.io.SaveResult> {
  const keras = kerasPath(target);
  if (keras === undefined) return saveModelVia(model, target, opts, NODE_ROUTERS);
  if (!keras.toLowerCase().endsWith('.keras')) {
    throw new ValueError(`${model.label}.save: only the Keras 3 '.keras' format can be written; got '${String(target)}'`);
  }
  const bytes = await saveKerasModel(model);
  await writeFileAtomic(keras, bytes);
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
}

/**
 * Loads a model in the tfjs-layers format; in Node also from `file://dir` or
 * `file://dir/model.json`, and Keras files from `file://path.keras` or `file://path.h5`.
 * Other sources as in the common `loadModel`.
 * @example
 * ```ts
 * const net = await st.loadModel('file://./out/mnist/model.json');
 * ```
 */
export async function loadModel(source: ModelLocation, opts: NodeLoadOptions = {}): Promise<LoadedModel> {
  checkOptionKeys('loadModel', opts, NODE_LOAD_KEYS);
  const keras = kerasPath(source);
  if (keras === undefined) return loadModelVia(source, opts, NODE_ROUTERS);
  // A regular file only (never a device or FIFO), within `maxBytes`.
  const { maxBytes, ...kerasOpts } = opts;
  const bytes = await readRegularFile(keras, maxBytes ?? MAX_FILE_BYTES, 'loadModel', 'Keras file');
  return loadKerasModel(bytes, kerasOpts);
}
