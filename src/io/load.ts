import type { tf } from '../backend/tf.js';
import { SerializationError, StrataError } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';
import { ioNames } from '../training/fit.js';
import { loadHandlerFor, type HandlerRouter, type ModelLocation } from './handlers.js';
import { isJsonObject, short, type JsonObject } from './keras_config.js';
import { WeightBudget } from './budget.js';
import type { BuildContext } from './layer_config.js';
import { defaultLayerRegistry, type LayerClass, type LayerRegistry } from './registry.js';
import { buildNetwork, type LoadedModel } from './topology_load.js';
import { compileOptionsFrom, restoreOptimizerState } from './training_config.js';
import { assignWeights, checkWeights, weightBuffer } from './weights.js';
import { guardLoad } from './load_errors.js';

/** Options of `loadModel`. */
export interface LoadModelOptions {
  /** Custom layer classes for this load only (added to `registry`). Default none. */
  customLayers?: LayerClass[];
  /** Where layer class names are looked up. Default the registry `registerLayer` adds to. */
  registry?: LayerRegistry;
  /**
   * Compile the model with the saved training config (optimizer, loss, metrics) when the
   * file has one, and restore the saved optimizer state. Default true.
   */
  compile?: boolean;
  /** Passed to tfjs' URL handlers (`requestInit`, `fetchFunc`, `weightPathPrefix`, …). Default none. */
  ioOptions?: tf.io.LoadOptions;
}

/** Frees everything a failed load made. */
function cleanUp(created: Layer[]): void {
  for (const l of [...created].reverse()) {
    try {
      l.dispose();
    } catch {
      // Freeing is best effort; the original error is what the caller needs.
    }
  }
}

/**
 * Runs a load step that builds layers through `ctx`: on any failure every layer made so
 * far is freed and the error becomes a SerializationError naming the caller.
 */
export async function buildGuarded<T>(ctx: BuildContext, f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    cleanUp(ctx.created);
    if (e instanceof SerializationError || !(e instanceof Error)) throw e;
    const kind = e instanceof StrataError ? '' : `${e.name}: `;
    throw new SerializationError(`${ctx.owner}: ${kind}${e.message}`);
  } finally {
    ctx.budget.closed = true;
  }
}

/**
 * Compiles a freshly loaded model with a Keras / tfjs-layers training config.
 * @throws SerializationError when the config cannot be read or compiled.
 */
export function compileFromConfig(model: LoadedModel, training: unknown, owner: string): void {
  try {
    model.compile(compileOptionsFrom(training, ioNames(model).outputs, owner));
  } catch (e) {
    if (e instanceof SerializationError) throw e;
    throw new SerializationError(`${owner}: cannot compile with the saved training config (${(e as Error).message}); load with { compile: false } to skip it`);
  }
}

/** The model entry and training config of a `modelTopology` (tfjs-layers or Keras-converter form). */
function readTopology(artifacts: tf.io.ModelArtifacts, owner: string): { entry: JsonObject; training: unknown } {
  const topo = artifacts.modelTopology;
  if (artifacts.format !== undefined && artifacts.format !== 'layers-model') {
    throw new SerializationError(`${owner}: the file is a '${String(artifacts.format)}', not a layers model; only layers models can be loaded`);
  }
  if (topo === undefined || topo === null) throw new SerializationError(`${owner}: the file has no model topology`);
  if (!isJsonObject(topo)) {
    throw new SerializationError(`${owner}: the model topology must be a JSON object (a GraphDef is a graph model, not a layers model); got ${short(topo)}`);
  }
  const entry = isJsonObject(topo.model_config) ? topo.model_config : topo;
  return { entry, training: artifacts.trainingConfig ?? topo.training_config ?? null };
}

/**
 * Builds a model from tfjs model artifacts. Nothing allocated survives a failure.
 * @throws SerializationError for anything wrong in the artifacts.
 */
export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts, opts: LoadModelOptions = {}, owner = 'loadModel'): Promise<LoadedModel> {
  return guardLoad(owner, () => modelFromArtifactsUnguarded(artifacts, opts, owner));
}

async function modelFromArtifactsUnguarded(artifacts: tf.io.ModelArtifacts, opts: LoadModelOptions, owner: string): Promise<LoadedModel> {
  if (!isJsonObject(artifacts)) throw new SerializationError(`${owner}: the handler returned no model artifacts; got ${short(artifacts)}`);
  const { entry, training } = readTopology(artifacts, owner);
  const checked = checkWeights(artifacts.weightSpecs, weightBuffer(artifacts.weightData, owner), owner);
  const registry = (opts.registry ?? defaultLayerRegistry).with(opts.customLayers ?? []);
  const budget = new WeightBudget(checked.model.reduce((a, c) => a + c.size, 0), owner);
  const ctx: BuildContext = { registry, budget, created: [], owner };
  return buildGuarded(ctx, () => {
    const model = buildNetwork(entry, ctx);
    budget.closed = true;
    assignWeights(model.weights, checked, owner);
    if (training !== null && opts.compile !== false) {
      compileFromConfig(model, training, owner);
      if (checked.optimizer.length > 0) restoreOptimizerState(model.optimizer!, model.weights, checked, owner);
    }
    return model;
  });
}

/**
 * Loads a model through a handler or URL; the internal form of {@link loadModel} taking
 * extra URL routers (the Node entry adds `file://`).
 */
export async function loadModelVia(source: ModelLocation, opts: LoadModelOptions, routers: readonly HandlerRouter[]): Promise<LoadedModel> {
  const owner = 'loadModel';
  const handler = loadHandlerFor(source, owner, routers, opts.ioOptions);
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load!();
  } catch (e) {
    if (e instanceof StrataError) throw e;
    throw new SerializationError(`${owner}: cannot read the model: ${(e as Error)?.message ?? String(e)}`);
  }
  return modelFromArtifacts(artifacts, opts, owner);
}

/**
 * Loads a model saved in the tfjs-layers format (by strata, tfjs-layers, or the Keras
 * converter): a Sequential or functional model with its weights; compiled with its saved
 * training config and optimizer state when the file has them. Layer classes are looked up
 * in the registry (`registerLayer`, or `customLayers` for this call). A malformed,
 * truncated or mismatched file throws a `SerializationError` and leaves nothing allocated;
 * nothing in the file is ever executed.
 * @example
 * ```ts
 * const net = await st.loadModel('https://example.com/model/model.json');
 * const net2 = await st.loadModel(st.tf.io.fromMemory(artifacts), { customLayers: [Scale] });
 * ```
 */
export async function loadModel(source: ModelLocation, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  return loadModelVia(source, opts, []);
}
