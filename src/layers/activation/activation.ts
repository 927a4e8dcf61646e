import type { tf } from '../../backend/tf.js';
import { canonicalActivation, getActivation, type ActivationName } from '../../engine/activations.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';

/** Options of {@link activation}. */
export interface ActivationOptions extends LayerOptions {
  /** Name of the activation function, e.g. `'relu'`, `'gelu'`. Required. */
  activation: ActivationName;
}

/** Applies a named activation function elementwise (softmax: over the last axis). */
export class Activation extends Layer {
  readonly className = 'Activation';
  override supportsMasking = true;
  /** Canonical name of the activation function. */
  readonly activation: string;
  private readonly fn: (x: tf.Tensor) => tf.Tensor;
  constructor(opts: ActivationOptions) {
    super(opts);
    this.fn = getActivation(opts?.activation, this.label);
    this.activation = canonicalActivation(opts.activation)!;
  }
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    return this.fn(Array.isArray(inputs) ? inputs[0]! : inputs);
  }
  override getConfig(): ActivationOptions {
    return { ...super.getConfig(), activation: this.activation as ActivationName };
  }
}

/**
 * A layer that applies an activation function.
 * @example
 * ```ts
 * st.layers.activation({ activation: 'tanh' })
 * ```
 */
export function activation(opts: ActivationOptions): Activation {
  return new Activation(opts);
}
