import { ValueError } from '../engine/errors.js';
import type { LearningRateSchedule } from './optimizer.js';
import { booleanOption, checkKeys, numberOption } from './validate.js';

/** Options of `exponentialDecay`. */
export interface ExponentialDecayOptions {
  /** Learning rate at step 0, >= 0. Required. */
  initialLearningRate: number;
  /** Steps per decay period, > 0. Required. */
  decaySteps: number;
  /** Factor applied per period, > 0. Required. */
  decayRate: number;
  /** Decay in whole periods (a staircase) instead of smoothly. Default false. */
  staircase?: boolean;
}

/** `initialLearningRate · decayRate^(step / decaySteps)`, the exponent floored when `staircase`. */
export class ExponentialDecay implements LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  /** Learning rate at step 0. */
  readonly initialLearningRate: number;
  /** Steps per decay period. */
  readonly decaySteps: number;
  /** Factor applied per period. */
  readonly decayRate: number;
  /** Whether the rate decays in whole periods. */
  readonly staircase: boolean;

  constructor(opts: ExponentialDecayOptions) {
    const owner = 'ExponentialDecay';
    checkKeys(owner, opts, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
    this.initialLearningRate = numberOption(owner, 'initialLearningRate', required(owner, opts, 'initialLearningRate'), 0, '>= 0');
    this.decaySteps = numberOption(owner, 'decaySteps', required(owner, opts, 'decaySteps'), 0, '> 0');
    this.decayRate = numberOption(owner, 'decayRate', required(owner, opts, 'decayRate'), 0, '> 0');
    this.staircase = booleanOption(owner, 'staircase', opts.staircase, false);
  }

  valueAt(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * this.decayRate ** (this.staircase ? Math.floor(p) : p);
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}

/** Options of `piecewiseConstantDecay`. */
export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing step boundaries. Required. */
  boundaries: number[];
  /** Learning rates, one more than `boundaries`, each >= 0. Required. */
  values: number[];
}

/**
 * `values[0]` while `step <= boundaries[0]`, `values[i]` while
 * `boundaries[i-1] < step <= boundaries[i]`, and the last value after the last boundary.
 */
export class PiecewiseConstantDecay implements LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  /** Strictly increasing step boundaries. */
  readonly boundaries: readonly number[];
  /** Learning rate of each interval, one more than `boundaries`. */
  readonly values: readonly number[];

  constructor(opts: PiecewiseConstantDecayOptions) {
    const owner = 'PiecewiseConstantDecay';
    checkKeys(owner, opts, ['boundaries', 'values']);
    const { boundaries, values } = opts;
    if (!Array.isArray(boundaries) || !boundaries.every((b) => typeof b === 'number' && Number.isFinite(b))) {
      throw new ValueError(`${owner}: option 'boundaries' must be an array of finite numbers; got ${String(boundaries)}`);
    }
    if (boundaries.some((b, i) => i > 0 && b <= boundaries[i - 1]!)) {
      throw new ValueError(`${owner}: option 'boundaries' must be strictly increasing; got [${boundaries.join(', ')}]`);
    }
    if (!Array.isArray(values) || values.length !== boundaries.length + 1) {
      throw new ValueError(
        `${owner}: option 'values' must hold one more entry than 'boundaries' (${boundaries.length + 1}); got ${Array.isArray(values) ? values.length : String(values)}`,
      );
    }
    values.forEach((v, i) => numberOption(owner, `values[${i}]`, v, 0, '>= 0'));
    this.boundaries = [...boundaries];
    this.values = [...values];
  }

  valueAt(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i]!;
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}

/** Options of `cosineDecay`. */
export interface CosineDecayOptions {
  /** Learning rate at step 0 (the start of the warmup, if any), >= 0. Required. */
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup), > 0. Required. */
  decaySteps: number;
  /** Final learning rate as a fraction of the decay's starting rate, in [0, 1]. Default 0. */
  alpha?: number;
  /** Learning rate reached by a linear warmup; unset means no warmup. Default unset. */
  warmupTarget?: number | null;
  /** Length of the linear warmup in steps, >= 0 (used only with `warmupTarget`). Default 0. */
  warmupSteps?: number;
}

/**
 * Cosine decay (Loshchilov & Hutter), Keras semantics: an optional linear warmup from
 * `initialLearningRate` to `warmupTarget` over `warmupSteps`, then
 * `from · ((1 - alpha) · ½(1 + cos(π · min(s, decaySteps) / decaySteps)) + alpha)`,
 * where `from` is `warmupTarget` (or `initialLearningRate`) and `s` counts decay steps.
 */
export class CosineDecay implements LearningRateSchedule {
  readonly className = 'CosineDecay';
  /** Learning rate at step 0 (the start of the warmup, if any). */
  readonly initialLearningRate: number;
  /** Steps of the cosine decay, after the warmup. */
  readonly decaySteps: number;
  /** Final learning rate as a fraction of the decay's starting rate. */
  readonly alpha: number;
  /** Learning rate reached by the linear warmup; null for no warmup. */
  readonly warmupTarget: number | null;
  /** Length of the linear warmup in steps. */
  readonly warmupSteps: number;

  constructor(opts: CosineDecayOptions) {
    const owner = 'CosineDecay';
    checkKeys(owner, opts, ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps']);
    this.initialLearningRate = numberOption(owner, 'initialLearningRate', required(owner, opts, 'initialLearningRate'), 0, '>= 0');
    this.decaySteps = numberOption(owner, 'decaySteps', required(owner, opts, 'decaySteps'), 0, '> 0');
    this.alpha = numberOption(owner, 'alpha', opts.alpha, 0, '[0, 1]');
    this.warmupTarget = opts.warmupTarget == null ? null : numberOption(owner, 'warmupTarget', opts.warmupTarget, 0, '>= 0');
    this.warmupSteps = numberOption(owner, 'warmupSteps', opts.warmupSteps, 0, '>= 0');
  }

  valueAt(step: number): number {
    if (this.warmupTarget === null) return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) {
      return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    }
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }

  private decay(s: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * s) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
    };
  }
}

function required<T extends object>(owner: string, opts: T, key: keyof T & string): unknown {
  const v = opts?.[key];
  if (v === undefined) throw new ValueError(`${owner}: option '${key}' is required`);
  return v;
}

/**
 * Exponential decay of the learning rate, Keras `ExponentialDecay`.
 * @example
 * ```ts
 * const lr = st.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 });
 * const opt = st.optimizers.sgd({ learningRate: lr });
 * ```
 */
export function exponentialDecay(opts: ExponentialDecayOptions): ExponentialDecay {
  return new ExponentialDecay(opts);
}

/**
 * A learning rate constant between step boundaries, Keras `PiecewiseConstantDecay`.
 * @example
 * ```ts
 * const lr = st.optimizers.schedules.piecewiseConstantDecay({ boundaries: [1000, 2000], values: [1e-2, 1e-3, 1e-4] });
 * ```
 */
export function piecewiseConstantDecay(opts: PiecewiseConstantDecayOptions): PiecewiseConstantDecay {
  return new PiecewiseConstantDecay(opts);
}

/**
 * Cosine decay with optional linear warmup, Keras `CosineDecay`.
 * @example
 * ```ts
 * const lr = st.optimizers.schedules.cosineDecay({ initialLearningRate: 0, warmupTarget: 1e-3, warmupSteps: 500, decaySteps: 10000 });
 * ```
 */
export function cosineDecay(opts: CosineDecayOptions): CosineDecay {
  return new CosineDecay(opts);
}

export * from './schedules_decay.js';
