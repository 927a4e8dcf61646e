import { fusedMomentum } from '../backend/kernels/fused_update.js';
import { tf } from '../backend/tf.js';
import { Optimizer, type OptimizerOptions, type StepContext } from './optimizer.js';
import { booleanOption, numberOption } from './validate.js';

/** Options of SGD with momentum. */
export interface MomentumOptions extends OptimizerOptions {
  /** Step size, or a schedule of it. Default 0.01. */
  learningRate?: OptimizerOptions['learningRate'];
  /** How much of the previous velocity is kept each step, in [0, 1]. Default 0.9. */
  momentum?: number;
  /** Use Nesterov momentum. Default false. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with momentum, with Keras `SGD` semantics:
 * `velocity = momentum * velocity - lr * g`, then `w += velocity`, or with Nesterov
 * `w += momentum * velocity - lr * g`. One slot per variable: `momentum` (the velocity).
 * Saved as Keras `SGD`, whose config carries `momentum` and `nesterov`.
 */
export class Momentum extends Optimizer {
  readonly className = 'SGD';
  readonly slotNames: readonly string[] = ['momentum'];
  /** Share of the previous velocity kept each step. */
  readonly momentum: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;

  constructor(opts?: MomentumOptions) {
    super('Momentum', opts, 0.01, ['momentum', 'nesterov']);
    this.momentum = numberOption(this.label, 'momentum', opts?.momentum, 0.9, '[0, 1]');
    this.nesterov = booleanOption(this.label, 'nesterov', opts?.nesterov, false);
  }

  protected override updateVariable(v: tf.Variable, g: tf.Tensor, ctx: StepContext): void {
    const velocity = this.slot(v, 'momentum');
    const decay = this.weightDecay > 0 ? 1 - ctx.lr * this.weightDecay : 1;
    // On wasm: one pass over the variable, its slot and the gradient, in place.
    if (fusedMomentum(v, velocity, g, { lr: ctx.lr, momentum: this.momentum, nesterov: this.nesterov, decay })) return;
    const mu = ctx.scalar(this.momentum);
    const step = tf.mul(g, ctx.scalar(ctx.lr));
    const next = tf.sub(tf.mul(velocity, mu), step);
    velocity.assign(next);
    const delta = this.nesterov ? tf.sub(tf.mul(next, mu), step) : next;
    v.assign(tf.add(this.decayed(v, ctx), delta));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

/**
 * SGD with (optionally Nesterov) momentum, Keras semantics.
 * @example
 * ```ts
 * const opt = st.optimizers.momentum({ learningRate: 0.05, momentum: 0.9, nesterov: true });
 * ```
 */
export function momentum(opts?: MomentumOptions): Momentum {
  return new Momentum(opts);
}
