import { ValueError } from '../../engine/errors.js';
import { bestOf, better, type Direction, type TrialRecord } from './trial.js';

/** What a pruner sees: the trial asking (its `intermediate` holds every epoch so far) and all trials. */
export interface PruneContext {
  /** The trial asking. */
  trial: TrialRecord;
  /** Every trial of the study so far. */
  trials: readonly TrialRecord[];
  /** Whether smaller or larger objectives are better. */
  direction: Direction;
}

/** Decides after each epoch whether a trial stops early (Optuna's pruners). */
export interface Pruner {
  /** A short name for the saved study. */
  readonly name: string;
  /** True to stop the trial now. */
  shouldPrune(ctx: PruneContext): boolean;
}

/** Never stops a trial. */
export class NopPruner implements Pruner {
  readonly name = 'none';
  shouldPrune(): boolean {
    return false;
  }
}

/** Options of {@link MedianPruner}. */
export interface MedianPrunerOptions {
  /** Complete trials needed before any pruning. Default 5. */
  nStartupTrials?: number;
  /** Epochs a trial always runs before it can be pruned. Default 0. */
  nWarmupSteps?: number;
}

/**
 * Stops a trial when its best value so far is worse than the median of the complete trials'
 * best values over the same number of epochs (Optuna `MedianPruner`, Google Vizier's
 * median stopping rule).
 */
export class MedianPruner implements Pruner {
  readonly name = 'median';
  /** Complete trials needed before any pruning. */
  readonly nStartupTrials: number;
  /** Epochs a trial always runs before it can be pruned. */
  readonly nWarmupSteps: number;

  constructor(opts: MedianPrunerOptions = {}) {
    this.nStartupTrials = opts.nStartupTrials ?? 5;
    this.nWarmupSteps = opts.nWarmupSteps ?? 0;
    nonNegInt('median', 'nStartupTrials', this.nStartupTrials);
    nonNegInt('median', 'nWarmupSteps', this.nWarmupSteps);
  }

