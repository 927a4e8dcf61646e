import { Callback, type Logs } from './callback.js';

/**
 * Records the epoch logs of a training run: what `fit` returns.
 * @example
 * ```ts
 * const h = await net.fit(x, y, { epochs: 3, validationSplit: 0.1 });
 * h.history.val_loss; // [0.31, 0.24, 0.21]
 * ```
 */
export class History extends Callback {
  /** The index of each recorded epoch (from `initialEpoch`). */
  epoch: number[] = [];
  /**
   * Each log name's values, one per epoch that logged it. A name missing in some epochs
   * (`val_*` with `validationFreq` > 1) has a shorter array, as in Keras.
   */
  history: Record<string, number[]> = {};

  /** Starts a fresh record. */
  override onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs ?? {})) {
      (this.history[key] ??= []).push(value);
    }
  }
}
