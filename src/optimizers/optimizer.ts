import { tf } from '../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../engine/errors.js';
import { clipGradients } from './clipping.js';
import { checkKeys, optionalNumber } from './validate.js';

/** A learning rate that depends on the step (the optimizer's iteration count, from 0). */
export interface LearningRateSchedule {
  /** Keras class name, for saved configs (`ExponentialDecay`, …). */
  readonly className: string;
  /** The learning rate at `step`. */
  valueAt(step: number): number;
  /** Keras-style config (camelCase keys). */
  getConfig(): Record<string, unknown>;
}

/** Options every optimizer accepts. At most one of the three clipping options may be set. */
export interface OptimizerOptions {
  /** Step size, or a schedule of it. Default depends on the optimizer (Keras defaults). */
  learningRate?: number | LearningRateSchedule;
  /** If set, each gradient is rescaled so its L2 norm is at most this. Default: unset. */
  clipNorm?: number;
  /** If set, each gradient element is clipped to [-clipValue, clipValue]. Default: unset. */
  clipValue?: number;
  /**
   * If set, all gradients of a step are rescaled together so the L2 norm of their
   * concatenation is at most this. Default: unset.
   */
  globalClipNorm?: number;
  /**
   * Decoupled weight decay (Keras 3 semantics): before each update a variable is
   * multiplied by `1 - learningRate * weightDecay`. Default: unset (no decay), except
   * `AdamW`, where it is 0.004.
   */
  weightDecay?: number;
}

/** One gradient to apply: the variable it belongs to and its value. */
export interface GradientPair {
  /** The variable to update. */
  variable: tf.Variable;
  /** Its gradient, same shape; owned by the caller. */
  gradient: tf.Tensor;
}

/**
 * One tensor of optimizer state. `variable` is the model variable the slot belongs to
 * (null for the iteration counter); saving maps it to the weight's name.
 */
export interface OptimizerStateEntry {
  /** The variable the slot belongs to; null for the iteration counter. */
  variable: tf.Variable | null;
  /** Slot name: `iterations`, or one of the optimizer's `slotNames` (`momentum`, `velocity`…). */
  slot: string;
  /** The slot's value. */
  value: tf.Tensor;
}

/** What one update step shares across the variables it updates. */
export interface StepContext {
  /** Learning rate of this step. */
  readonly lr: number;
  /** 1-based index of this step (for bias correction). */
  readonly step: number;
  /** A float32 scalar holding `x`, made once per step and shared by all variables. */
  scalar(x: number): tf.Scalar;
}

/** The option keys every optimizer accepts. */
export const BASE_OPTION_KEYS = ['learningRate', 'clipNorm', 'clipValue', 'globalClipNorm', 'weightDecay'] as const;

function isSchedule(x: unknown): x is LearningRateSchedule {
  return typeof x === 'object' && x !== null && typeof (x as LearningRateSchedule).valueAt === 'function';
}

/**
 * The base of strata's optimizers, written on tfjs-core ops. State (slots) is keyed by
 * the variable object itself, never by position, and created lazily on the first update
 * of that variable: frozen weights never get any.
 */
export abstract class Optimizer {
  /** Keras class name (`Adam`, `SGD`, …), used in saved configs. */
  abstract readonly className: string;
  /** Names of the slots each updated variable gets, in the order `getWeights` lists them. */
  abstract readonly slotNames: readonly string[];
  /** Number of `applyGradients` calls that updated something so far. */
  iterations = 0;
  /** Largest L2 norm of each gradient; undefined when unset. */
  readonly clipNorm?: number;
  /** Bound of each gradient element (clipped to ±clipValue); undefined when unset. */
  readonly clipValue?: number;
  /** Largest L2 norm of all gradients of a step together; undefined when unset. */
  readonly globalClipNorm?: number;
  /** Decoupled weight decay per unit of learning rate (0: none). */
  readonly weightDecay: number;
  /** Name used in error messages (`Adam`, `Momentum`, …). */
  protected readonly label: string;
  /** Slots per variable, keyed by identity. */
  protected readonly slots = new Map<tf.Variable, Map<string, tf.Variable>>();
  private lr: number | LearningRateSchedule;

