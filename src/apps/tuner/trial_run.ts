import { ValueError } from '../../engine/errors.js';
import type { tf } from '../../backend/tf.js';
import { modelArtifacts, type SavableModel } from '../../io/save.js';
import { Callback, type CallbackModel, type Logs } from '../../training/callbacks/callback.js';
import type { History } from '../../training/callbacks/history.js';
import type { Params } from './space.js';
import { bestOf, type Direction } from './trial.js';

/** What the search hands a trial (plain data, so it can cross to a worker thread). */
export interface TrialInfo {
  /** The trial number. */
  number: number;
  /** The hyperparameter values. */
  params: Params;
  /** The full epoch budget of a trial (pass it to `fit`). */
  maxEpochs: number;
  /** A seed for this trial (the study seed and trial number mixed), for initializers and shuffles. */
  seed: number;
  /** The monitored log name, or `'value'`. */
  objective: string;
  /** Whether smaller or larger objectives are better. */
  direction: Direction;
  /** Whether to send the trained model back (for the best-model restore). */
  keepModel: boolean;
}

/** Carries a trial's per-epoch values to the study and its pruning decision back. */
export interface TrialReporter {
  /** Records the value after `epoch` epochs (1-based); resolves true when the trial should stop. */
  report(epochs: number, value: number): Promise<boolean>;
}

/**
 * The trial handed to the search's `run` function: its number, parameters and budget, and the
 * callbacks to pass to `fit` (they report the objective after each epoch and stop the run
 * when the pruner says so).
 */
export class Trial {
  /** The trial number. */
  readonly number: number;
  /** The hyperparameter values (also the first argument of `run`). */
  readonly params: Params;
  /** The epoch budget: pass it as `fit`'s `epochs`. */
  readonly epochs: number;
  /** A seed derived from the study seed and the trial number. */
  readonly seed: number;
  /** Callbacks for `fit`: reporting, pruning, and any the search adds (TensorBoard). */
  readonly callbacks: Callback[];
  /** True once the pruner stopped this trial. */
  pruned = false;
  /** Objective values reported so far, one per epoch. */
  readonly intermediate: number[] = [];
  /** The model trained, as seen by the callbacks (restored as the best model). */
  model?: SavableModel;

  constructor(
    /** What the search handed this trial. */
    readonly info: TrialInfo,
    private readonly reporter: TrialReporter,
    extra: Callback[] = [],
  ) {
    this.number = info.number;
    this.params = info.params;
    this.epochs = info.maxEpochs;
    this.seed = info.seed;
    this.callbacks = [new TrialCallback(this, info.objective), ...extra];
  }

  /**
   * Reports the objective after an epoch, for custom training loops (the callbacks do it for
   * `fit`). Resolves true when the trial should stop.
   */
  async report(value: number): Promise<boolean> {
    if (typeof value !== 'number') throw new ValueError(`tuner trial ${this.number}: report expects a number; got ${String(value)}`);
    this.intermediate.push(value);
    const stop = await this.reporter.report(this.intermediate.length, value);
    if (stop) this.pruned = true;
    return stop;
  }
}

/** Reports the monitored log after each epoch and stops training when pruned. */
class TrialCallback extends Callback {
  constructor(private readonly trial: Trial, private readonly objective: string) {
    super();
  }

  override setModel(model: CallbackModel): void {
    super.setModel(model);
    this.trial.model = model as unknown as SavableModel;
  }

  override async onEpochEnd(_epoch: number, logs: Logs): Promise<void> {
    if (this.objective === 'value') return;
    const v = logs?.[this.objective];
    if (v === undefined) {
      const names = Object.keys(logs ?? {}).join(', ');
      throw new ValueError(`tuner trial ${this.trial.number}: the objective '${this.objective}' is not in the epoch logs (${names}); pass validation data for val_* objectives, or name a logged value`);
    }
    if (await this.trial.report(v) && this.model) this.model.stopTraining = true;
  }
}

/** What a finished trial sends back. */
export interface TrialOutcome {
  /** The objective (absent when the trial failed). */
  value?: number;
  /** The objective after each epoch. */
  intermediate: number[];
  /** Epochs trained. */
  epochs: number;
  /** Whether the pruner stopped the trial. */
  pruned: boolean;
  /** The trained model's artifacts, when `keepModel` asked for them and the trial was not pruned. */
  artifacts?: tf.io.ModelArtifacts;
  /** The error message, when the trial failed. */
  error?: string;
}

/** A search's trial function: trains with `hp` and returns its History (or the objective). */
export type RunFn = (hp: Params, trial: Trial) => Promise<History | number> | History | number;

/**
 * Runs one trial on this thread: calls `run`, derives the objective (the best epoch of the
 * monitored log, or the returned number), saves the model's artifacts when asked, and
 * disposes the model (the search owns it once the trial ends).
 */
export async function runTrial(run: RunFn, info: TrialInfo, reporter: TrialReporter, extra: (t: Trial) => Callback[] = () => []): Promise<TrialOutcome> {
  const trial = new Trial(info, reporter, []);
  trial.callbacks.push(...extra(trial));
  try {
    const result = await run(info.params, trial);
    let value: number | undefined;
    let intermediate = trial.intermediate;
    let epochs = intermediate.length;
    if (typeof result === 'number') {
      value = result;
    } else if (result && typeof result === 'object' && 'history' in result) {
      const series = result.history[info.objective];
      if (!series) {
        throw new ValueError(`tuner trial ${info.number}: the History has no '${info.objective}' (it has ${Object.keys(result.history).join(', ')}); pass validation data for val_* objectives`);
      }
      if (intermediate.length === 0) intermediate = [...series];
      epochs = Math.max(epochs, result.epoch.length);
      value = bestOf(series, info.direction);
    } else {
      throw new ValueError(`tuner trial ${info.number}: run must return the fit History or a number; got ${String(result)}`);
    }
    if (value === undefined || !Number.isFinite(value)) throw new ValueError(`tuner trial ${info.number}: the objective is not a finite number (${String(value)})`);
    const artifacts = info.keepModel && trial.model && !trial.pruned ? await modelArtifacts(trial.model, { includeOptimizer: trial.model.optimizer !== undefined }) : undefined;
    return { value, intermediate, epochs, pruned: trial.pruned, ...(artifacts ? { artifacts } : {}) };
  } catch (e) {
    return { intermediate: trial.intermediate, epochs: trial.intermediate.length, pruned: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    const m = trial.model as { dispose?: () => void } | undefined;
    try {
      m?.dispose?.();
    } catch {
      // already disposed by the run function
    }
  }
}
