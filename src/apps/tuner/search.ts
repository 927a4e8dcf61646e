import { ValueError } from '../../engine/errors.js';
import type { Callback } from '../../training/callbacks/callback.js';
import { InlineExecutor, type TrialExecutor } from './executor.js';
import { HyperbandPruner, MedianPruner, NopPruner, SuccessiveHalvingPruner, type Pruner } from './pruner.js';
import { makeRng } from './rng.js';
import { RandomSampler, type Sampler } from './sampler.js';
import { flattenSpace, type SearchSpace } from './space.js';
import { Study } from './study.js';
import { TpeSampler, type TpeOptions } from './tpe_sampler.js';
import type { Trial, RunFn, TrialInfo } from './trial_run.js';
import type { Direction, TrialRecord } from './trial.js';
import type { StudyStorage } from './storage.js';

/** Sampler names: random search, TPE, or Hyperband (random sampling + the Hyperband pruner, as KerasTuner's). */
export type SamplerName = 'random' | 'tpe' | 'hyperband';
/** Pruner names. */
export type PrunerName = 'none' | 'median' | 'successiveHalving' | 'hyperband';

/** Options of {@link search}. */
export interface SearchOptions {
  /** The search space: name → `choice`/`int`/`uniform`/`logUniform`/`quantized`/`conditional`. */
  space: SearchSpace;
  /**
   * Trains one trial: build a model from `hp`, fit it for `trial.epochs` epochs with
   * `callbacks: trial.callbacks`, and return the History (or the objective as a number).
   * Runs on this thread; for worker threads use the Node search's `module` instead.
   */
  run?: RunFn;
  /** Trials in all (a resumed study counts the ones it already has). Default 20. */
  trials?: number;
  /** `'tpe'` (default), `'random'`, `'hyperband'`, or a Sampler. */
  sampler?: SamplerName | Sampler;
  /** TPE settings (Optuna's defaults: 10 startup trials, 24 candidates). */
  tpe?: TpeOptions;
  /** Early stopping of poor trials: `'none'` (default; `'hyperband'` with the hyperband sampler), `'median'`, `'successiveHalving'`, `'hyperband'`, or a Pruner. */
  pruner?: PrunerName | Pruner;
  /** The log to optimise (`'val_loss'`, `'val_accuracy'`, …), or `'value'` when `run` returns a number. Default `'val_loss'`. */
  objective?: string;
  /** `'min'` or `'max'`. Default: `'min'` for losses/errors and `'value'`, `'max'` for accuracy, AUC, precision, recall. */
  direction?: Direction;
  /** A trial's full epoch budget (`trial.epochs`; Hyperband's R). Default 10. */
  maxEpochs?: number;
  /** Seed for the samplers and each trial's `trial.seed`: a seeded search with `parallel: 1` repeats exactly. Default: random. */
  seed?: number;
  /** Trials run at once. Default 1. On this thread they only interleave; the Node search runs them on worker threads. */
  parallel?: number;
  /** Keep the best trial's trained model for {@link Study.bestModel}. Default true. */
  keepBestModel?: boolean;
  /** Where the study is saved after every trial and resumed from. Default: nowhere. */
  storage?: StudyStorage;
  /** Runs the trials (the Node search supplies worker threads). Default: this thread, with `run`. */
  executor?: TrialExecutor;
  /** More callbacks per trial, on this thread (e.g. a TensorBoard writer per trial). */
  callbacks?: (trial: Trial) => Callback[];
  /** Called after each trial with its record. */
  onTrialEnd?: (trial: TrialRecord, study: Study) => void | Promise<void>;
  /** 0 silent, 1 one line per trial. Default 1. */
  verbose?: 0 | 1;
}

/** The direction a log name implies. */
export function inferDirection(objective: string): Direction | undefined {
  if (/loss|error|mse|mae/i.test(objective) || objective === 'value') return 'min';
  if (/acc|auc|precision|recall|f1/i.test(objective)) return 'max';
  return undefined;
}

function makeSampler(s: SearchOptions['sampler'], tpe?: TpeOptions): Sampler {
  if (s === undefined || s === 'tpe') return new TpeSampler(tpe);
  if (s === 'random' || s === 'hyperband') return new RandomSampler();
  if (typeof s === 'object' && typeof s.sample === 'function') return s;
  throw new ValueError(`tuner.search: 'sampler' must be 'random', 'tpe', 'hyperband' or a Sampler; got ${JSON.stringify(s)}`);
}

function makePruner(p: SearchOptions['pruner'], sampler: SearchOptions['sampler'], maxEpochs: number): Pruner {
  const name = p ?? (sampler === 'hyperband' ? 'hyperband' : 'none');
  if (typeof name === 'object' && typeof name.shouldPrune === 'function') return name;
  switch (name) {
    case 'none': return new NopPruner();
    case 'median': return new MedianPruner();
    case 'successiveHalving': return new SuccessiveHalvingPruner();
    case 'hyperband': return new HyperbandPruner({ maxEpochs });
    default: throw new ValueError(`tuner.search: 'pruner' must be 'none', 'median', 'successiveHalving', 'hyperband' or a Pruner; got ${JSON.stringify(p)}`);
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`tuner.search: '${name}' must be a positive integer; got ${String(v)}`);
  return v;
}