  shouldPrune({ trial, trials, direction }: PruneContext): boolean {
    const step = trial.intermediate.length;
    if (step <= this.nWarmupSteps) return false;
    const complete = trials.filter((t) => t.state === 'complete' && t.number !== trial.number);
    if (complete.length < this.nStartupTrials) return false;
    const others = complete.map((t) => bestOf(t.intermediate.slice(0, step), direction)).filter((v): v is number => v !== undefined);
    if (others.length === 0) return false;
    const mine = bestOf(trial.intermediate, direction);
    if (mine === undefined) return true;
    return better(median(others), mine, direction);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function nonNegInt(owner: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new ValueError(`tuner ${owner} pruner: '${name}' must be an integer >= 0; got ${String(v)}`);
}

/** Options of {@link SuccessiveHalvingPruner}. */
export interface SuccessiveHalvingOptions {
  /** Epochs before the first rung. Default 1. */
  minEpochs?: number;
  /** η: a trial continues past a rung only when it is in the best 1/η there. Default 3. */
  reductionFactor?: number;
  /** s: the first rung is at `minEpochs · η^s` (Hyperband's bracket index). Default 0. */
  minEarlyStoppingRate?: number;
}

/**
 * Asynchronous successive halving (Li et al. 2020, "ASHA"): rungs at `minEpochs · η^(s+k)`
 * epochs; a trial reaching a rung continues only when its best value so far is among the
 * best `max(1, ⌊n/η⌋)` of the `n` trials that reached that rung (itself included), so the
 * first trial at a rung always continues. Trials never wait for one another.
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name: string = 'successiveHalving';
  /** Epochs before the first rung. */
  readonly minEpochs: number;
  /** η: the fraction 1/η of trials at a rung continues. */
  readonly reductionFactor: number;
  /** s: the first rung is at `minEpochs · η^s`. */
  readonly minEarlyStoppingRate: number;

  constructor(opts: SuccessiveHalvingOptions = {}, private readonly peers?: (t: TrialRecord) => boolean) {
    this.minEpochs = opts.minEpochs ?? 1;
    this.reductionFactor = opts.reductionFactor ?? 3;
    this.minEarlyStoppingRate = opts.minEarlyStoppingRate ?? 0;
    if (!Number.isInteger(this.minEpochs) || this.minEpochs < 1) throw new ValueError(`tuner successiveHalving pruner: 'minEpochs' must be an integer >= 1; got ${String(opts.minEpochs)}`);
    if (!(this.reductionFactor >= 2)) throw new ValueError(`tuner successiveHalving pruner: 'reductionFactor' must be >= 2; got ${String(opts.reductionFactor)}`);
    nonNegInt('successiveHalving', 'minEarlyStoppingRate', this.minEarlyStoppingRate);
  }

  /** Whether `epochs` is a rung epoch. */
  isRung(epochs: number): boolean {
    let r = this.minEpochs * this.reductionFactor ** this.minEarlyStoppingRate;
    while (r < epochs) r *= this.reductionFactor;
    return Math.abs(r - epochs) < 1e-9;
  }

  shouldPrune({ trial, trials, direction }: PruneContext): boolean {
    const step = trial.intermediate.length;
    if (!this.isRung(step)) return false;
    const mine = bestOf(trial.intermediate, direction);
    if (mine === undefined) return true;
    const competing = trials
      .filter((t) => t.number !== trial.number && t.intermediate.length >= step && (!this.peers || this.peers(t)))
      .map((t) => bestOf(t.intermediate.slice(0, step), direction))
      .filter((v): v is number => v !== undefined);
    competing.push(mine);
    const keep = Math.max(1, Math.floor(competing.length / this.reductionFactor));
    const sorted = competing.sort((a, b) => (direction === 'min' ? a - b : b - a));
    return better(sorted[keep - 1]!, mine, direction);
  }
}

/** Options of {@link HyperbandPruner}. */
export interface HyperbandOptions {
  /** The full budget of a trial, in epochs (R). Default: the search's `maxEpochs`. */
  maxEpochs?: number;
  /** Epochs before the most aggressive bracket's first rung (r). Default 1. */
  minEpochs?: number;
  /** η. Default 3. */
  reductionFactor?: number;
}

/**
 * Hyperband (Li et al. 2018) as a pruner: `⌊log_η(R/r)⌋ + 1` brackets of successive halving
 * with ever later first rungs, so that an aggressive bracket and a patient one hedge each
 * other. Trials are dealt to brackets in a fixed cycle, each bracket getting Hyperband's
 * share `⌈B · η^s / (s + 1)⌉` of it, and compete only within their bracket.
 */
export class HyperbandPruner implements Pruner {
  readonly name = 'hyperband';
  /** One successive-halving pruner per bracket, the most aggressive first. */
  readonly brackets: SuccessiveHalvingPruner[];
  private readonly cycle: number[];

  constructor(opts: HyperbandOptions & { maxEpochs: number }) {
    const r = opts.minEpochs ?? 1;
    const eta = opts.reductionFactor ?? 3;
    if (!(opts.maxEpochs >= r)) throw new ValueError(`tuner hyperband pruner: 'maxEpochs' must be >= minEpochs (${r}); got ${String(opts.maxEpochs)}`);
    const n = Math.floor(Math.log(opts.maxEpochs / r) / Math.log(eta) + 1e-9) + 1;
    this.cycle = [];
    this.brackets = [];
    for (let b = 0; b < n; b++) {
      const s = n - 1 - b;
      const share = Math.ceil((n * eta ** s) / (s + 1));
      for (let k = 0; k < share; k++) this.cycle.push(b);
      this.brackets.push(new SuccessiveHalvingPruner({ minEpochs: r, reductionFactor: eta, minEarlyStoppingRate: b }, (t) => this.bracketOf(t.number) === b));
    }
  }

  /** The bracket a trial number belongs to. */
  bracketOf(trialNumber: number): number {
    return this.cycle[trialNumber % this.cycle.length]!;
  }

  shouldPrune(ctx: PruneContext): boolean {
    return this.brackets[this.bracketOf(ctx.trial.number)]!.shouldPrune(ctx);
  }
}
