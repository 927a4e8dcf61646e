/**
 * Keras 3 `.keras` archives: a zip of `config.json` (the model's serialized config),
 * `metadata.json` and `model.weights.h5`, whose variables sit at
 * `layers/<snake_case class name>[_k]/vars/<i>` (the k-th layer of that class in the
 * model's layer list; nested models add their own `layers/…` below). Layers whose Keras
 * class keeps its variables in child objects add those below their path
 * (`layers/lstm/cell/vars/<i>`; see `layer.kerasVariables()` and layer_vars.ts).
 * @module
 */
import { tf } from '../../backend/tf.js';
import type { Layer } from '../../engine/layer.js';
import { SerializationError, StateError } from '../../engine/errors.js';
import type { LayerWeight } from '../../engine/weight.js';
import { Network } from '../../models/network.js';
import { SequentialNetwork } from '../../models/sequential.js';
import { WeightBudget } from '../budget.js';
import { isJsonObject, short, type JsonObject, type JsonValue } from '../keras_config.js';
import type { BuildContext } from '../layer_config.js';
import { buildGuarded, compileFromConfig, type LoadModelOptions } from '../load.js';
import { defaultLayerRegistry } from '../registry.js';
import type { SavableModel } from '../save.js';
import { buildNetwork, type LoadedModel } from '../topology_load.js';
import { networkConfig } from '../topology_save.js';
import type { Shape } from '../../engine/shape.js';
import { FunctionalNetwork } from '../../models/functional.js';
import { blockAsFunctional } from './blocks.js';
import { kerasLayerOrder } from './layer_order.js';
import { kerasVarGroups } from './layer_vars.js';
import { KerasScalarOp } from './numpy_op.js';
import { H5Reader, H5Writer } from './h5.js';
import { readZip, writeZip, type ZipLimits } from './zip.js';

/** The Keras version whose archive layout strata writes. */
export const KERAS_FORMAT_VERSION = '3.0.0';

/** Keras' `to_snake_case`, which names the weight groups of `.keras` files. */
export function kerasSnakeCase(name: string): string {
  return name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The weight group paths of a model's layers, in Keras' naming. */
function layerPaths(layers: Layer[], prefix: string): [Layer, string][] {
  const used = new Map<string, number>();
  return layers.map((layer) => {
    const base = kerasSnakeCase(layer.className);
    const n = used.get(base);
    used.set(base, (n ?? -1) + 1);
    return [layer, `${prefix}layers/${n === undefined ? base : `${base}_${n + 1}`}`];
  });
}

/** Every dataset below `path`; groups nested implausibly deep are refused. */
function datasets(h5: H5Reader, path: string, out: string[], owner: string, depth = 0): void {
  if (depth > 64) throw new SerializationError(`${owner}: the weights file nests groups more than 64 deep at '${path}'`);
  for (const k of h5.keys(path)) {
    const p = `${path}/${k}`;
    if (h5.isGroup(p)) datasets(h5, p, out, owner, depth + 1);
    else out.push(p);
  }
}

/** Matches every weight of the model to its dataset, checking counts and shapes first. */
function plan(h5: H5Reader, model: Network, order: Map<Layer, Layer[]>, prefix: string, owner: string, out: [LayerWeight, string][]): void {
  for (const [layer, path] of layerPaths(order.get(model) ?? model.layers, prefix)) {
    if (layer instanceof Network) {
      plan(h5, layer, order, `${path}/`, owner, out);
      continue;
    }
    for (const group of kerasVarGroups(layer, path)) {
      const keys = h5.keys(group.path);
      if (keys.length !== group.vars.length) {
        throw new SerializationError(`${owner}: ${layer.label} has ${group.vars.length} weights at '${group.path}' but the file holds ${keys.length} there`);
      }
      group.vars.forEach((w, i) => {
        const p = `${group.path}/${i}`;
        const { shape } = h5.info(p);
        if (shape.length !== w.shape.length || shape.some((d, j) => d !== w.shape[j])) {
          throw new SerializationError(`${owner}: weight '${w.name}' has shape [${w.shape}] in the model but '${p}' has [${shape}]`);
        }
        out.push([w, p]);
      });
    }
  }
}

/**
 * Builds a model from the bytes of a Keras 3 `.keras` archive; compiled with its
 * `compile_config` unless `compile: false` (the optimizer state is not restored).
 * @throws SerializationError for anything wrong in the archive, including zip bombs.
 */
export async function modelFromKerasArchive(bytes: Uint8Array, opts: LoadModelOptions & ZipLimits = {}, owner = 'loadKerasModel'): Promise<LoadedModel> {
  const files = readZip(bytes, ['config.json', 'model.weights.h5'], owner, opts);
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(files.get('config.json')!));
  } catch (e) {
    throw new SerializationError(`${owner}: config.json is not valid JSON: ${(e as Error).message}`);
  }
  if (!isJsonObject(config)) throw new SerializationError(`${owner}: config.json must hold an object; got ${short(config)}`);
  const h5 = await H5Reader.open(files.get('model.weights.h5')!, owner);
  try {
    const all: string[] = [];
    datasets(h5, 'layers', all, owner);
    let total = 0;
    for (const p of all) {
      const { size, bytes: n } = h5.info(p);
      if (n > h5.byteLength) throw new SerializationError(`${owner}: dataset '${p}' claims ${n} bytes, more than the ${h5.byteLength}-byte weights file`);
      total += size;
    }
    const registry = (opts.registry ?? defaultLayerRegistry).with(opts.customLayers ?? []);
    const ctx: BuildContext = { registry, budget: new WeightBudget(total, owner), created: [], owner, order: new Map() };
    return await buildGuarded(ctx, () => {
      const model = buildNetwork(config as JsonObject, ctx);
      ctx.budget.closed = true;
      const pairs: [LayerWeight, string][] = [];
      plan(h5, model, ctx.order!, '', owner, pairs);
      const used = new Set(pairs.map(([, p]) => p));
      const extra = all.filter((p) => !used.has(p));
      if (extra.length > 0) throw new SerializationError(`${owner}: the weights file has variables no layer takes: ${extra.slice(0, 5).join(', ')}`);
      for (const [w, p] of pairs) {
        const { shape, values } = h5.read(p);
        const t = tf.tensor(values, shape, 'float32');
        w.write(t);
        t.dispose();
      }
      const cc = (config as JsonObject).compile_config;
      // Keras 3 writes `compile_config: {}` (or null) for a model that was never compiled.
      if (isJsonObject(cc) && Object.keys(cc).length > 0 && opts.compile !== false) compileFromConfig(model, cc, owner);
      return model;
    });
  } finally {
    h5.close();
  }
}

