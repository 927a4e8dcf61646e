/**
 * Losses: per-sample values of `(yTrue, yPred)`, by factory (`st.losses.huber({ delta: 2 })`)
 * or by name (`st.losses.getLoss('categorical_crossentropy')`).
 * @module
 */
export type { Loss, TargetKind } from './loss.js';
export { BaseLoss } from './base.js';
export type { Dims } from './shapes.js';
export {
  meanSquaredError, MeanSquaredError, meanAbsoluteError, MeanAbsoluteError,
  huber, Huber, type HuberOptions, hinge, Hinge,
} from './regression.js';
export {
  binaryCrossentropy, BinaryCrossentropy, type BinaryCrossentropyOptions,
  categoricalCrossentropy, CategoricalCrossentropy, type CategoricalCrossentropyOptions,
  sparseCategoricalCrossentropy, SparseCategoricalCrossentropy, type SparseCategoricalCrossentropyOptions,
  EPSILON,
} from './crossentropy.js';
export { getLoss, lossFromConfig, knownLossNames, type LossIdentifier } from './registry.js';
export {
  meanAbsolutePercentageError, MeanAbsolutePercentageError, meanSquaredLogarithmicError, MeanSquaredLogarithmicError,
  logCosh, LogCosh, poisson, Poisson,
} from './regression_more.js';
export { squaredHinge, SquaredHinge, categoricalHinge, CategoricalHinge } from './hinge.js';
export { klDivergence, KLDivergence, cosineSimilarity, CosineSimilarity, type CosineSimilarityOptions } from './similarity.js';
export {
  binaryFocalCrossentropy, BinaryFocalCrossentropy, type BinaryFocalCrossentropyOptions,
  categoricalFocalCrossentropy, CategoricalFocalCrossentropy, type CategoricalFocalCrossentropyOptions,
} from './focal.js';
