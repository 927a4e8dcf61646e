import { ValueError } from '../../engine/errors.js';
import { Callback, type Logs } from './callback.js';
import { setLearningRate, settableOptimizer } from './learning_rate.js';
import { printMessage } from './output.js';
import { checkOptionKeys, keysOf } from '../../engine/option_keys.js';

/** Gives the learning rate of an epoch from its index (from 0) and the current rate. */
export type LearningRateScheduleFn = (epoch: number, lr: number) => number | Promise<number>;

/** Options of {@link learningRateScheduler}. */
export interface LearningRateSchedulerOptions {
  /** 1 prints the new rate at the start of each epoch. Default 0. */
  verbose?: 0 | 1;
}

const OPTION_KEYS = keysOf<LearningRateSchedulerOptions>({ verbose: true });

/** Sets the learning rate from a function of the epoch. See {@link learningRateScheduler}. */
export class LearningRateScheduler extends Callback {
  /** 1 prints the new rate at the start of each epoch. */
  readonly verbose: 0 | 1;

  constructor(
    /** Gives each epoch's learning rate from the epoch index and the current rate. */
    readonly schedule: LearningRateScheduleFn,
    opts: LearningRateSchedulerOptions = {},
  ) {
    super();
    checkOptionKeys('learningRateScheduler', opts, OPTION_KEYS);
    if (typeof schedule !== 'function') {
      throw new ValueError(`learningRateScheduler: 'schedule' must be a function (epoch, lr) => number; got ${typeof schedule}`);
    }
    this.verbose = opts.verbose ?? 0;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const owner = 'learningRateScheduler';
    const opt = settableOptimizer(this.model, owner);
    const lr = await this.schedule(epoch, opt.currentLearningRate());
    setLearningRate(opt, lr, owner);
    if (this.verbose > 0) printMessage(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  /** Logs the rate used in this epoch as `lr`. */
  override onEpochEnd(_epoch: number, logs: Logs): void {
    const opt = this.model?.optimizer;
    if (opt && logs) logs.lr = opt.currentLearningRate();
  }
}

/**
 * Sets the optimizer's learning rate at the start of every epoch to
 * `schedule(epoch, currentRate)` (Keras `LearningRateScheduler`), and logs the rate as
 * `lr` in the epoch logs. The optimizer must have been created with a number
 * `learningRate` (not a schedule object).
 * @example
 * ```ts
 * st.callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 * ```
 */
export function learningRateScheduler(schedule: LearningRateScheduleFn, opts: LearningRateSchedulerOptions = {}): LearningRateScheduler {
  return new LearningRateScheduler(schedule, opts);
}
