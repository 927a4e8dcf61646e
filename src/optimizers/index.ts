/**
 * Optimizers (`st.optimizers.adam(...)`, …), learning-rate schedules (also under
 * `st.optimizers.schedules`), and the lookups used by `compile` and model loading.
 * @module
 */
export {
  Optimizer,
  type OptimizerOptions,
  type LearningRateSchedule,
  type GradientPair,
  type OptimizerStateEntry,
  type StepContext,
} from './optimizer.js';
export { SGD, sgd, type SGDOptions } from './sgd.js';
export { Momentum, momentum, type MomentumOptions } from './momentum.js';
export { Adam, adam, type AdamOptions } from './adam.js';
export { AdamW, adamw, type AdamWOptions } from './adamw.js';
export { RMSprop, rmsprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, adagrad, type AdagradOptions } from './adagrad.js';
export {
  ExponentialDecay,
  PiecewiseConstantDecay,
  CosineDecay,
  exponentialDecay,
  piecewiseConstantDecay,
  cosineDecay,
  type ExponentialDecayOptions,
  type PiecewiseConstantDecayOptions,
  type CosineDecayOptions,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecayRestarts,
  polynomialDecay,
  inverseTimeDecay,
  cosineDecayRestarts,
  type PolynomialDecayOptions,
  type InverseTimeDecayOptions,
  type CosineDecayRestartsOptions,
} from './schedules.js';
/** The schedules again as a namespace, mirroring Keras' `keras.optimizers.schedules`. */
export * as schedules from './schedules.js';
export { getOptimizer, optimizerFromConfig, scheduleFromConfig, type OptimizerName } from './registry.js';
