import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';

/** A learning rate that depends on the step (the optimizer's iteration count, from 0). */
export interface LearningRateSchedule {
  /** Keras class name, for saved configs (`ExponentialDecay`, …). */
  readonly className: string;
  /** The learning rate at `step`. */
  valueAt(step: number): number;
  /** Keras-style config (camelCase keys). */
  getConfig(): Record<string, unknown>;
}

/** Options every optimizer accepts. */
export interface OptimizerOptions {
  /** Step size, or a schedule of it. Default depends on the optimizer (Keras defaults). */
  learningRate?: number | LearningRateSchedule;
  /** If set, each gradient is rescaled so its L2 norm is at most this. */
  clipNorm?: number;
  /** If set, each gradient element is clipped to [-clipValue, clipValue]. */
  clipValue?: number;
}

/** One gradient to apply: the variable it belongs to and its value. */
export interface GradientPair {
  variable: tf.Variable;
  gradient: tf.Tensor;
}

/**
 * One tensor of optimizer state. `variable` is the model variable the slot belongs to
 * (null for the iteration counter); saving maps it to the weight's name.
 */
export interface OptimizerStateEntry {
  variable: tf.Variable | null;
  /** Slot name: `iterations`, `m`, `v`, `momentum`, `accumulator`… */
  slot: string;
  value: tf.Tensor;
}

/**
 * The base of strata's optimizers, written on tfjs-core ops. State (slots) is keyed by
 * the variable object itself, never by position, and created lazily on the first update
 * of that variable: frozen weights never get any.
 */
export abstract class Optimizer {
  /** Keras class name (`Adam`, `SGD`, …). */
  abstract readonly className: string;
  /** Number of `applyGradients` calls so far. */
  iterations = 0;
  /** Step size or schedule. Callbacks may set a number here between steps. */
  learningRate: number | LearningRateSchedule;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  /** Slots per variable, keyed by identity. */
  protected readonly slots = new Map<tf.Variable, Map<string, tf.Variable>>();

  constructor(opts: OptimizerOptions, defaultLearningRate: number) {
    this.learningRate = opts.learningRate ?? defaultLearningRate;
    if (typeof this.learningRate === 'number' && !(this.learningRate > 0 && Number.isFinite(this.learningRate))) {
      throw new ValueError(`${new.target.name}: 'learningRate' must be a finite number > 0; got ${String(opts.learningRate)}`);
    }
    for (const k of ['clipNorm', 'clipValue'] as const) {
      const v = opts[k];
      if (v !== undefined && !(v > 0 && Number.isFinite(v))) {
        throw new ValueError(`${new.target.name}: '${k}' must be a finite number > 0; got ${String(v)}`);
      }
    }
    this.clipNorm = opts.clipNorm;
    this.clipValue = opts.clipValue;
  }

  /** The learning rate the next step will use. */
  currentLearningRate(): number {
    const lr = this.learningRate;
    return typeof lr === 'number' ? lr : lr.valueAt(this.iterations);
  }

  /** Applies one step of updates. Gradients stay owned by the caller. */
  applyGradients(pairs: GradientPair[]): void {
    const lr = this.currentLearningRate();
    tf.tidy(() => {
      for (const { variable, gradient } of pairs) {
        this.updateVariable(variable, this.clip(gradient), lr, this.iterations + 1);
      }
    });
    this.iterations += 1;
  }

  /** Clips a gradient by `clipValue` / `clipNorm` when set. */
  protected clip(g: tf.Tensor): tf.Tensor {
    let out = g;
    if (this.clipValue !== undefined) out = tf.clipByValue(out, -this.clipValue, this.clipValue);
    if (this.clipNorm !== undefined) {
      const norm = tf.norm(out);
      out = tf.mul(out, tf.div(this.clipNorm, tf.maximum(norm, this.clipNorm)));
    }
    return out;
  }

  /** The named slot of `v`, created with zeros (or `init`) on first use. */
  protected slot(v: tf.Variable, name: string, init?: () => tf.Tensor): tf.Variable {
    let m = this.slots.get(v);
    if (!m) this.slots.set(v, (m = new Map()));
    let s = m.get(name);
    if (!s) {
      s = tf.keep(tf.variable(init ? init() : tf.zerosLike(v), false));
      m.set(name, s);
    }
    return s;
  }

  /**
   * Updates one variable in place. Runs inside a tidy.
   * @param step - 1-based index of this update (for bias correction).
   */
  protected abstract updateVariable(v: tf.Variable, g: tf.Tensor, lr: number, step: number): void;

  /** Copies of the state: the iteration count, then each variable's slots. The caller owns them. */
  getWeights(): OptimizerStateEntry[] {
    const out: OptimizerStateEntry[] = [{ variable: null, slot: 'iterations', value: tf.scalar(this.iterations, 'int32') }];
    for (const [variable, m] of this.slots) {
      for (const [slot, s] of m) out.push({ variable, slot, value: tf.clone(s) });
    }
    return out;
  }

  /** Restores state saved by `getWeights` (values are copied; the caller keeps them). */
  setWeights(entries: OptimizerStateEntry[]): void {
    for (const e of entries) {
      if (e.variable === null) {
        if (e.slot === 'iterations') this.iterations = Math.round(e.value.dataSync()[0]!);
        continue;
      }
      const v = e.variable;
      if (e.value.shape.join(',') !== v.shape.join(',')) {
        throw new ValueError(`${this.className}.setWeights: slot '${e.slot}' of a variable of shape [${v.shape}] got shape [${e.value.shape}]`);
      }
      this.slot(v, e.slot).assign(e.value);
    }
  }

  /** Keras-style config (camelCase keys). */
  getConfig(): Record<string, unknown> {
    const lr = this.learningRate;
    return {
      learningRate: typeof lr === 'number' ? lr : { className: lr.className, config: lr.getConfig() },
      ...(this.clipNorm !== undefined ? { clipNorm: this.clipNorm } : {}),
      ...(this.clipValue !== undefined ? { clipValue: this.clipValue } : {}),
    };
  }

  /** Frees all slot memory. */
  dispose(): void {
    for (const m of this.slots.values()) for (const s of m.values()) s.dispose();
    this.slots.clear();
  }
}
