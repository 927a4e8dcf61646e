/**
 * Legacy Keras `.h5` models (Keras 2 / tf.keras, and Keras 3 `model.save('m.h5')`): the root
 * attribute `model_config` (and `training_config`), and the weights under
 * `model_weights/<layer>/<weight name>` as listed by the `layer_names` and `weight_names`
 * attributes. Each layer's list is in Keras' `layer.weights` order, whatever the names say
 * (`lstm/lstm_cell/kernel`, `bidirectional/forward_lstm/lstm_cell/kernel`…), and is matched
 * to the layer's weights as Keras matches it (see `pairSaved`); a nested model's weights are
 * matched by their `<layer>/<weight>` names.
 * @module
 */
import { tf } from '../../backend/tf.js';
import { SerializationError } from '../../engine/errors.js';
import type { Layer } from '../../engine/layer.js';
import type { LayerWeight } from '../../engine/weight.js';
import { Network } from '../../models/network.js';
import { WeightBudget } from '../budget.js';
import { isJsonObject, short, type JsonObject } from '../keras_config.js';
import type { BuildContext } from '../layer_config.js';
import { buildGuarded, compileFromConfig, type LoadModelOptions } from '../load.js';
import { defaultLayerRegistry } from '../registry.js';
import { buildNetwork, type LoadedModel } from '../topology_load.js';
import { H5Reader } from './h5.js';
import { pairSaved, shortWeightName, type SavedWeight } from './layer_vars.js';

function jsonAttr(h5: H5Reader, name: string, owner: string): JsonObject | undefined {
  const raw = h5.attr('/', name);
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(String(raw));
    if (!isJsonObject(v)) throw new Error(`expected an object; got ${short(v)}`);
    return v;
  } catch (e) {
    throw new SerializationError(`${owner}: the '${name}' attribute is not a JSON object: ${(e as Error).message}`);
  }
}

function stringList(v: unknown, owner: string, what: string): string[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string')) throw new SerializationError(`${owner}: '${what}' must list names; got ${short(v)}`);
  return list as string[];
}

/** One saved weight of a layer group: its name in the file, and its short name, shape and values. */
type Saved = SavedWeight & { saved: string };

/** `dense/kernel:0` or `model/dense/kernel:0` → `dense/kernel`: how a nested model's weights are named. */
function innerName(saved: string): string {
  return saved.replace(/:\d+$/, '').split('/').slice(-2).join('/');
}

/** A nested model's weights, matched by `<layer>/<weight>` name. */
function pairByName(model: Network, saved: Saved[], owner: string): [LayerWeight, SavedWeight][] {
  const byName = new Map(model.weights.map((w) => [w.name, w]));
  return saved.map((s) => {
    const w = byName.get(innerName(s.saved));
    if (!w) throw new SerializationError(`${owner}: the file has values for weight '${s.saved}' that ${model.label} does not have`);
    if (s.shape.length !== w.shape.length || s.shape.some((d, j) => d !== w.shape[j])) {
      throw new SerializationError(`${owner}: weight '${w.name}' has shape [${w.shape}] in the model but [${s.shape}] in the file`);
    }
    return [w, s];
  });
}

/** Pairs every weight of the model with a saved one, checking all before anything is written. */
function pairAll(model: LoadedModel, groups: Map<string, Saved[]>, owner: string): [LayerWeight, SavedWeight][] {
  const layers = new Map<string, Layer>(model.layers.map((l) => [l.name, l]));
  const pairs: [LayerWeight, SavedWeight][] = [];
  for (const [name, saved] of groups) {
    const layer = layers.get(name);
    if (!layer) throw new SerializationError(`${owner}: the file has weights for layer '${name}', which the model does not have`);
    pairs.push(...(layer instanceof Network ? pairByName(layer, saved, owner) : pairSaved(layer, saved, owner)));
  }
  const paired = new Set(pairs.map(([w]) => w));
  const missing = model.weights.filter((w) => !paired.has(w)).map((w) => w.name);
  if (missing.length > 0) {
    throw new SerializationError(`${owner}: the file has no values for weight(s) ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`);
  }
  return pairs;
}

/** The saved weights of each layer group, in the file's order; values are read only after every size is checked. */
function readGroups(h5: H5Reader, owner: string): { groups: Map<string, Saved[]>; total: number } {
  const root = h5.isGroup('model_weights') ? 'model_weights' : '';
  const specs: { layer: string; saved: string; path: string }[] = [];
  let bytes = 0;
  let total = 0;
  for (const layer of stringList(h5.attr(root || '/', 'layer_names'), owner, 'layer_names')) {
    for (const w of stringList(h5.attr(`${root}/${layer}`, 'weight_names'), owner, `${layer} weight_names`)) {
      const path = `${root}/${layer}/${w}`;
      const info = h5.info(path);
      bytes += info.bytes;
      total += info.size;
      if (bytes > h5.byteLength) throw new SerializationError(`${owner}: the datasets claim ${bytes}+ bytes, more than the ${h5.byteLength}-byte file`);
      specs.push({ layer, saved: w, path });
    }
  }
  const groups = new Map<string, Saved[]>();
  for (const s of specs) {
    if (!groups.has(s.layer)) groups.set(s.layer, []);
    groups.get(s.layer)!.push({ saved: s.saved, name: shortWeightName(s.saved), ...h5.read(s.path) });
  }
  return { groups, total };
}

/**
 * Builds a model from the bytes of a legacy Keras `.h5` model file; compiled with its
 * `training_config` unless `compile: false`.
 * @throws SerializationError for a weights-only file or anything malformed.
 */
export async function modelFromLegacyH5(bytes: Uint8Array, opts: LoadModelOptions = {}, owner = 'loadKerasModel'): Promise<LoadedModel> {
  const h5 = await H5Reader.open(bytes, owner);
  let modelConfig: JsonObject | undefined;
  let training: JsonObject | undefined;
  let read: { groups: Map<string, Saved[]>; total: number };
  try {
    modelConfig = jsonAttr(h5, 'model_config', owner);
    if (!modelConfig) throw new SerializationError(`${owner}: the .h5 file has no 'model_config' attribute (a weights-only file cannot be loaded as a model)`);
    training = jsonAttr(h5, 'training_config', owner);
    read = readGroups(h5, owner);
  } finally {
    h5.close();
  }
  const registry = (opts.registry ?? defaultLayerRegistry).with(opts.customLayers ?? []);
  const ctx: BuildContext = { registry, budget: new WeightBudget(read.total, owner), created: [], owner };
  const config = modelConfig;
  return buildGuarded(ctx, () => {
    const model = buildNetwork(config, ctx);
    ctx.budget.closed = true;
    for (const [w, s] of pairAll(model, read.groups, owner)) {
      const t = tf.tensor(s.values, s.shape, 'float32');
      w.write(t);
      t.dispose();
    }
    if (training && opts.compile !== false) compileFromConfig(model, training, owner);
    return model;
  });
}