  /**
   * @param label - name for error messages.
   * @param opts - the user's options (validated here for the base keys).
   * @param defaultLearningRate - the Keras default of this optimizer.
   * @param extraKeys - the option keys the subclass reads besides the base ones.
   * @param defaultWeightDecay - weight decay when `opts.weightDecay` is absent.
   */
  constructor(
    label: string,
    opts: OptimizerOptions | undefined,
    defaultLearningRate: number,
    extraKeys: readonly string[],
    defaultWeightDecay = 0,
  ) {
    this.label = label;
    checkKeys(label, opts, [...BASE_OPTION_KEYS, ...extraKeys]);
    const o = opts ?? {};
    this.lr = this.checkLearningRate(o.learningRate ?? defaultLearningRate);
    this.clipNorm = optionalNumber(label, 'clipNorm', o.clipNorm, '> 0');
    this.clipValue = optionalNumber(label, 'clipValue', o.clipValue, '> 0');
    this.globalClipNorm = optionalNumber(label, 'globalClipNorm', o.globalClipNorm, '> 0');
    const clips = (['clipNorm', 'clipValue', 'globalClipNorm'] as const).filter((k) => this[k] !== undefined);
    if (clips.length > 1) {
      throw new ValueError(`${label}: only one of 'clipNorm', 'clipValue' and 'globalClipNorm' may be set; got ${clips.join(' and ')}`);
    }
    this.weightDecay = optionalNumber(label, 'weightDecay', o.weightDecay, '>= 0') ?? defaultWeightDecay;
  }

  /** Step size or schedule. Callbacks may set a number here between steps. */
  get learningRate(): number | LearningRateSchedule {
    return this.lr;
  }

  /** Sets the step size (a finite number >= 0) or a schedule; takes effect at the next step. */
  set learningRate(value: number | LearningRateSchedule) {
    this.lr = this.checkLearningRate(value);
  }

