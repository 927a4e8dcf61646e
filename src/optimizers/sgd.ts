import { tf } from '../backend/tf.js';
import { Optimizer, type OptimizerOptions, type StepContext } from './optimizer.js';

/** Options of plain stochastic gradient descent. */
export interface SGDOptions extends OptimizerOptions {
  /** Step size, or a schedule of it. Default 0.01. */
  learningRate?: OptimizerOptions['learningRate'];
}

/**
 * Plain stochastic gradient descent: `w -= learningRate * g`. Keeps no state per
 * variable. Saved as Keras `SGD` with `momentum: 0`.
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly slotNames: readonly string[] = [];

  constructor(opts?: SGDOptions) {
    super('SGD', opts, 0.01, []);
  }

  protected override updateVariable(v: tf.Variable, g: tf.Tensor, ctx: StepContext): void {
    v.assign(tf.sub(this.decayed(v, ctx), tf.mul(g, ctx.scalar(ctx.lr))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: 0, nesterov: false };
  }
}

/**
 * Plain stochastic gradient descent, `w -= learningRate * g`.
 * @example
 * ```ts
 * net.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
 * ```
 */
export function sgd(opts?: SGDOptions): SGD {
  return new SGD(opts);
}
