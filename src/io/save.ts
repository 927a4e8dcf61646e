import { tf } from '../backend/tf.js';
import { SerializationError, StateError } from '../engine/errors.js';
import type { Network } from '../models/network.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { saveHandlerFor, type HandlerRouter, type ModelLocation } from './handlers.js';
import { modelTopology } from './topology_save.js';
import { optimizerState, trainingConfig, type CompiledModel } from './training_config.js';
import { encodeNamed } from './weights.js';

/** Options of `saveModel` / `model.save`. */
export interface SaveOptions {
  /**
   * Also save the training config (optimizer, loss, metrics) and the optimizer state
   * (iteration count and slots), so `loadModel` returns a compiled model that resumes
   * training exactly. Needs a compiled model. Default false.
   */
  includeOptimizer?: boolean;
}

/** What `saveModel` accepts: any Sequential or functional model (compiled or not). */
export type SavableModel = Network & {
  /** The compiled optimizer, saved with `includeOptimizer`; undefined before `compile`. */
  readonly optimizer?: Optimizer | undefined;
};

/** The `generatedBy` field strata writes. */
export const GENERATED_BY = 'strata 0.1.0';

/**
 * Builds the tfjs model artifacts of a model: Keras-style topology, weight specs and data,
 * and with `includeOptimizer` the training config and optimizer state (weight group
 * `optimizer`).
 * @throws StateError when the model is not built, or `includeOptimizer` is set on an uncompiled model.
 * @throws SerializationError when two weights share a name.
 */
export async function modelArtifacts(model: SavableModel, opts: SaveOptions = {}): Promise<tf.io.ModelArtifacts> {
  const owner = `${model.label}.save`;
  model.assertNotDisposed('save');
  if (!model.built) throw new StateError(`${owner}: the model is not built; give its first layer an inputShape or call it on data first`);
  const topology = modelTopology(model);
  const named = model.weights.map((w) => ({ name: w.name, tensor: w.read() as tf.Tensor }));
  const seen = new Set<string>();
  for (const n of named) {
    if (seen.has(n.name)) {
      throw new SerializationError(`${owner}: two weights are named '${n.name}' (a nested model reuses a layer name); rename one layer`);
    }
    seen.add(n.name);
  }
  const encoded = await encodeNamed(named);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightSpecs: encoded.specs,
    weightData: encoded.data,
  };
  if (opts.includeOptimizer) {
    const compiled = model as unknown as CompiledModel;
    artifacts.trainingConfig = trainingConfig(compiled) as unknown as tf.io.TrainingConfig;
    const state = optimizerState(compiled);
    try {
      const opt = await encodeNamed(state, 'optimizer');
      artifacts.weightSpecs = [...encoded.specs, ...opt.specs];
      artifacts.weightData = tf.io.concatenateArrayBuffers([encoded.data, opt.data]);
    } finally {
      for (const s of state) s.tensor.dispose();
    }
  }
  return artifacts;
}

/**
 * Saves a model in the tfjs-layers format (`model.json` + binary weight shards) through a
 * handler or URL, and returns the handler's result. Internal form of {@link saveModel}
 * taking extra URL routers (the Node entry adds `file://`).
 */
export async function saveModelVia(
  model: SavableModel, target: ModelLocation, opts: SaveOptions, routers: readonly HandlerRouter[],
): Promise<tf.io.SaveResult> {
  const handler = saveHandlerFor(target, `${model?.label ?? 'saveModel'}.save`, routers);
  const artifacts = await modelArtifacts(model, opts);
  return handler.save!(artifacts);
}

/**
 * Saves a model in the tfjs-layers format: `model.json` (Keras-style topology, weights
 * manifest) and binary weight shards, readable by `loadModel` and by tfjs-layers'
 * `tf.loadLayersModel`. Targets: `indexeddb://`, `localstorage://`, `downloads://`,
 * `http(s)://` (POST), any tfjs `IOHandler`, and in Node `file://` (from the Node entry).
 * @example
 * ```ts
 * await st.saveModel(net, 'indexeddb://my-model', { includeOptimizer: true });
 * ```
 */
export async function saveModel(model: SavableModel, target: ModelLocation, opts: SaveOptions = {}): Promise<tf.io.SaveResult> {
  return saveModelVia(model, target, opts, []);
}
