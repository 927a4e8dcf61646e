import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import type { Layer } from '../../engine/layer.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { input } from '../../layers/core/input.js';
import type { Network } from '../../models/network.js';
import { Model } from '../../io/models.js';
import { FunctionalNetwork } from '../../models/functional.js';

/** Options of {@link cacheFeatures}. */
export interface CacheFeaturesOptions {
  /** Samples per forward pass. Default 32. */
  batchSize?: number;
}

/**
 * The frozen base's output for every sample, computed once in inference mode (batch by
 * batch, no gradient tape), to train a head on: an epoch of the head then costs a pass
 * over small feature vectors instead of the whole base. The caller owns (and disposes)
 * the returned tensor.
 * @throws ValueError when the base has several inputs or outputs.
 * @example
 * ```ts
 * const feats = st.transfer.cacheFeatures(base, x);   // [n, 1280] for MobileNetV2 with pooling 'avg'
 * ```
 */
export function cacheFeatures(base: Network, x: tf.Tensor, opts: CacheFeaturesOptions = {}): tf.Tensor {
  if (base.outputShapes.length !== 1 || base.inputShapes.length !== 1) {
    throw new ValueError(`cacheFeatures: ${base.label} must have one input and one output; got ${base.inputShapes.length} and ${base.outputShapes.length}`);
  }
  return base.predict(x, { batchSize: opts.batchSize ?? 32 }) as tf.Tensor;
}

/**
 * The part of `model` that follows `base`'s output, as a model of its own on a new input
 * of the base's output shape. It shares its layers (and weights) with `model`.
 * @throws ValueError when `model` is not a functional model built on `base`'s output.
 */
export function headOf(model: Network, base: Network): Model {
  const owner = 'headOf';
  if (!(model instanceof FunctionalNetwork) || !(base instanceof FunctionalNetwork) || base.outputs.length !== 1) {
    throw new ValueError(`${owner}: expected a functional model built on a functional base with one output (as addHead makes it)`);
  }
  const from = base.outputs[0]!;
  const inp = input({ batchShape: [...from.shape], name: 'head_input' });
  const mapped = new Map<SymbolicTensor, SymbolicTensor>([[from, inp]]);
  const visit = (t: SymbolicTensor): SymbolicTensor => {
    const done = mapped.get(t);
    if (done) return done;
    const node = t.node;
    if (node.inputs.length === 0) throw new ValueError(`${owner}: ${model.label}'s output depends on its input other than through ${base.label}'s output`);
    const args = node.inputs.map(visit);
    const out = (node.layer as Layer).apply(node.singleInput ? args[0]! : args);
    const outs = Array.isArray(out) ? out : [out];
    node.outputs.forEach((o, i) => mapped.set(o, outs[i] as SymbolicTensor));
    return mapped.get(t)!;
  };
  const outputs = model.outputs.map(visit);
  return new Model({ inputs: inp, outputs: outputs.length === 1 ? outputs[0]! : outputs, name: `${model.name}_head` });
}
