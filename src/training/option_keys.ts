import { checkOptionKeys, keysOf } from '../engine/option_keys.js';
import type { CompileOptions, EvaluateOptions, FitDatasetOptions, FitOptions } from './options.js';
import type { TrainOnBatchOptions } from './trainer.js';


const LOOP = { epochs: true, initialEpoch: true, callbacks: true, verbose: true } as const;

/** Option keys of `compile`. */
export const COMPILE_KEYS = keysOf<CompileOptions>({ optimizer: true, loss: true, metrics: true, lossWeights: true, weightedMetrics: true });
/** Option keys of `fit`. */
export const FIT_KEYS = keysOf<FitOptions>({
  ...LOOP, batchSize: true, validationSplit: true, validationData: true, shuffle: true, seed: true,
  classWeight: true, sampleWeight: true, validationFreq: true,
});
/** Option keys of `fitDataset`. */
export const FIT_DATASET_KEYS = keysOf<FitDatasetOptions>({ ...LOOP, stepsPerEpoch: true, validationData: true, validationSteps: true });
/** Option keys of `evaluate`. */
export const EVALUATE_KEYS = keysOf<EvaluateOptions>({ batchSize: true, sampleWeight: true, verbose: true });
/** Option keys of `trainOnBatch`. */
export const TRAIN_ON_BATCH_KEYS = keysOf<TrainOnBatchOptions>({ sampleWeight: true, classWeight: true });

/** Raises a ValueError for an unknown key in a training call's options, with the nearest known key. */
export function checkCallOptions(owner: string, opts: unknown, known: readonly string[]): void {
  checkOptionKeys(owner, opts, known);
}
