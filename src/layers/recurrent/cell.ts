import type { tf } from '../../backend/tf.js';
import type { InitializerIdentifier } from '../../engine/initializers.js';
import type { LayerWeight } from '../../engine/weight.js';

/** Creates a weight on the RNN layer that owns a cell (the layer's `addWeight`). */
export type AddWeight = (name: string, shape: number[], initializer: InitializerIdentifier) => LayerWeight;

/** What one recurrent step returns. */
export interface StepResult {
  /** The step's output, `[batch, outputSize]`. */
  output: tf.Tensor;
  /** The new states, one per entry of `stateSizes`. */
  states: tf.Tensor[];
}

/**
 * The math of one recurrent step (SimpleRNN, LSTM, GRU), driven over time by `RNN`. A cell
 * splits its work in two: `projectInputs` applies the input kernel to every time step in
 * one matrix product (outside the loop), and `step` does the recurrent part for one step.
 * Weights live on the owning layer, under Keras' names (`kernel`, `recurrent_kernel`, `bias`).
 */
export abstract class RnnCell {
  /** Size of each state (LSTM: `[units, units]` for h and c). */
  abstract readonly stateSizes: number[];
  /** Size of the output at each step. */
  abstract readonly outputSize: number;

  /** Creates the weights for inputs of `inputDim` features. */
  abstract build(inputDim: number, add: AddWeight): void;

  /**
   * The input part of every step at once: `x · kernel (+ input bias)` for `x` of shape
   * `[n, inputDim]`, giving `[n, projectedSize]`.
   */
  abstract projectInputs(x: tf.Tensor2D): tf.Tensor2D;

  /**
   * One step: `xp` is this step's projected input `[batch, projectedSize]`, `states` the
   * previous states; `recurrentMask` (recurrent dropout, `[batch, units]`) scales the
   * previous output where it feeds the recurrent kernel.
   */
  abstract step(xp: tf.Tensor2D, states: tf.Tensor2D[], recurrentMask: tf.Tensor | null): StepResult;
}
