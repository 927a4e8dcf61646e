/**
 * Saving and loading models: the tfjs-layers format (`model.json` + weight shards) through
 * tfjs' URL handlers or any `IOHandler`; Keras 3 `.keras` and legacy `.h5` files from and
 * to bytes; the layer registry for custom layers; the Keras config translation. The
 * Node-only `file://` handler is in `io/node`.
 * @module
 */
export { saveModel, modelArtifacts, type SaveOptions, type SavableModel } from './save.js';
export { loadModel, modelFromArtifacts, type LoadModelOptions } from './load.js';
export type { LoadedModel } from './topology_load.js';
export type { ModelLocation } from './handlers.js';
export {
  LayerRegistry, defaultLayerRegistry, registerLayer, BUILTIN_LAYERS, type LayerClass,
} from './registry.js';
export {
  configToKeras, configFromKeras, toSnakeCase, toCamelCase, type JsonValue, type JsonObject, type KerasDialect,
} from './keras_config.js';
export { loadKerasModel, saveKerasModel, type LoadKerasOptions, type ZipLimits } from './keras/index.js';
export { loadKerasWeights, type LoadKerasWeightsOptions } from './keras/weights_h5.js';
