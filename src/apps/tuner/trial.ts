import type { Params } from './space.js';

/** Where a trial stands. */
export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

/** Whether a smaller (`'min'`) or larger (`'max'`) objective is better. */
export type Direction = 'min' | 'max';

/** One trial as the study stores it (plain JSON). */
export interface TrialRecord {
  /** 0, 1, 2, … in the order trials were started. */
  number: number;
  /** The hyperparameter values it ran with. */
  params: Params;
  /** Where it stands. */
  state: TrialState;
  /** The objective: the best epoch's value of the monitored log (or what `run` returned). */
  value?: number;
  /** The monitored value after each epoch, as reported (what pruners read). */
  intermediate: number[];
  /** Epochs trained (a pruned trial's are fewer than its budget). */
  epochs: number;
  /** Wall-clock start, ms since the Unix epoch. */
  startedAt: number;
  /** Wall-clock end, ms since the Unix epoch (absent while running). */
  finishedAt?: number;
  /** The error message of a failed trial. */
  error?: string;
}

/** Whether `a` is better than `b` in `direction`. */
export function better(a: number, b: number, direction: Direction): boolean {
  return direction === 'min' ? a < b : a > b;
}

/** The best finished value of a series in `direction` (NaN-free), or undefined. */
export function bestOf(values: readonly number[], direction: Direction): number | undefined {
  let best: number | undefined;
  for (const v of values) if (Number.isFinite(v) && (best === undefined || better(v, best, direction))) best = v;
  return best;
}
