import type { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { Callback, type Logs } from './callback.js';
import { checkMonitor, checkNonNegative, type MonitorMode, readMonitor, resolveMode } from './monitor.js';
import { printMessage } from './output.js';
import { checkOptionKeys, keysOf } from '../../engine/option_keys.js';

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** The log to watch. Default `'val_loss'`. */
  monitor?: string;
  /** Smallest change that counts as an improvement (its absolute value is used). Default 0. */
  minDelta?: number;
  /** Epochs without improvement after which training stops. Default 0. */
  patience?: number;
  /** `min`, `max`, or `auto` (maximize names with acc/auc/precision/recall/f1). Default `'auto'`. */
  mode?: MonitorMode;
  /**
   * A value the monitored quantity must beat: epochs that improve on the best so far but
   * not on the baseline still count towards `patience`. Default none.
   */
  baseline?: number;
  /**
   * At the end of training, put back the weights of the best epoch (even when training
   * ran to the end). When false, the last epoch's weights stay. Default false.
   */
  restoreBestWeights?: boolean;
  /** Epochs (counted from 0) to wait before watching at all, e.g. a warm-up. Default 0. */
  startFromEpoch?: number;
  /** 1 prints a line when it stops training and when it restores weights. Default 0. */
  verbose?: 0 | 1;
}

const OPTION_KEYS = keysOf<EarlyStoppingOptions>({ monitor: true, minDelta: true, patience: true, mode: true, baseline: true, restoreBestWeights: true, startFromEpoch: true, verbose: true });

/** Stops training when a monitored quantity has stopped improving. See {@link earlyStopping}. */
export class EarlyStopping extends Callback {
  /** The log watched. */
  readonly monitor: string;
  /** Smallest change that counts as an improvement (absolute value). */
  readonly minDelta: number;
  /** Epochs without improvement after which training stops. */
  readonly patience: number;
  /** Whether lower (`min`) or higher (`max`) is better, resolved from `auto`. */
  readonly mode: 'min' | 'max';
  /** The value the monitored quantity must beat; undefined when none. */
  readonly baseline?: number;
  /** Whether the best epoch's weights are put back at the end. */
  readonly restoreBestWeights: boolean;
  /** Epochs waited before watching at all. */
  readonly startFromEpoch: number;
  /** 1 prints a line when it stops training or restores weights. */
  readonly verbose: 0 | 1;
  /** Epochs since the last improvement (over the best and the baseline). */
  wait = 0;
  /** The epoch at which training was stopped, or 0 if it was not. */
  stoppedEpoch = 0;
  /** The best value seen so far (±Infinity before the first). */
  best: number;
  /** The epoch of `best`. */
  bestEpoch = 0;
  private bestWeights?: tf.Tensor[];
  private readonly warned = { done: false };

  constructor(opts: EarlyStoppingOptions = {}) {
    super();
    const owner = 'earlyStopping';
    checkOptionKeys(owner, opts, OPTION_KEYS);
    this.monitor = opts.monitor ?? 'val_loss';
    checkMonitor(this.monitor, owner);
    this.minDelta = Math.abs(opts.minDelta ?? 0);
    checkNonNegative(this.minDelta, 'minDelta', owner);
    this.patience = opts.patience ?? 0;
    checkNonNegative(this.patience, 'patience', owner, true);
    this.startFromEpoch = opts.startFromEpoch ?? 0;
    checkNonNegative(this.startFromEpoch, 'startFromEpoch', owner, true);
    this.mode = resolveMode(this.monitor, opts.mode ?? 'auto', owner);
    if (opts.baseline !== undefined && (typeof opts.baseline !== 'number' || !Number.isFinite(opts.baseline))) {
      throw new ValueError(`${owner}: 'baseline' must be a finite number; got ${String(opts.baseline)}`);
    }
    this.baseline = opts.baseline;
    this.restoreBestWeights = opts.restoreBestWeights ?? false;
    this.verbose = opts.verbose ?? 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `value` beats `reference` by more than `minDelta` in the monitored direction. */
  private improves(value: number, reference: number): boolean {
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  private dropBestWeights(): void {
    for (const t of this.bestWeights ?? []) t.dispose();
    this.bestWeights = undefined;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.warned.done = false;
    this.dropBestWeights();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = readMonitor(logs, this.monitor, 'earlyStopping', this.warned);
    if (current === undefined || epoch < this.startFromEpoch) return;
    // The first watched epoch's weights are the best so far even if its value is NaN.
    const model = this.model;
    let first = false;
    if (this.restoreBestWeights && !this.bestWeights && model) {
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
      first = true;
    }
    this.wait += 1;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights && model && !first) {
        this.dropBestWeights();
        this.bestWeights = model.getWeights();
      }
      // The wait restarts only when the baseline is beaten too.
      if (this.baseline === undefined || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0 && model) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) printMessage(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.bestWeights && this.model) {
      if (this.verbose > 0) printMessage(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      try {
        this.model.setWeights(this.bestWeights);
      } finally {
        this.dropBestWeights();
      }
    }
  }
}

/**
 * Stops training when `monitor` has not improved for `patience` epochs (Keras
 * `EarlyStopping`). Optionally restores the best epoch's weights at the end; the copies it
 * keeps are disposed there. A monitor missing from the logs (no validation data for
 * `val_loss`) gives one console warning and no stopping.
 * @example
 * ```ts
 * await net.fit(x, y, { epochs: 50, validationSplit: 0.2,
 *   callbacks: [st.callbacks.earlyStopping({ patience: 3, restoreBestWeights: true })] });
 * ```
 */
export function earlyStopping(opts: EarlyStoppingOptions = {}): EarlyStopping {
  return new EarlyStopping(opts);
}
