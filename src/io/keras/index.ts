/**
 * Keras files: Keras 3 `.keras` archives (read and write) and legacy Keras `.h5` models
 * (read), from and to bytes, so they work the same in Node and in browsers.
 * @module
 */
import { SerializationError, ValueError } from '../../engine/errors.js';
import type { LoadModelOptions } from '../load.js';
import type { SavableModel } from '../save.js';
import type { LoadedModel } from '../topology_load.js';
import { kerasArchiveBytes, modelFromKerasArchive } from './keras3.js';
import { modelFromLegacyH5 } from './legacy_h5.js';
import type { ZipLimits } from './zip.js';
import { guardLoad } from '../load_errors.js';
import { checkOptionKeys, keysOf } from '../../engine/option_keys.js';

export type { ZipLimits } from './zip.js';
export { kerasSnakeCase } from './keras3.js';

/** Options of {@link loadKerasModel}: those of `loadModel` plus limits on a `.keras` archive's size. */
export interface LoadKerasOptions extends LoadModelOptions, ZipLimits {}

const LOAD_KERAS_KEYS = keysOf<LoadKerasOptions>({
  customLayers: true, registry: true, compile: true, ioOptions: true, maxTotalBytes: true, maxRatio: true,
});

function asBytes(data: ArrayBuffer | Uint8Array, owner: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new ValueError(`${owner}: expected the file's bytes (ArrayBuffer or Uint8Array); got ${typeof data}`);
}

/**
 * Loads a Keras model from a file's bytes: a Keras 3 `.keras` archive (zip) or a legacy
 * Keras `.h5` model (HDF5), told apart by their first bytes. Layers are looked up as in
 * `loadModel`; the saved compile settings are applied unless `compile: false`.
 * @throws SerializationError for any other content, or anything malformed.
 * @example
 * ```ts
 * const bytes = await (await fetch('/models/classifier.keras')).arrayBuffer();
 * const net = await st.loadKerasModel(bytes);
 * ```
 */
export async function loadKerasModel(data: ArrayBuffer | Uint8Array, opts: LoadKerasOptions = {}): Promise<LoadedModel> {
  const owner = 'loadKerasModel';
  checkOptionKeys(owner, opts, LOAD_KERAS_KEYS);
  const bytes = asBytes(data, owner);
  return guardLoad(owner, async () => {
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) return modelFromKerasArchive(bytes, opts, owner);
    if (bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46) return modelFromLegacyH5(bytes, opts, owner);
    throw new SerializationError(`${owner}: the bytes are neither a .keras archive (zip) nor a Keras .h5 file (HDF5)`);
  });
}

/**
 * Saves a model as a Keras 3 `.keras` archive and returns its bytes: `config.json` in
 * Keras 3 form, `metadata.json`, and `model.weights.h5` (no optimizer state).
 * @example
 * ```ts
 * const bytes = await st.saveKerasModel(net); // write them to 'net.keras'
 * ```
 */
export async function saveKerasModel(model: SavableModel): Promise<Uint8Array> {
  model.assertNotDisposed('saveKerasModel');
  return kerasArchiveBytes(model);
}
