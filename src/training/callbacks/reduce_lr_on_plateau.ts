import { ValueError } from '../../engine/errors.js';
import { Callback, type Logs } from './callback.js';
import { setLearningRate, settableOptimizer } from './learning_rate.js';
import { checkMonitor, checkNonNegative, type MonitorMode, readMonitor, resolveMode } from './monitor.js';
import { printMessage } from './output.js';
import { checkOptionKeys, keysOf } from '../../engine/option_keys.js';

/** Options of {@link reduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** The log to watch. Default `'val_loss'`. */
  monitor?: string;
  /** The rate is multiplied by this on a plateau; in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement after which the rate is reduced. Default 10. */
  patience?: number;
  /** `min`, `max`, or `auto` (maximize names with acc/auc/precision/recall/f1). Default `'auto'`. */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (its absolute value is used). Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The rate is never reduced below this. Default 0. */
  minLr?: number;
  /** 1 prints a line at each reduction. Default 0. */
  verbose?: 0 | 1;
}

const OPTION_KEYS = keysOf<ReduceLROnPlateauOptions>({ monitor: true, factor: true, patience: true, mode: true, minDelta: true, cooldown: true, minLr: true, verbose: true });

/** Reduces the learning rate when a quantity stops improving. See {@link reduceLROnPlateau}. */
export class ReduceLROnPlateau extends Callback {
  /** The log watched. */
  readonly monitor: string;
  /** The rate is multiplied by this on a plateau. */
  readonly factor: number;
  /** Epochs without improvement after which the rate is reduced. */
  readonly patience: number;
  /** Whether lower (`min`) or higher (`max`) is better, resolved from `auto`. */
  readonly mode: 'min' | 'max';
  /** Smallest change that counts as an improvement (absolute value). */
  readonly minDelta: number;
  /** Epochs waited after a reduction before counting again. */
  readonly cooldown: number;
  /** The rate is never reduced below this. */
  readonly minLr: number;
  /** 1 prints a line at each reduction. */
  readonly verbose: 0 | 1;
  /** Epochs since the last improvement, outside cooldown. */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** The best value seen so far (±Infinity before the first). */
  best: number;
  private readonly warned = { done: false };

  constructor(opts: ReduceLROnPlateauOptions = {}) {
    super();
    const owner = 'reduceLROnPlateau';
    checkOptionKeys(owner, opts, OPTION_KEYS);
    this.monitor = opts.monitor ?? 'val_loss';
    checkMonitor(this.monitor, owner);
    this.factor = opts.factor ?? 0.1;
    if (typeof this.factor !== 'number' || !(this.factor > 0 && this.factor < 1)) {
      throw new ValueError(`${owner}: 'factor' must be a number in (0, 1); got ${String(opts.factor)}`);
    }
    this.patience = opts.patience ?? 10;
    checkNonNegative(this.patience, 'patience', owner, true);
    this.minDelta = Math.abs(opts.minDelta ?? 1e-4);
    checkNonNegative(this.minDelta, 'minDelta', owner);
    this.cooldown = opts.cooldown ?? 0;
    checkNonNegative(this.cooldown, 'cooldown', owner, true);
    this.minLr = opts.minLr ?? 0;
    checkNonNegative(this.minLr, 'minLr', owner);
    this.mode = resolveMode(this.monitor, opts.mode ?? 'auto', owner);
    this.verbose = opts.verbose ?? 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  private improves(value: number): boolean {
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  override onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
    this.warned.done = false;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const owner = 'reduceLROnPlateau';
    const opt = settableOptimizer(this.model, owner);
    // The rate this epoch ran with, before any reduction.
    if (logs) logs.lr = opt.currentLearningRate();
    const current = readMonitor(logs, this.monitor, owner, this.warned);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const old = opt.currentLearningRate();
    if (old > this.minLr) {
      const next = Math.max(old * this.factor, this.minLr);
      setLearningRate(opt, next, owner);
      if (this.verbose > 0) printMessage(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
      this.cooldownCounter = this.cooldown;
      this.wait = 0;
    }
  }
}

/**
 * Multiplies the learning rate by `factor` when `monitor` has not improved for `patience`
 * epochs (Keras `ReduceLROnPlateau`), then waits `cooldown` epochs before counting again;
 * never goes below `minLr`. Logs the rate of each epoch as `lr`. The optimizer must have
 * been created with a number `learningRate`.
 * @example
 * ```ts
 * st.callbacks.reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-5 });
 * ```
 */
export function reduceLROnPlateau(opts: ReduceLROnPlateauOptions = {}): ReduceLROnPlateau {
  return new ReduceLROnPlateau(opts);
}
