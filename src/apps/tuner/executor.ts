import type { Callback } from '../../training/callbacks/callback.js';
import { runTrial, type RunFn, type Trial, type TrialInfo, type TrialOutcome, type TrialReporter } from './trial_run.js';

/** Runs trials: on this thread, or on worker threads (Node). */
export interface TrialExecutor {
  /** Trials it can run at once (undefined: as many as asked). */
  readonly size?: number;
  /** Runs one trial to its end. */
  run(info: TrialInfo, reporter: TrialReporter): Promise<TrialOutcome>;
  /** Frees threads. */
  close?(): Promise<void>;
}

/** Runs each trial's function on this thread. */
export class InlineExecutor implements TrialExecutor {
  constructor(private readonly fn: RunFn, private readonly callbacks?: (trial: Trial) => Callback[]) {}
  run(info: TrialInfo, reporter: TrialReporter): Promise<TrialOutcome> {
    return runTrial(this.fn, info, reporter, this.callbacks);
  }
}
