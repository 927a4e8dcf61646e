import type { LearningRateSchedule } from './optimizer.js';
import { booleanOption, checkKeys, numberOption, requiredOption } from './validate.js';

/** Options of `polynomialDecay`. */
export interface PolynomialDecayOptions {
  /** Learning rate at step 0, >= 0. Required. */
  initialLearningRate: number;
  /** Steps to reach `endLearningRate` (per cycle with `cycle`), > 0. Required. */
  decaySteps: number;
  /** Learning rate at the end of the decay, >= 0. Default 1e-4 (as Keras). */
  endLearningRate?: number;
  /** Exponent of the polynomial, >= 0 (1 is linear, 0.5 a square root). Default 1. */
  power?: number;
  /**
   * Restart instead of holding `endLearningRate` past `decaySteps`: the decay period
   * stretches to the next multiple of `decaySteps` above the step. Default false.
   */
  cycle?: boolean;
}

/**
 * Polynomial decay, Keras `PolynomialDecay`:
 * `(initial - end) · (1 - s / d)^power + end`, with `s = min(step, decaySteps)` and
 * `d = decaySteps`; with `cycle`, `s = step` and `d = decaySteps · ceil(step / decaySteps)`
 * (1 period at step 0).
 */
export class PolynomialDecay implements LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  /** Learning rate at step 0. */
  readonly initialLearningRate: number;
  /** Steps of one decay period. */
  readonly decaySteps: number;
  /** Learning rate at the end of the decay. */
  readonly endLearningRate: number;
  /** Exponent of the polynomial. */
  readonly power: number;
  /** Whether the decay restarts past `decaySteps`. */
  readonly cycle: boolean;

  constructor(opts: PolynomialDecayOptions) {
    const owner = 'PolynomialDecay';
    checkKeys(owner, opts, ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle']);
    this.initialLearningRate = numberOption(owner, 'initialLearningRate', requiredOption(owner, opts, 'initialLearningRate'), 0, '>= 0');
    this.decaySteps = numberOption(owner, 'decaySteps', requiredOption(owner, opts, 'decaySteps'), 0, '> 0');
    this.endLearningRate = numberOption(owner, 'endLearningRate', opts.endLearningRate, 1e-4, '>= 0');
    this.power = numberOption(owner, 'power', opts.power, 1, '>= 0');
    this.cycle = booleanOption(owner, 'cycle', opts.cycle, false);
  }

  valueAt(step: number): number {
    let s = step;
    let d = this.decaySteps;
    if (this.cycle) d *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    else s = Math.min(step, d);
    return (this.initialLearningRate - this.endLearningRate) * (1 - s / d) ** this.power + this.endLearningRate;
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, endLearningRate: this.endLearningRate,
      power: this.power, cycle: this.cycle,
    };
  }
}

/** Options of `inverseTimeDecay`. */
export interface InverseTimeDecayOptions {
  /** Learning rate at step 0, >= 0. Required. */
  initialLearningRate: number;
  /** Steps per unit of decay time, > 0. Required. */
  decaySteps: number;
  /** How fast the rate falls, >= 0. Required. */
  decayRate: number;
  /** Decay in whole periods (a staircase) instead of smoothly. Default false. */
  staircase?: boolean;
}

/**
 * Inverse time decay, Keras `InverseTimeDecay`:
 * `initialLearningRate / (1 + decayRate · step / decaySteps)`, the quotient floored when `staircase`.
 */
