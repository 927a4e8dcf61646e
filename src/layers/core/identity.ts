import type { tf } from '../../backend/tf.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';

/** Options of {@link identity}. */
export type IdentityOptions = LayerOptions;

/** Passes its input through unchanged (Keras `Identity`): a placeholder, e.g. for an optional block. */
export class Identity extends Layer {
  readonly className = 'Identity';
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor | tf.Tensor[] {
    return inputs;
  }
}

/**
 * A layer that returns its input.
 * @example
 * ```ts
 * const head = useDropout ? st.layers.dropout({ rate: 0.2 }) : st.layers.identity();
 * ```
 */
export function identity(opts: IdentityOptions = {}): Identity {
  return new Identity(opts);
}