  private checkLearningRate(value: unknown): number | LearningRateSchedule {
    if (isSchedule(value)) return value;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ValueError(`${this.label}: option 'learningRate' must be a finite number >= 0 or a LearningRateSchedule; got ${String(value)}`);
    }
    return value;
  }

  /** The learning rate the next step will use. */
  currentLearningRate(): number {
    const lr = this.lr;
    if (typeof lr === 'number') return lr;
    const value = lr.valueAt(this.iterations);
    if (!Number.isFinite(value) || value < 0) {
      throw new ValueError(`${this.label}: learning-rate schedule ${lr.className} gave ${value} at step ${this.iterations}; expected a finite number >= 0`);
    }
    return value;
  }

  /**
   * Applies one step of updates and advances `iterations`. Gradients stay owned by the
   * caller. An empty list does nothing (as in Keras), so a fully frozen model leaves the
   * step count, and so any schedule, where it was.
   * @throws ShapeError when a gradient's shape differs from its variable's.
   * @throws ValueError when a variable appears twice.
   */
  applyGradients(pairs: GradientPair[]): void {
    if (pairs.length === 0) return;
    this.checkPairs(pairs);
    const lr = this.currentLearningRate();
    const step = this.iterations + 1;
    tf.tidy(() => {
      const cache = new Map<number, tf.Scalar>();
      const ctx: StepContext = {
        lr,
        step,
        scalar: (x) => {
          let s = cache.get(x);
          if (!s) cache.set(x, (s = tf.scalar(x, 'float32')));
          return s;
        },
      };
      const grads = clipGradients(pairs.map((p) => p.gradient), this, ctx.scalar);
      pairs.forEach(({ variable }, i) => this.updateVariable(variable, grads[i]!, ctx));
    });
    this.iterations = step;
  }

  private checkPairs(pairs: GradientPair[]): void {
    const seen = new Set<tf.Variable>();
    for (const { variable, gradient } of pairs) {
      // Duck-typed: a second copy of tfjs-core in the process makes `instanceof` unreliable.
      if (typeof variable?.assign !== 'function' || !Array.isArray(gradient?.shape)) {
        throw new ValueError(`${this.label}.applyGradients: each entry must be { variable: tf.Variable, gradient: tf.Tensor }`);
      }
      if (seen.has(variable)) {
        throw new ValueError(`${this.label}.applyGradients: variable '${variable.name}' appears more than once`);
      }
      seen.add(variable);
      if (!tf.util.arraysEqual(variable.shape, gradient.shape)) {
        throw new ShapeError(
          `${this.label}.applyGradients: gradient of variable '${variable.name}' must have shape ${fmtShape(variable.shape)}; got ${fmtShape(gradient.shape)}`,
        );
      }
    }
  }

  /**
   * The variable's value after decoupled weight decay, `v * (1 - lr * weightDecay)`, or
   * `v` itself when there is none. Subclasses build their update on it, so decay and
   * update land in one assignment.
   */
  protected decayed(v: tf.Variable, ctx: StepContext): tf.Tensor {
    return this.weightDecay > 0 ? tf.mul(v, ctx.scalar(1 - ctx.lr * this.weightDecay)) : v;
  }

  /** The named slot of `v`, created filled with `fill` on first use. */
  protected slot(v: tf.Variable, name: string, fill = 0): tf.Variable {
    let m = this.slots.get(v);
    if (!m) this.slots.set(v, (m = new Map()));
    let s = m.get(name);
    if (!s) {
      s = tf.tidy(() => tf.variable(fill === 0 ? tf.zeros(v.shape, 'float32') : tf.fill(v.shape, fill, 'float32'), false));
      m.set(name, s);
    }
    return s;
  }

  /** Updates one variable in place (and its slots). Runs inside the step's tidy. */
  protected abstract updateVariable(v: tf.Variable, g: tf.Tensor, ctx: StepContext): void;

  /**
   * Copies of the state: the iteration count (an int32 scalar), then each updated
   * variable's slots in `slotNames` order. The caller owns (and disposes) the values.
   */
  getWeights(): OptimizerStateEntry[] {
    const out: OptimizerStateEntry[] = [{ variable: null, slot: 'iterations', value: tf.scalar(this.iterations, 'int32') }];
    for (const [variable, m] of this.slots) {
      for (const slot of this.slotNames) {
        const s = m.get(slot);
        if (s) out.push({ variable, slot, value: tf.clone(s) });
      }
    }
    return out;
  }

  /**
   * Replaces the state with `entries` (as given by `getWeights`; values are copied, the
   * caller keeps them). Variables with no entries start afresh on their next update; the
   * iteration count is kept when there is no `iterations` entry.
   * @throws ValueError for an unknown slot name or a variable missing one of its slots.
   * @throws ShapeError when a value's shape differs from its variable's.
   */
  setWeights(entries: OptimizerStateEntry[]): void {
    const fresh = new Map<tf.Variable, Map<string, tf.Tensor>>();
    let iterations = this.iterations;
    for (const e of entries) {
      if (e.variable === null) {
        if (e.slot !== 'iterations' || e.value.size !== 1) {
          throw new ValueError(`${this.label}.setWeights: an entry without a variable must be the scalar 'iterations'; got slot '${e.slot}' of shape ${fmtShape(e.value.shape)}`);
        }
        iterations = Math.round(e.value.dataSync()[0]!);
        continue;
      }
      if (!this.slotNames.includes(e.slot)) {
        throw new ValueError(`${this.label}.setWeights: unknown slot '${e.slot}'; expected one of ${this.slotNames.join(', ')}`);
      }
      if (!tf.util.arraysEqual(e.value.shape, e.variable.shape)) {
        throw new ShapeError(
          `${this.label}.setWeights: slot '${e.slot}' of variable '${e.variable.name}' must have shape ${fmtShape(e.variable.shape)}; got ${fmtShape(e.value.shape)}`,
        );
      }
      let m = fresh.get(e.variable);
      if (!m) fresh.set(e.variable, (m = new Map()));
      m.set(e.slot, e.value);
    }
    for (const [variable, m] of fresh) {
      const missing = this.slotNames.filter((s) => !m.has(s));
      if (missing.length > 0) {
        throw new ValueError(`${this.label}.setWeights: variable '${variable.name}' lacks slot(s) ${missing.join(', ')}`);
      }
    }
    this.dispose();
    for (const [variable, m] of fresh) {
      const slots = new Map<string, tf.Variable>();
      for (const slot of this.slotNames) {
        slots.set(slot, tf.tidy(() => tf.variable(tf.cast(m.get(slot)!, 'float32'), false)));
      }
      this.slots.set(variable, slots);
    }
    this.iterations = iterations;
  }

  /** Keras-style config (camelCase keys); a schedule appears as `{ className, config }`. */
  getConfig(): Record<string, unknown> {
    const lr = this.lr;
    return {
      learningRate: typeof lr === 'number' ? lr : { className: lr.className, config: lr.getConfig() },
      ...(this.clipNorm !== undefined ? { clipNorm: this.clipNorm } : {}),
      ...(this.clipValue !== undefined ? { clipValue: this.clipValue } : {}),
      ...(this.globalClipNorm !== undefined ? { globalClipNorm: this.globalClipNorm } : {}),
      ...(this.weightDecay > 0 ? { weightDecay: this.weightDecay } : {}),
    };
  }

  /** Frees all slot memory. The optimizer stays usable: state is rebuilt lazily. */
  dispose(): void {
    for (const m of this.slots.values()) for (const s of m.values()) s.dispose();
    this.slots.clear();
  }
}
