/**
 * The slice of the public `st` namespace the io tests use, imported from the modules under
 * test (the package entry does not wire `io` in yet).
 */
export { tf } from '../../src/backend/tf.js';
export { setBackend } from '../../src/backend/backends.js';
export { StrataError, ValueError, ShapeError, StateError, SerializationError } from '../../src/engine/errors.js';
export { Layer, type LayerOptions, type CallContext } from '../../src/engine/layer.js';
export type { Shape } from '../../src/engine/shape.js';
export * as initializers from '../../src/engine/initializers_api.js';
export * as regularizers from '../../src/engine/regularizers_api.js';
export * as optimizers from '../../src/optimizers/index.js';
export { sequential, model, Sequential, Model } from '../../src/training/models.js';
export * as layers from './st_layers.js';
export * as io from '../../src/io/index.js';
export { saveModel, loadModel, registerLayer, LayerRegistry } from '../../src/io/index.js';
export * as losses from '../../src/losses/index.js';
export { SymbolicTensor } from '../../src/engine/symbolic.js';
export { LayerWeight } from '../../src/engine/weight.js';
