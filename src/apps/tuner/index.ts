/**
 * Hyperparameter search: search spaces, samplers (random, TPE), pruners (median, successive
 * halving, Hyperband), and the study that records, saves and ranks the trials.
 * @module
 */
export { choice, int, uniform, logUniform, quantized, conditional, type Param, type ParamValue, type Params, type SearchSpace,
  type ChoiceParam, type IntParam, type FloatParam, type ConditionalParam, type IntOptions } from './space.js';
export { RandomSampler, type Sampler, type SampleContext } from './sampler.js';
export { TpeSampler, type TpeOptions } from './tpe_sampler.js';
export { MedianPruner, SuccessiveHalvingPruner, HyperbandPruner, NopPruner, type Pruner, type PruneContext,
  type MedianPrunerOptions, type SuccessiveHalvingOptions, type HyperbandOptions } from './pruner.js';
export { Study, type StudyJSON, type TableOptions } from './study.js';
export { Trial, runTrial, type TrialInfo, type TrialOutcome, type TrialReporter, type RunFn } from './trial_run.js';
export type { TrialRecord, TrialState, Direction } from './trial.js';
export { InlineExecutor, type TrialExecutor } from './executor.js';
export { MemoryStorage, type StudyStorage } from './storage.js';
export { search, inferDirection, type SearchOptions, type SamplerName, type PrunerName } from './search.js';
export type { Rng } from './rng.js';
