/**
 * An operation with a gradient of its own, run through the engine's `runKernelFunc` (which
 * `tf.customGrad` uses too). Unlike `tf.customGrad`, whose gradient function returns every
 * input's gradient, the gradient here is one closure per input, and the engine calls only
 * the closures it needs: an input no weight depends on (a first layer's input) costs nothing.
 * @module
 */
import { tf } from './tf.js';

interface KernelFuncRunner {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
    inputs: tf.NamedTensorMap;
  }): tf.Tensor;
}

/**
 * `forward(save)` recorded on the tape with `inputs` as its differentiable inputs;
 * `backward(dy, saved)` returns, by input name, closures computing each input's gradient
 * (`saved` is what `forward` passed to `save`). Work done in `backward` itself, outside the
 * closures, is shared by them.
 */
export function withOwnGradient(
  inputs: tf.NamedTensorMap,
  forward: (save: tf.GradSaveFunc) => tf.Tensor,
  backward: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>,
): tf.Tensor {
  return (tf.engine() as unknown as KernelFuncRunner).runKernelFunc({
    inputs,
    forwardFunc: (_backend, save) => forward(save),
    backwardsFunc: backward,
  });
}
