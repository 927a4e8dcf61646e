/**
 * Merge layers: combine a list of tensors into one.
 * @module
 */
export { Merge } from './merge.js';
export {
  ElementwiseMerge, Add, Subtract, Multiply, Average, Maximum, Minimum,
  add, subtract, multiply, average, maximum, minimum,
} from './elementwise.js';
export { Concatenate, concatenate, type ConcatenateOptions } from './concatenate.js';
