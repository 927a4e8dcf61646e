/**
 * Dataset helpers that run everywhere: the IDX parser and tensor utilities for one-hot
 * labels, scaling, shuffling, splitting and subsetting. Node adds file readers and MNIST
 * (`./node.ts`).
 * @module
 */
export { parseIdx, type IdxArray, type IdxData, type IdxDtype } from './idx.js';
export { oneHot } from './one_hot.js';
export { scale, type ScaleOptions } from './scale.js';
export { shuffle, type ShuffleOptions, type Pair } from './shuffle.js';
export { trainTestSplit, type TrainTestSplitOptions, type TrainTestSplit } from './split.js';
export { filterClasses, type FilterClassesOptions } from './filter_classes.js';
export { take } from './take.js';
export { permutation, uniformSource } from './rng.js';
