import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from '../../engine/regularizers.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';

/** Options of {@link prelu}. */
export interface PReLUOptions extends LayerOptions {
  /** Initial negative slope. Default `'zeros'` (starts as ReLU), as in Keras. */
  alphaInitializer?: InitializerIdentifier;
  /** Penalty on alpha. Default none. */
  alphaRegularizer?: RegularizerIdentifier;
  /** Axes (1-based, batch excluded counts from 1) along which alpha is shared, e.g. `[1, 2]` for one alpha per channel of an image. */
  sharedAxes?: number[];
}

/** Parametric ReLU: `x` for x > 0, `alpha · x` otherwise, with `alpha` learned. */
export class PReLU extends Layer {
  readonly className = 'PReLU';
  /** Axes (counted from 1, after the batch) along which one alpha is shared; empty when none. */
  readonly sharedAxes: number[];
  private readonly opts: PReLUOptions;
  private alpha?: LayerWeight;
  constructor(opts: PReLUOptions = {}) {
    super(opts);
    this.opts = opts;
    const sa = opts.sharedAxes ?? [];
    if (!Array.isArray(sa) || sa.some((a) => !Number.isInteger(a) || a < 1)) {
      throw new ValueError(`${this.label}: 'sharedAxes' must be a list of integers >= 1; got ${JSON.stringify(opts.sharedAxes)}`);
    }
    this.sharedAxes = [...sa];
    getInitializer(opts.alphaInitializer ?? 'zeros', this.label, 'alphaInitializer');
    if (opts.alphaRegularizer) getRegularizer(opts.alphaRegularizer, this.label, 'alphaRegularizer');
  }
  protected override build(inputShape: Shape): void {
    const shape = inputShape.slice(1).map((d, i) => (this.sharedAxes.includes(i + 1) ? 1 : d));
    if (shape.some((d) => d === null)) {
      throw new ValueError(`${this.label}: non-shared input dimensions must be known; got ${JSON.stringify(inputShape)}`);
    }
    for (const a of this.sharedAxes) {
      if (a >= inputShape.length) {
        throw new ValueError(`${this.label}: 'sharedAxes' entry ${a} is out of range for input rank ${inputShape.length}`);
      }
    }
    this.alpha = this.addWeight('alpha', shape as number[], this.opts.alphaInitializer ?? 'zeros', {
      regularizer: this.opts.alphaRegularizer ? getRegularizer(this.opts.alphaRegularizer) : undefined,
    });
  }
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    // relu(x) - alpha * relu(-x): differentiable in alpha everywhere, and equal to prelu.
    return tf.sub(tf.relu(x), tf.mul(this.alpha!.read(), tf.relu(tf.neg(x))));
  }
  override getConfig(): PReLUOptions {
    const o = this.opts;
    return {
      ...super.getConfig(),
      alphaInitializer: serializeInitializer(getInitializer(o.alphaInitializer ?? 'zeros')),
      ...(o.alphaRegularizer ? { alphaRegularizer: serializeRegularizer(getRegularizer(o.alphaRegularizer)) } : {}),
      ...(this.sharedAxes.length ? { sharedAxes: [...this.sharedAxes] } : {}),
    };
  }
}

/**
 * Parametric ReLU with a learned negative slope.
 * @example
 * ```ts
 * st.layers.prelu({ sharedAxes: [1, 2] }) // one slope per channel of an image
 * ```
 */
export function prelu(opts: PReLUOptions = {}): PReLU {
  return new PReLU(opts);
}
