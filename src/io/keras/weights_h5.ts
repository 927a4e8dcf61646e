/**
 * Keras weights-only files, loaded into a model built with the same layer names (as
 * `keras.applications` builds them):
 *  - the legacy layout of Keras' released ImageNet files and of Keras 2 `save_weights('x.h5')`:
 *    the root attribute `layer_names`, and per layer a group with a `weight_names` attribute
 *    (under `model_weights/` in a whole-model file), matched by layer name;
 *  - Keras 3 `model.save_weights('x.weights.h5')`: `layers/<snake_case class>[_k]/vars/<i>`,
 *    the k-th layer of that class in Keras' layer order, matched by that order.
 * @module
 */
import { tf } from '../../backend/tf.js';
import { SerializationError, ValueError } from '../../engine/errors.js';
import type { Layer } from '../../engine/layer.js';
import type { LayerWeight } from '../../engine/weight.js';
import type { Network } from '../../models/network.js';
import { H5Reader } from './h5.js';
import { kerasLayerOrder } from './keras_order.js';
import { kerasSnakeCase } from './keras3.js';
import { kerasVarGroups, kerasWeightOrder, pairSaved, shortWeightName, type SavedWeight } from './layer_vars.js';

export type { SavedWeight } from './layer_vars.js';

/** Saved weights by layer name, each layer's in Keras' variable order. */
export type NamedWeights = Map<string, SavedWeight[]>;

/** Options of {@link loadKerasWeights}. */
export interface LoadKerasWeightsOptions {
  /**
   * Allow weighted layers of the file that the model does not have (e.g. a file with the
   * classifier loaded into a model built without it). Default true. Weighted layers of the
   * model missing from the file are always an error.
   */
  allowExtra?: boolean;
}

function stringList(v: unknown, owner: string, what: string): string[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string')) throw new SerializationError(`${owner}: '${what}' must list names; got ${String(v)}`);
  return list as string[];
}

function readLegacy(h5: H5Reader, owner: string): NamedWeights {
  const root = h5.isGroup('model_weights') ? 'model_weights' : '';
  const out: NamedWeights = new Map();
  for (const layer of stringList(h5.attr(root || '/', 'layer_names'), owner, 'layer_names')) {
    const names = stringList(h5.attr(`${root}/${layer}`, 'weight_names'), owner, `${layer} weight_names`);
    if (names.length === 0) continue;
    out.set(layer, names.map((w) => ({ name: shortWeightName(w), ...h5.read(`${root}/${layer}/${w}`) })));
  }
  return out;
}

function readKeras3(h5: H5Reader, model: Network, owner: string): NamedWeights {
  const used = new Map<string, number>();
  const out: NamedWeights = new Map();
  for (const layer of kerasLayerOrder(model)) {
    const base = kerasSnakeCase(layer.className);
    const n = used.get(base);
    used.set(base, (n ?? -1) + 1);
    if (layer.weights.length === 0) continue;
    // Each variable from its own place in the file, listed in the order pairSaved expects.
    const found = new Map<LayerWeight, SavedWeight>();
    for (const group of kerasVarGroups(layer, `layers/${n === undefined ? base : `${base}_${n + 1}`}`)) {
      const keys = h5.keys(group.path);
      if (keys.length !== group.vars.length) {
        if (keys.length === 0) continue;
        throw new SerializationError(`${owner}: ${layer.label} has ${group.vars.length} weights at '${group.path}' but the file holds ${keys.length} there`);
      }
      group.vars.forEach((w, i) => found.set(w, { name: '', ...h5.read(`${group.path}/${i}`) }));
    }
    if (found.size === 0) continue;
    const order = kerasWeightOrder(layer);
    const missing = order.find((w) => !found.has(w));
    if (missing) throw new SerializationError(`${owner}: the file has no value for weight '${missing.name}' of ${layer.label}`);
    out.set(layer.name, order.map((w) => found.get(w)!));
  }
  return out;
}

/**
 * Reads the weights of a Keras weights file (either layout), naming them after `model`'s
 * layers. The file is checked to be HDF5.
 * @throws SerializationError for bytes that are not a Keras weights file.
 */
export async function readKerasWeights(bytes: Uint8Array, model: Network, owner: string): Promise<NamedWeights> {
  const h5 = await H5Reader.open(bytes, owner);
  try {
    const legacy = h5.attr('/', 'layer_names') !== undefined || h5.isGroup('model_weights');
    if (legacy) return readLegacy(h5, owner);
    if (h5.isGroup('layers')) return readKeras3(h5, model, owner);
    throw new SerializationError(`${owner}: the HDF5 file is not a Keras weights file (no 'layer_names' attribute, no 'layers' group)`);
  } finally {
    h5.close();
  }
}

/**
 * Writes saved weights into the model's layers of the same names. Every layer of the model
 * that has weights must be in `named`; all shapes are checked before anything is written.
 * @throws SerializationError for a missing layer, a count or shape that differs, or (with
 *   `allowExtra: false`) a saved layer the model lacks.
 */
export function assignNamedWeights(model: Network, named: NamedWeights, owner: string, opts: LoadKerasWeightsOptions = {}): void {
  const layers = model.layers.filter((l) => l.weights.length > 0);
  const missing = layers.filter((l) => !named.has(l.name)).map((l) => l.name);
  if (missing.length > 0) {
    throw new SerializationError(`${owner}: the weights have nothing for layer${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).map((n) => `'${n}'`).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} of ${model.label}`);
  }
  if (opts.allowExtra === false) {
    const have = new Set(layers.map((l) => l.name));
    const extra = [...named.keys()].filter((n) => !have.has(n));
    if (extra.length > 0) throw new SerializationError(`${owner}: the weights have layers ${model.label} lacks: ${extra.slice(0, 5).join(', ')}`);
  }
  const pairs = layers.flatMap((l) => pairSaved(l, named.get(l.name)!, owner));
  for (const [w, s] of pairs) {
    const t = tf.tensor(s.values, s.shape, 'float32');
    w.write(t);
    t.dispose();
  }
}

/**
 * Loads a Keras weights-only file (legacy `.h5` by layer name, or Keras 3 `.weights.h5` by
 * Keras' layer order) into a model built with Keras' layer names, as
 * `model.load_weights(path)` does for `keras.applications` models.
 * @throws SerializationError when the file does not fit the model.
 * @example
 * ```ts
 * const net = await st.applications.resNet50({ weights: null });
 * await st.io.loadKerasWeights(net, bytesOfResnet50WeightsH5);
 * ```
 */
export async function loadKerasWeights(model: Network, data: Uint8Array | ArrayBuffer, opts: LoadKerasWeightsOptions = {}): Promise<void> {
  const owner = `${model.label} loadKerasWeights`;
  if (!(data instanceof Uint8Array) && !(data instanceof ArrayBuffer)) {
    throw new ValueError(`${owner}: expected the file's bytes (ArrayBuffer or Uint8Array); got ${typeof data}`);
  }
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  assignNamedWeights(model, await readKerasWeights(bytes, model, owner), owner, opts);
}
