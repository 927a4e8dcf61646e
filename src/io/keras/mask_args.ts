/**
 * Keras 3 saves the padding mask of a functional graph explicitly: `Embedding(mask_zero=True)`
 * becomes an operation `not_equal(tokens, 0)` beside the embedding, and every layer the mask
 * reaches gets it as the keyword argument `mask`. strata carries masks implicitly (each layer's
 * `computeMask`), so such a file is read without the operation, after checking, for each layer
 * given the mask, that the mask strata hands that layer is the same one.
 * @module
 */
import { tf } from '../../backend/tf.js';
import type { Layer } from '../../engine/layer.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { Embedding } from '../../layers/core/embedding.js';
import { InputLayer } from '../../layers/core/input.js';

/** The Keras class of the operation that makes Embedding's mask. */
export const MASK_OP = 'NotEqual';

/** Whether an operation entry is `not_equal(tensor, 0)`: Embedding(mask_zero=True)'s mask. */
export function isZeroMaskOp(className: unknown, constant: { value: number; first: boolean } | undefined): boolean {
  return className === MASK_OP && constant !== undefined && constant.value === 0;
}

/** Whether `layer` hands its output `index` the mask of its single input unchanged (checked on a probe mask). */
function passesMask(layer: Layer, input: SymbolicTensor, index: number): boolean {
  const time = input.shape[1] ?? 3;
  if (input.shape.length < 2 || time < 1) return false;
  return tf.tidy(() => {
    const x = tf.zeros([1, ...input.shape.slice(1).map((d) => d ?? 3)], input.dtype);
    const pattern = Array.from({ length: time }, (_, i) => i % 2 === 0);
    const m = tf.tensor2d([pattern], [1, time], 'bool');
    let out;
    try {
      out = layer.computeMask(x, m);
    } catch {
      return false;
    }
    const got = Array.isArray(out) ? out[index] : index === 0 ? out : null;
    if (!got || got.size !== time) return false;
    const v = got.dataSync();
    return pattern.every((p, i) => Boolean(v[i]) === p);
  });
}

/**
 * The tensor `T` such that the padding mask strata carries on `t` is `T != 0` (from an
 * `Embedding` with `maskZero` upstream, through layers that pass the mask on unchanged), or
 * undefined when the graph does not show one.
 */
export function zeroMaskSource(t: SymbolicTensor): SymbolicTensor | undefined {
  let cur = t;
  for (let hops = 0; hops < 10_000; hops++) {
    const node = cur.node;
    const layer = node.layer as Layer;
    if (layer instanceof InputLayer || node.inputs.length !== 1) return undefined;
    if (layer instanceof Embedding) return layer.maskZero && cur.outputIndex === 0 ? node.inputs[0] : undefined;
    if (!passesMask(layer, node.inputs[0]!, cur.outputIndex)) return undefined;
    cur = node.inputs[0]!;
  }
  return undefined;
}