/** Adds Keras 3's `module` to nested initializer and regularizer specs and to wrapped layers. */
function withModules(v: JsonValue, key = ''): JsonValue {
  if (Array.isArray(v)) return v.map((x) => withModules(x, key));
  if (!isJsonObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = withModules(x, k);
  if (typeof out.class_name === 'string' && isJsonObject(out.config) && !('module' in out)) {
    if (key.endsWith('_initializer')) Object.assign(out, { module: 'keras.initializers', registered_name: null });
    if (key.endsWith('_regularizer')) Object.assign(out, { module: 'keras.regularizers', registered_name: null });
    if (key === 'layer' || key === 'backward_layer') Object.assign(out, { module: 'keras.layers', registered_name: null });
  }
  return out;
}

function writeWeights(h5: H5Writer, model: Network, prefix: string, swapped: Map<Layer, Layer>): void {
  h5.group(`${prefix}vars`);
  const order = model instanceof FunctionalNetwork ? kerasLayerOrder(model) : model.layers;
  // Keras numpy operations are not layers in Keras: they have no weight group.
  const layers = order.map((l) => swapped.get(l) ?? l).filter((l) => !(l instanceof KerasScalarOp));
  for (const [layer, path] of layerPaths(layers, prefix)) {
    if (layer instanceof Network) {
      writeWeights(h5, layer, `${path}/`, swapped);
      continue;
    }
    for (const group of kerasVarGroups(layer, path)) {
      h5.group(group.path);
      group.vars.forEach((w, i) => h5.dataset(`${group.path}/${i}`, w.read().dataSync() as Float32Array, w.shape));
    }
  }
}

/**
 * The bytes of a Keras 3 `.keras` archive of a model: its config in Keras 3 form and its
 * weights (no optimizer state).
 * @throws StateError when the model is not built.
 */
export async function kerasArchiveBytes(model: SavableModel): Promise<Uint8Array> {
  if (!model.built) throw new StateError(`${model.label}: cannot save a model that is not built; give its first layer an inputShape or call it on data first`);
  const inputs = model.inputShapes;
  // Ready blocks are written as nested functional models of standard Keras layers.
  const swapped = new Map<Layer, Layer>();
  const swap = (layer: Layer, inputShape: Shape): Layer => {
    const known = swapped.get(layer);
    if (known) return known;
    const fn = blockAsFunctional(layer, inputShape);
    if (!fn) return layer;
    swapped.set(layer, fn);
    return fn;
  };
  let weights: Uint8Array;
  let config: JsonObject;
  try {
    config = {
      module: model instanceof SequentialNetwork ? 'keras' : 'keras.src.models.functional',
      class_name: model.className,
      config: withModules(networkConfig(model, 'keras3', swap)),
      registered_name: model instanceof SequentialNetwork ? null : 'Functional',
      build_config: { input_shape: model instanceof SequentialNetwork || inputs.length === 1 ? inputs[0]! : inputs },
    };
    const h5 = await H5Writer.create();
    writeWeights(h5, model, '', swapped);
    weights = h5.bytes();
  } finally {
    for (const fn of swapped.values()) fn.dispose();
  }
  const enc = new TextEncoder();
  return writeZip({
    'metadata.json': enc.encode(JSON.stringify({ keras_version: KERAS_FORMAT_VERSION, date_saved: new Date().toISOString(), saved_by: 'strata 0.1.0' })),
    'config.json': enc.encode(JSON.stringify(config)),
    'model.weights.h5': weights,
  });
}
