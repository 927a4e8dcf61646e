/**
 * Saving and loading models: the tfjs-layers format (`model.json` + weight shards) through
 * tfjs' URL handlers or any `IOHandler`, the layer registry for custom layers, and the
 * Keras config translation. The Node-only `file://` handler is in `io/node`.
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
