import { tf } from '../backend/tf.js';
import { Optimizer, type OptimizerOptions, type StepContext } from './optimizer.js';
import { numberOption } from './validate.js';

/** Options of Adagrad. */
export interface AdagradOptions extends OptimizerOptions {
  /** Step size, or a schedule of it. Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Starting value of each accumulator, >= 0. Default 0.1. */
  initialAccumulatorValue?: number;
  /** Added under the square root for numerical stability, >= 0. Default 1e-7. */
  epsilon?: number;
}

/**
 * Adagrad with Keras formulas: `accumulator += g²`,
 * `w -= lr·g / sqrt(accumulator + epsilon)`. One slot per variable: `accumulator`,
 * starting at `initialAccumulatorValue`.
 */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly slotNames: readonly string[] = ['accumulator'];
  /** Starting value of each accumulator. */
  readonly initialAccumulatorValue: number;
  /** Added under the square root for numerical stability. */
  readonly epsilon: number;

  constructor(opts?: AdagradOptions) {
    super('Adagrad', opts, 0.001, ['initialAccumulatorValue', 'epsilon']);
    this.initialAccumulatorValue = numberOption(this.label, 'initialAccumulatorValue', opts?.initialAccumulatorValue, 0.1, '>= 0');
    this.epsilon = numberOption(this.label, 'epsilon', opts?.epsilon, 1e-7, '>= 0');
  }

  protected override updateVariable(v: tf.Variable, g: tf.Tensor, ctx: StepContext): void {
    const acc = this.slot(v, 'accumulator', this.initialAccumulatorValue);
    const accNext = tf.add(acc, tf.square(g));
    acc.assign(accNext);
    const update = tf.mul(tf.mul(g, ctx.scalar(ctx.lr)), tf.rsqrt(tf.add(accNext, ctx.scalar(this.epsilon))));
    v.assign(tf.sub(this.decayed(v, ctx), update));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

/**
 * Adagrad, Keras defaults (`learningRate` 0.001, `initialAccumulatorValue` 0.1, `epsilon` 1e-7).
 * @example
 * ```ts
 * const opt = st.optimizers.adagrad({ learningRate: 0.05 });
 * ```
 */
export function adagrad(opts?: AdagradOptions): Adagrad {
  return new Adagrad(opts);
}
