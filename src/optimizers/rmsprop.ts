import { fusedRmsprop } from '../backend/kernels/fused_update.js';
import { tf } from '../backend/tf.js';
import { Optimizer, type OptimizerOptions, type StepContext } from './optimizer.js';
import { booleanOption, numberOption } from './validate.js';

/** Options of RMSprop. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Step size, or a schedule of it. Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay rate of the running mean of squared gradients, in [0, 1). Default 0.9. */
  rho?: number;
  /** Momentum on the increments, in [0, 1); 0 keeps no momentum slot. Default 0. */
  momentum?: number;
  /** Added under the square root for numerical stability, >= 0. Default 1e-7. */
  epsilon?: number;
  /** Divide by the estimated variance (mean of g² minus the squared mean of g). Default false. */
  centered?: boolean;
}

/**
 * RMSprop with Keras formulas: `velocity = rho·velocity + (1 - rho)·g²`,
 * `increment = lr·g / sqrt(velocity + epsilon)` (centered: `sqrt(velocity - avg² + epsilon)`
 * with `avg = rho·avg + (1 - rho)·g`), then `w -= increment`, or with momentum
 * `mom = momentum·mom + increment; w -= mom`. Slots: `velocity`, plus `momentum` when
 * `momentum > 0` and `averageGradient` when centered.
 */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly slotNames: readonly string[];
  /** Decay rate of the running mean of squared gradients. */
  readonly rho: number;
  /** Momentum on the increments (0: none). */
  readonly momentum: number;
  /** Added under the square root for numerical stability. */
  readonly epsilon: number;
  /** Whether it divides by the estimated variance instead of the mean square. */
  readonly centered: boolean;

  constructor(opts?: RMSpropOptions) {
    super('RMSprop', opts, 0.001, ['rho', 'momentum', 'epsilon', 'centered']);
    this.rho = numberOption(this.label, 'rho', opts?.rho, 0.9, '[0, 1)');
    this.momentum = numberOption(this.label, 'momentum', opts?.momentum, 0, '[0, 1)');
    this.epsilon = numberOption(this.label, 'epsilon', opts?.epsilon, 1e-7, '>= 0');
    this.centered = booleanOption(this.label, 'centered', opts?.centered, false);
    this.slotNames = [
      'velocity',
      ...(this.momentum > 0 ? ['momentum'] : []),
      ...(this.centered ? ['averageGradient'] : []),
    ];
  }

  protected override updateVariable(v: tf.Variable, g: tf.Tensor, ctx: StepContext): void {
    const rho = ctx.scalar(this.rho);
    const oneMinusRho = ctx.scalar(1 - this.rho);
    const vel = this.slot(v, 'velocity');
    const avgSlot = this.centered ? this.slot(v, 'averageGradient') : undefined;
    const momSlot = this.momentum > 0 ? this.slot(v, 'momentum') : undefined;
    const decay = this.weightDecay > 0 ? 1 - ctx.lr * this.weightDecay : 1;
    // On wasm: one pass over the variable, its slots and the gradient, in place.
    const p = { lr: ctx.lr, rho: this.rho, epsilon: this.epsilon, momentum: this.momentum, decay };
    if (fusedRmsprop(v, vel, avgSlot, momSlot, g, p)) return;
    const velNext = tf.add(tf.mul(vel, rho), tf.mul(tf.square(g), oneMinusRho));
    vel.assign(velNext);
    let denom: tf.Tensor = velNext;
    if (this.centered) {
      const avg = this.slot(v, 'averageGradient');
      const avgNext = tf.add(tf.mul(avg, rho), tf.mul(g, oneMinusRho));
      avg.assign(avgNext);
      denom = tf.sub(velNext, tf.square(avgNext));
    }
    const increment = tf.mul(tf.mul(g, ctx.scalar(ctx.lr)), tf.rsqrt(tf.add(denom, ctx.scalar(this.epsilon))));
    let delta = increment;
    if (this.momentum > 0) {
      const mom = this.slot(v, 'momentum');
      delta = tf.add(tf.mul(mom, ctx.scalar(this.momentum)), increment);
      mom.assign(delta);
    }
    v.assign(tf.sub(this.decayed(v, ctx), delta));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

/**
 * RMSprop, Keras defaults (`learningRate` 0.001, `rho` 0.9, `epsilon` 1e-7).
 * @example
 * ```ts
 * const opt = st.optimizers.rmsprop({ learningRate: 1e-3, momentum: 0.9, centered: true });
 * ```
 */
export function rmsprop(opts?: RMSpropOptions): RMSprop {
  return new RMSprop(opts);
}