/**
 * Searches hyperparameters: asks the sampler for each trial's values, runs the trial,
 * reports its per-epoch objective to the pruner, records the result, and saves the study
 * after every trial. Returns the {@link Study}: `study.table()`, `study.best`,
 * `await study.bestModel()`.
 * @example
 * ```ts
 * const study = await st.tuner.search({
 *   space: { units: st.tuner.choice([64, 128, 256]), lr: st.tuner.logUniform(1e-4, 1e-2) },
 *   sampler: 'tpe', trials: 30, objective: 'val_accuracy', maxEpochs: 5, seed: 1,
 *   run: async (hp, trial) => {
 *     const net = buildNet(hp);
 *     return net.fit(x, y, { epochs: trial.epochs, validationSplit: 0.1, callbacks: trial.callbacks, verbose: 0 });
 *   },
 * });
 * console.log(study.table());
 * ```
 */
export async function search(opts: SearchOptions): Promise<Study> {
  const space = opts.space;
  if (!space || typeof space !== 'object') throw new ValueError(`tuner.search: 'space' must be an object of parameters; got ${String(space)}`);
  flattenSpace(space);
  const total = positiveInt('trials', opts.trials ?? 20);
  const parallel = positiveInt('parallel', opts.parallel ?? 1);
  const maxEpochs = positiveInt('maxEpochs', opts.maxEpochs ?? 10);
  const objective = opts.objective ?? 'val_loss';
  const direction = opts.direction ?? inferDirection(objective);
  if (direction !== 'min' && direction !== 'max') {
    throw new ValueError(`tuner.search: cannot tell whether '${objective}' is better small or large; pass direction: 'min' or 'max'`);
  }
  if (opts.seed !== undefined && !Number.isFinite(opts.seed)) throw new ValueError(`tuner.search: 'seed' must be a finite number; got ${opts.seed}`);
  const sampler = makeSampler(opts.sampler, opts.tpe);
  const pruner = makePruner(opts.pruner, opts.sampler, maxEpochs);
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const executor: TrialExecutor | undefined = opts.executor ?? (opts.run ? new InlineExecutor(opts.run, opts.callbacks) : undefined);
  if (!executor) throw new ValueError(`tuner.search: pass 'run' (the trial function)${opts.executor === undefined ? '' : ' or an executor'}`);
  const keepModel = opts.keepBestModel ?? true;
  const log = (opts.verbose ?? 1) > 0 ? (s: string) => console.log(s) : () => {};

  const saved = opts.storage ? await opts.storage.load() : undefined;
  const study = saved ? Study.fromJSON(saved) : new Study(objective, direction, space, { sampler: sampler.name, pruner: pruner.name, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  if (saved && (study.objective !== objective || study.direction !== direction)) {
    throw new ValueError(`tuner.search: the saved study optimises ${study.objective} (${study.direction}), not ${objective} (${direction}); use another storage path`);
  }
  if (saved && JSON.stringify(study.space) !== JSON.stringify(JSON.parse(JSON.stringify(space)))) {
    throw new ValueError('tuner.search: the saved study has a different search space; use another storage path');
  }
  // Trials that were running when a search stopped run again, with the same values.
  const redo = study.trials.filter((t) => t.state === 'running');
  const save = async () => opts.storage?.save(study.toJSON());

  const runOne = async (record: TrialRecord) => {
    record.state = 'running';
    record.intermediate = [];
    record.epochs = 0;
    record.startedAt = Date.now();
    const info: TrialInfo = {
      number: record.number, params: record.params, maxEpochs, objective, direction,
      seed: Math.floor(makeRng(seed, record.number, 7)() * 2 ** 31), keepModel,
    };
    const outcome = await executor.run(info, {
      report: async (epochs, value) => {
        record.intermediate[epochs - 1] = value;
        record.epochs = Math.max(record.epochs, epochs);
        // Stopping at the full budget would save nothing: the trial counts as complete.
        if (epochs >= maxEpochs) return false;
        return pruner.shouldPrune({ trial: record, trials: study.trials, direction });
      },
    });
    record.finishedAt = Date.now();
    record.intermediate = outcome.intermediate;
    record.epochs = outcome.epochs;
    if (outcome.error !== undefined) {
      record.state = 'failed';
      record.error = outcome.error;
    } else {
      record.state = outcome.pruned ? 'pruned' : 'complete';
      record.value = outcome.value;
      if (!outcome.pruned && outcome.artifacts && study.best === record) study.bestArtifacts = outcome.artifacts;
    }
    await save();
    const best = study.best;
    log(`trial ${record.number} ${record.state}${record.value !== undefined ? ` ${objective}=${record.value.toPrecision(4)}` : ''} (${record.epochs} epochs) ${JSON.stringify(record.params)}${record.error ? ` error: ${record.error}` : ''}${best ? `  best ${best.value!.toPrecision(4)} (trial ${best.number})` : ''}`);
    await opts.onTrialEnd?.(record, study);
  };

  const slot = async () => {
    for (;;) {
      let record = redo.shift();
      if (!record) {
        if (study.trials.length >= total) return;
        const number = study.trials.length;
        // The record joins the study before sampling finishes, so a parallel slot sees it.
        record = { number, params: {}, state: 'running', intermediate: [], epochs: 0, startedAt: Date.now() };
        study.trials.push(record);
        record.params = sampler.sample({ space, trials: study.trials.filter((t) => t !== record), direction, rng: makeRng(seed, number) });
        await save();
      }
      await runOne(record);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, executor.size ?? parallel) }, slot));
  } finally {
    await executor.close?.();
  }
  return study;
}
