/**
 * FLOP counts of the benchmarked networks, per sample. Only the multiply-adds of dense,
 * convolution and LSTM layers count (activations, gate nonlinearities, pooling, the
 * embedding lookup, the loss and the optimizer update are a few percent and are left out).
 * A training step is counted as three times the forward multiply-adds (forward, gradient
 * of the input, gradient of the weights), two FLOPs each; so GFLOP/s figures are
 * comparable across sides, not exact hardware counts.
 *
 * An LSTM of `u` units over `T` steps of `d` features does, per sample and step, the four
 * gates' input product (`d × 4u` multiply-adds) and recurrent product (`u × 4u`):
 * `4u(d + u)T` multiply-adds forward, `2·4u(d + u)T` FLOPs. The benchmarked one
 * (d 64, u 128, T 100) does 19.7 MFLOP forward and 59 MFLOP per training sample.
 */
import { traceShapes, type ModelSpec } from './models.js';

/** Multiply-adds of one forward pass of one sample. */
export function forwardMacs(model: ModelSpec): number {
  let macs = 0;
  for (const { spec, input, output } of traceShapes(model)) {
    if (spec.kind === 'dense') macs += input[0]! * spec.units;
    if (spec.kind === 'conv2d') {
      const [oh, ow, oc] = output as [number, number, number];
      macs += oh * ow * oc * spec.kernelSize * spec.kernelSize * input[2]!;
    }
    if (spec.kind === 'lstm') {
      const [steps, features] = input as [number, number];
      macs += 4 * spec.units * (features + spec.units) * steps;
    }
  }
  return macs;
}

/** FLOPs of one sample's training step (forward and backward). */
export function trainFlops(model: ModelSpec): number {
  return 3 * 2 * forwardMacs(model);
}

/** FLOPs of one sample's inference. */
export function predictFlops(model: ModelSpec): number {
  return 2 * forwardMacs(model);
}
