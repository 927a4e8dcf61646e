import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';

/** Options of {@link reshape}. */
export interface ReshapeOptions extends LayerOptions {
  /**
   * Shape of each output sample, batch excluded: positive integers, with at most one `-1`
   * standing for whatever size makes the number of values match. Required.
   */
  targetShape: number[];
}

/** Reshapes each sample to `targetShape`, keeping the batch axis and the order of values. */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  /** Shape of each output sample; may hold one `-1`. */
  readonly targetShape: number[];

  constructor(opts: ReshapeOptions) {
    super(opts);
    const t = opts?.targetShape;
    if (!Array.isArray(t) || t.some((d) => !(Number.isInteger(d) && (d > 0 || d === -1)))) {
      throw new ValueError(`${this.label}: 'targetShape' must be a list of positive integers (one may be -1); got ${JSON.stringify(t)}`);
    }
    if (t.filter((d) => d === -1).length > 1) {
      throw new ValueError(`${this.label}: 'targetShape' may hold at most one -1; got ${JSON.stringify(t)}`);
    }
    this.targetShape = [...t];
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const batch = inputShape[0] ?? null;
    const rest = inputShape.slice(1);
    const free = this.targetShape.indexOf(-1);
    if (rest.some((d) => d === null)) {
      return [batch, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    }
    const total = (rest as number[]).reduce((a, b) => a * b, 1);
    const fixed = this.targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    if (free >= 0 ? total % fixed !== 0 : total !== fixed) {
      const want = free >= 0 ? `a multiple of ${fixed} values` : `${fixed} values`;
      throw new ShapeError(
        `${this.label}: cannot reshape input of shape ${fmtShape(inputShape)} (${total} values per sample) to targetShape ${fmtShape(this.targetShape)} (${want})`,
      );
    }
    return [batch, ...this.targetShape.map((d) => (d === -1 ? total / fixed : d))];
  }

  protected override build(inputShape: Shape): void {
    this.computeOutputShape(inputShape);
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const out = this.computeOutputShape([null, ...x.shape.slice(1)]);
    return tf.reshape(x, [x.shape[0]!, ...(out.slice(1) as number[])]);
  }

  override getConfig(): ReshapeOptions {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

/**
 * Reshapes each sample (the batch axis is kept).
 * @example
 * ```ts
 * st.layers.reshape({ targetShape: [28, 28, 1] }) // [n, 784] -> [n, 28, 28, 1]
 * ```
 */
export function reshape(opts: ReshapeOptions): Reshape {
  return new Reshape(opts);
}
