/**
 * The slice of the public `st` namespace that the engine, model and gradient tests use,
 * imported from the modules under test rather than the package entry, so these tests
 * do not depend on the training, loss and metric modules. `sequential` and `model` make
 * the plain networks (no training API), which is what these tests exercise.
 */
import { FunctionalNetwork, type FunctionalOptions } from '../../src/models/functional.js';
import { SequentialNetwork, type SequentialItem, type SequentialOptions } from '../../src/models/sequential.js';

export { tf } from '../../src/backend/tf.js';
export { setBackend } from '../../src/backend/backends.js';
export { StrataError, ValueError, ShapeError, StateError } from '../../src/engine/errors.js';
export { Layer } from '../../src/engine/layer.js';
export { SymbolicTensor } from '../../src/engine/symbolic.js';
export type { ActivationName } from '../../src/engine/activations.js';
export * as layers from './st_layers.js';
export * as initializers from '../../src/engine/initializers_api.js';
export * as regularizers from '../../src/engine/regularizers_api.js';
export * as testing from '../../src/testing/index.js';
export { Network } from '../../src/models/network.js';
export { SequentialNetwork, FunctionalNetwork };

/** A Sequential network of `items`. */
export function sequential(items: SequentialItem[] = [], opts: SequentialOptions = {}): SequentialNetwork {
  return new SequentialNetwork(items, opts);
}

/** A functional network from symbolic inputs to outputs. */
export function model(opts: FunctionalOptions): FunctionalNetwork {
  return new FunctionalNetwork(opts);
}
