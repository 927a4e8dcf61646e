import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';

/** Options of {@link permute}. */
export interface PermuteOptions extends LayerOptions {
  /** New order of the non-batch axes, numbered from 1 (Keras' convention), e.g. `[2, 1]`. Required. */
  dims: number[];
}

/** Reorders the non-batch axes of its input (Keras `Permute`). */
export class Permute extends Layer {
  readonly className = 'Permute';
  /** New axis order, 1-based. */
  readonly dims: number[];

  constructor(opts: PermuteOptions) {
    super(opts);
    const d = opts?.dims;
    const ok = Array.isArray(d) && d.length > 0 && [...d].sort((a, b) => a - b).every((v, i) => v === i + 1);
    if (!ok) {
      throw new ValueError(`${this.label}: 'dims' must be a permutation of 1..n (axes numbered from 1, batch excluded); got ${JSON.stringify(d)}`);
    }
    this.dims = [...d];
    this.inputSpec = { ndim: this.dims.length + 1 };
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.transpose(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== this.dims.length + 1) {
      throw new ShapeError(`${this.label}: expected input of rank ${this.dims.length + 1}; got shape ${fmtShape(inputShape)}`);
    }
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  override getConfig(): PermuteOptions {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}

/**
 * Permutes the non-batch axes.
 * @example
 * ```ts
 * st.layers.permute({ dims: [2, 1] }) // [n, 10, 64] -> [n, 64, 10]
 * ```
 */
export function permute(opts: PermuteOptions): Permute {
  return new Permute(opts);
}
