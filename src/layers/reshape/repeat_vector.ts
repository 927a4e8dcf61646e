import { tf } from '../../backend/tf.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkPositiveInt } from '../conv/conv_utils.js';

/** Options of {@link repeatVector}. */
export interface RepeatVectorOptions extends LayerOptions {
  /** How many times the vector is repeated. Required. */
  n: number;
}

/** `[b, c]` → `[b, n, c]`: the same vector at every step (Keras `RepeatVector`), e.g. to feed a decoder RNN. */
export class RepeatVector extends Layer {
  readonly className = 'RepeatVector';
  /** Repeat count. */
  readonly n: number;
  constructor(opts: RepeatVectorOptions) {
    super(opts);
    this.n = checkPositiveInt(opts?.n, this.label, 'n');
    this.inputSpec = { ndim: 2 };
  }
  override computeOutputShape(s: Shape): Shape {
    return [s[0] ?? null, this.n, s[1] ?? null];
  }
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tile(tf.expandDims(x, 1), [1, this.n, 1]);
  }
  override getConfig(): RepeatVectorOptions {
    return { ...super.getConfig(), n: this.n };
  }
}

/**
 * Repeats a vector over a new time axis.
 * @example
 * ```ts
 * st.layers.repeatVector({ n: 10 })
 * ```
 */
export function repeatVector(opts: RepeatVectorOptions): RepeatVector {
  return new RepeatVector(opts);
}