export class InverseTimeDecay implements LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  /** Learning rate at step 0. */
  readonly initialLearningRate: number;
  /** Steps per unit of decay time. */
  readonly decaySteps: number;
  /** How fast the rate falls. */
  readonly decayRate: number;
  /** Whether the rate decays in whole periods. */
  readonly staircase: boolean;

  constructor(opts: InverseTimeDecayOptions) {
    const owner = 'InverseTimeDecay';
    checkKeys(owner, opts, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
    this.initialLearningRate = numberOption(owner, 'initialLearningRate', requiredOption(owner, opts, 'initialLearningRate'), 0, '>= 0');
    this.decaySteps = numberOption(owner, 'decaySteps', requiredOption(owner, opts, 'decaySteps'), 0, '> 0');
    this.decayRate = numberOption(owner, 'decayRate', requiredOption(owner, opts, 'decayRate'), 0, '>= 0');
    this.staircase = booleanOption(owner, 'staircase', opts.staircase, false);
  }

  valueAt(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate / (1 + this.decayRate * (this.staircase ? Math.floor(p) : p));
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}

/** Options of `cosineDecayRestarts`. */
export interface CosineDecayRestartsOptions {
  /** Learning rate at step 0, >= 0. Required. */
  initialLearningRate: number;
  /** Steps of the first cosine period, > 0. Required. */
  firstDecaySteps: number;
  /** Each period is `tMul` times longer than the one before, > 0. Default 2. */
  tMul?: number;
  /** Each restart begins at `mMul` times the previous start rate, >= 0. Default 1. */
  mMul?: number;
  /** Floor of each period as a fraction of its start rate, in [0, 1]. Default 0. */
  alpha?: number;
}

/**
 * Cosine decay with warm restarts (SGDR, Loshchilov & Hutter), Keras `CosineDecayRestarts`:
 * period `i` lasts `firstDecaySteps · tMul^i` steps and decays from
 * `initialLearningRate · mMul^i` along `(1 - alpha) · ½(1 + cos(π f)) + alpha`, `f` being
 * the fraction of the period done.
 */
export class CosineDecayRestarts implements LearningRateSchedule {
  readonly className = 'CosineDecayRestarts';
  /** Learning rate at step 0. */
  readonly initialLearningRate: number;
  /** Steps of the first period. */
  readonly firstDecaySteps: number;
  /** Growth factor of the period length. */
  readonly tMul: number;
  /** Factor of each restart's start rate. */
  readonly mMul: number;
  /** Floor of each period as a fraction of its start rate. */
  readonly alpha: number;

  constructor(opts: CosineDecayRestartsOptions) {
    const owner = 'CosineDecayRestarts';
    checkKeys(owner, opts, ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha']);
    this.initialLearningRate = numberOption(owner, 'initialLearningRate', requiredOption(owner, opts, 'initialLearningRate'), 0, '>= 0');
    this.firstDecaySteps = numberOption(owner, 'firstDecaySteps', requiredOption(owner, opts, 'firstDecaySteps'), 0, '> 0');
    this.tMul = numberOption(owner, 'tMul', opts.tMul, 2, '> 0');
    this.mMul = numberOption(owner, 'mMul', opts.mMul, 1, '>= 0');
    this.alpha = numberOption(owner, 'alpha', opts.alpha, 0, '[0, 1]');
  }

  valueAt(step: number): number {
    let fraction = step / this.firstDecaySteps;
    let restart: number;
    if (this.tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      // Periods 0..i-1 cover (1 - tMul^i) / (1 - tMul) first-periods.
      restart = Math.floor(Math.log(1 - fraction * (1 - this.tMul)) / Math.log(this.tMul));
      const done = (1 - this.tMul ** restart) / (1 - this.tMul);
      fraction = (fraction - done) / this.tMul ** restart;
    }
    const cosine = 0.5 * this.mMul ** restart * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate, firstDecaySteps: this.firstDecaySteps, tMul: this.tMul,
      mMul: this.mMul, alpha: this.alpha,
    };
  }
}

/**
 * Polynomial decay of the learning rate, Keras `PolynomialDecay`.
 * @example
 * ```ts
 * const lr = st.optimizers.schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.001, power: 0.5 });
 * ```
 */
export function polynomialDecay(opts: PolynomialDecayOptions): PolynomialDecay {
  return new PolynomialDecay(opts);
}

/**
 * Inverse time decay of the learning rate, Keras `InverseTimeDecay`.
 * @example
 * ```ts
 * const lr = st.optimizers.schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.5 });
 * ```
 */
export function inverseTimeDecay(opts: InverseTimeDecayOptions): InverseTimeDecay {
  return new InverseTimeDecay(opts);
}

/**
 * Cosine decay with warm restarts, Keras `CosineDecayRestarts`.
 * @example
 * ```ts
 * const lr = st.optimizers.schedules.cosineDecayRestarts({ initialLearningRate: 1e-3, firstDecaySteps: 1000 });
 * ```
 */
export function cosineDecayRestarts(opts: CosineDecayRestartsOptions): CosineDecayRestarts {
  return new CosineDecayRestarts(opts);
}
