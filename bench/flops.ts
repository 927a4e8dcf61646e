/**
 * FLOP counts of the benchmarked networks, per sample. Only the multiply-adds of dense
 * and convolution layers count (activations, pooling, the loss and the optimizer update
 * are a few percent and are left out). A training step is counted as three times the
 * forward multiply-adds (forward, gradient of the input, gradient of the weights), two
 * FLOPs each; so GFLOP/s figures are comparable across sides, not exact hardware counts.
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
