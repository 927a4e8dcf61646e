import type { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { modelFromArtifacts } from '../../io/load.js';
import type { LoadedModel } from '../../io/topology_load.js';
import type { Params, SearchSpace } from './space.js';
import { better, type Direction, type TrialRecord } from './trial.js';

/** The saved form of a study (what the JSON file holds). */
export interface StudyJSON {
  /** Format version. */
  format: 'strata-study';
  /** Format version number. */
  version: 1;
  /** The monitored log name (`val_accuracy`), or `'value'` for returned objectives. */
  objective: string;
  /** Whether smaller or larger objectives are better. */
  direction: Direction;
  /** The sampler's name. */
  sampler: string;
  /** The pruner's name. */
  pruner: string;
  /** The seed the search ran with, if any. */
  seed?: number;
  /** The search space, as plain data. */
  space: SearchSpace;
  /** Every trial, in start order. */
  trials: TrialRecord[];
}

/** Options of {@link Study.table}. */
export interface TableOptions {
  /** Rows shown (best first). Default all. */
  limit?: number;
  /** Include failed and running trials at the end. Default true. */
  all?: boolean;
}

function fmt(v: unknown): string {
  if (typeof v !== 'number') return v === undefined ? '' : String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toPrecision(4);
}

/**
 * The trials of a search and their results: `best`, `table()`, and the plain-JSON form that
 * is saved after every trial so an interrupted search resumes (Optuna's `Study`, KerasTuner's
 * oracle state).
 */
export class Study {
  /** Every trial, in start order. */
  readonly trials: TrialRecord[];
  /** The saved model of the best trial (its last epoch's weights), when the search kept it. */
  bestArtifacts?: tf.io.ModelArtifacts;

  constructor(
    /** The monitored log name, or `'value'`. */
    readonly objective: string,
    /** Whether smaller or larger is better. */
    readonly direction: Direction,
    /** The search space. */
    readonly space: SearchSpace,
    /** Sampler and pruner names, and the seed. */
    readonly meta: {
      /** The sampler's name. */
      sampler: string;
      /** The pruner's name. */
      pruner: string;
      /** The seed the search ran with, if any. */
      seed?: number;
    },
    trials: TrialRecord[] = [],
  ) {
    this.trials = trials;
  }

  /** The complete trials. */
  get complete(): TrialRecord[] {
    return this.trials.filter((t) => t.state === 'complete' && t.value !== undefined && Number.isFinite(t.value));
  }

  /** The best complete trial (the earliest among ties), or undefined before any completes. */
  get best(): TrialRecord | undefined {
    let best: TrialRecord | undefined;
    for (const t of this.complete) if (!best || better(t.value!, best.value!, this.direction)) best = t;
    return best;
  }

  /** The best trial's parameters. */
  get bestParams(): Params | undefined {
    return this.best?.params;
  }

  /** The best trial's objective. */
  get bestValue(): number | undefined {
    return this.best?.value;
  }

  /**
   * A fresh copy of the best trial's trained model (its weights after its last epoch,
   * compiled as it was), or undefined when no model was kept (a resumed study keeps none
   * from before the restart, unless the Node search saved it).
   */
  async bestModel(): Promise<LoadedModel | undefined> {
    return this.bestArtifacts ? modelFromArtifacts(this.bestArtifacts, {}, 'tuner bestModel') : undefined;
  }

  /** Epochs trained over all trials (the search's cost). */
  get totalEpochs(): number {
    return this.trials.reduce((s, t) => s + t.epochs, 0);
  }

  /** Trials sorted best first: complete by objective, then pruned, failed and running. */
  sorted(): TrialRecord[] {
    const order = { complete: 0, pruned: 1, failed: 2, running: 3 } as const;
    const sign = this.direction === 'min' ? 1 : -1;
    const key = (t: TrialRecord) => (t.value === undefined || !Number.isFinite(t.value) ? Infinity : sign * t.value);
    return [...this.trials].sort((a, b) => order[a.state] - order[b.state] || key(a) - key(b) || a.number - b.number);
  }

  /**
   * A text table of the trials, best first: trial number, state, objective, epochs and one
   * column per parameter (blank where a conditional parameter was inactive).
   */
  table(opts: TableOptions = {}): string {
    let rows = this.sorted();
    if (opts.all === false) rows = rows.filter((t) => t.state === 'complete' || t.state === 'pruned');
    if (opts.limit !== undefined) rows = rows.slice(0, opts.limit);
    const names = [...new Set(this.trials.flatMap((t) => Object.keys(t.params)))];
    const head = ['trial', 'state', this.objective, 'epochs', ...names];
    const body = rows.map((t) => [String(t.number), t.state, fmt(t.value), String(t.epochs), ...names.map((n) => fmt(t.params[n]))]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i < 4 && i !== 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
  }

  /** The study as plain JSON data. */
  toJSON(): StudyJSON {
    const { sampler, pruner, seed } = this.meta;
    return {
      format: 'strata-study', version: 1, objective: this.objective, direction: this.direction,
      sampler, pruner, ...(seed !== undefined ? { seed } : {}), space: this.space, trials: this.trials,
    };
  }

  /** A study from its JSON form (checks the format). */
  static fromJSON(json: unknown): Study {
    const j = json as Partial<StudyJSON> | null;
    if (!j || j.format !== 'strata-study' || j.version !== 1 || !Array.isArray(j.trials)) {
      throw new ValueError(`tuner: not a saved strata study (expected format 'strata-study' version 1); got ${JSON.stringify(json)?.slice(0, 80)}`);
    }
    return new Study(j.objective!, j.direction!, j.space!, { sampler: j.sampler!, pruner: j.pruner!, ...(j.seed !== undefined ? { seed: j.seed } : {}) }, j.trials);
  }
}
