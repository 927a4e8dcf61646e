import { tf } from '../backend/tf.js';
import { Optimizer, type OptimizerOptions, type StepContext } from './optimizer.js';
import { booleanOption, numberOption } from './validate.js';
import { fusedAdam } from '../backend/kernels/fused_update.js';

/** Options of Adam. */
export interface AdamOptions extends OptimizerOptions {
  /** Step size, or a schedule of it. Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay rate of the first-moment estimate, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay rate of the second-moment estimate, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the denominator for numerical stability, >= 0. Default 1e-7. */
  epsilon?: number;
  /** Use the AMSGrad variant (the running maximum of the second moment). Default false. */
  amsgrad?: boolean;
}

/** The option keys Adam reads besides the base ones. */
export const ADAM_KEYS = ['beta1', 'beta2', 'epsilon', 'amsgrad'] as const;

/**
 * Adam with Keras formulas: `m = beta1·m + (1 - beta1)·g`, `v = beta2·v + (1 - beta2)·g²`,
 * `w -= lr_t · m / (sqrt(v) + epsilon)` with the bias correction folded into
 * `lr_t = lr · sqrt(1 - beta2^t) / (1 - beta1^t)`. AMSGrad divides by the running
 * maximum of `v` instead. Slots: `momentum`, `velocity` (and `velocityHat` for AMSGrad).
 */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly slotNames: readonly string[];
  /** Decay rate of the first-moment estimate. */
  readonly beta1: number;
  /** Decay rate of the second-moment estimate. */
  readonly beta2: number;
  /** Added to the denominator for numerical stability. */
  readonly epsilon: number;
  /** Whether the AMSGrad variant is used. */
  readonly amsgrad: boolean;

  /**
   * @param opts - the options.
   * @param label - for subclasses: the name used in error messages.
   * @param extraKeys - for subclasses: option keys they read besides Adam's.
   * @param defaultWeightDecay - for subclasses: weight decay when `opts.weightDecay` is absent.
   */
  constructor(opts?: AdamOptions, label = 'Adam', extraKeys: readonly string[] = [], defaultWeightDecay = 0) {
    super(label, opts, 0.001, [...ADAM_KEYS, ...extraKeys], defaultWeightDecay);
    this.beta1 = numberOption(label, 'beta1', opts?.beta1, 0.9, '[0, 1)');
    this.beta2 = numberOption(label, 'beta2', opts?.beta2, 0.999, '[0, 1)');
    this.epsilon = numberOption(label, 'epsilon', opts?.epsilon, 1e-7, '>= 0');
    this.amsgrad = booleanOption(label, 'amsgrad', opts?.amsgrad, false);
    this.slotNames = this.amsgrad ? ['momentum', 'velocity', 'velocityHat'] : ['momentum', 'velocity'];
  }

  protected override updateVariable(v: tf.Variable, g: tf.Tensor, ctx: StepContext): void {
    const m = this.slot(v, 'momentum');
    const vel = this.slot(v, 'velocity');
    // Computed once per step on the host in float64, like Keras' scalar math.
    const t = ctx.step;
    const alpha = (ctx.lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    // On wasm: one pass over the variable, its slots and the gradient, in place.
    const vHatSlot = this.amsgrad ? this.slot(v, 'velocityHat') : undefined;
    const decay = this.weightDecay > 0 ? 1 - ctx.lr * this.weightDecay : 1;
    if (fusedAdam(v, m, vel, vHatSlot, g, { alpha, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, decay })) return;
    const mNext = tf.add(tf.mul(m, ctx.scalar(this.beta1)), tf.mul(g, ctx.scalar(1 - this.beta1)));
    const vNext = tf.add(tf.mul(vel, ctx.scalar(this.beta2)), tf.mul(tf.square(g), ctx.scalar(1 - this.beta2)));
    m.assign(mNext);
    vel.assign(vNext);
    let denomBase: tf.Tensor = vNext;
    if (this.amsgrad) {
      const vHat = this.slot(v, 'velocityHat');
      denomBase = tf.maximum(vHat, vNext);
      vHat.assign(denomBase);
    }
    const update = tf.div(tf.mul(mNext, ctx.scalar(alpha)), tf.add(tf.sqrt(denomBase), ctx.scalar(this.epsilon)));
    v.assign(tf.sub(this.decayed(v, ctx), update));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/**
 * Adam, Keras defaults (`learningRate` 0.001, `beta1` 0.9, `beta2` 0.999, `epsilon` 1e-7).
 * @example
 * ```ts
 * const opt = st.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 });
 * ```
 */
export function adam(opts?: AdamOptions): Adam {
  return new Adam(opts);
}
