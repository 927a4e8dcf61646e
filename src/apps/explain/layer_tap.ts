import type { tf } from '../../backend/tf.js';
import type { CallContext, Layer } from '../../engine/layer.js';

type CallFn = (inputs: tf.Tensor | tf.Tensor[], ctx: CallContext) => tf.Tensor | tf.Tensor[];

/**
 * Runs `fn` while `layer`'s real-tensor output passes through `tap` (which may observe or
 * replace it), then restores the layer. This is how an explanation reads or perturbs an
 * inner activation without rebuilding the model: the tap shadows the instance's `call`.
 */
export function withTap<T>(layer: Layer, tap: (out: tf.Tensor) => tf.Tensor, fn: () => T): T {
  const holder = layer as unknown as { call: CallFn };
  const own = Object.prototype.hasOwnProperty.call(holder, 'call');
  const original = holder.call;
  holder.call = (inputs, ctx) => {
    const out = original.call(layer, inputs, ctx);
    return Array.isArray(out) ? out : tap(out);
  };
  try {
    return fn();
  } finally {
    if (own) holder.call = original;
    else delete (holder as { call?: CallFn }).call;
  }
}
