import { ValueError } from '../../engine/errors.js';
import { CategoricalParzen, NumericParzen, ageWeights } from './parzen.js';
import { drawPrior, type SampleContext, type Sampler } from './sampler.js';
import { categories, fromInternal, internalRange, sampleSpace, toInternal, type Param, type ParamValue, type Params } from './space.js';
import type { TrialRecord } from './trial.js';

/** Options of the TPE sampler. */
export interface TpeOptions {
  /** Trials drawn at random before TPE starts modelling. Default 10 (Optuna's). */
  nStartupTrials?: number;
  /** Candidates drawn from the good-trial density per parameter; the best ratio wins. Default 24. */
  nEiCandidates?: number;
  /**
   * How many of `n` finished trials count as good. Default `min(ceil(0.1 n), 25)` (Optuna's).
   */
  gamma?: (n: number) => number;
  /** Weight of the prior component in each density. Default 1. */
  priorWeight?: number;
}

/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl 2011), the sampler
 * of Hyperopt and Optuna's default. Finished trials are split into the best `gamma(n)`
 * ("good", density l(x)) and the rest ("bad", g(x)); for each parameter, candidates are drawn
 * from l and the one maximising l(x)/g(x) — the expected improvement under this model — is
 * kept. Parameters are modelled independently, each from the trials where it was active,
 * which is what makes conditional sub-spaces work.
 */
export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  /** Trials drawn at random before TPE starts modelling. */
  readonly nStartupTrials: number;
  /** Candidates drawn from the good-trial density per parameter. */
  readonly nEiCandidates: number;
  /** How many of `n` finished trials count as good. */
  readonly gamma: (n: number) => number;
  /** Weight of the prior component in each density. */
  readonly priorWeight: number;

  constructor(opts: TpeOptions = {}) {
    this.nStartupTrials = opts.nStartupTrials ?? 10;
    this.nEiCandidates = opts.nEiCandidates ?? 24;
    this.gamma = opts.gamma ?? ((n) => Math.min(Math.ceil(0.1 * n), 25));
    this.priorWeight = opts.priorWeight ?? 1;
    if (!Number.isInteger(this.nStartupTrials) || this.nStartupTrials < 0) throw new ValueError(`tuner tpe: 'nStartupTrials' must be an integer >= 0; got ${String(opts.nStartupTrials)}`);
    if (!Number.isInteger(this.nEiCandidates) || this.nEiCandidates < 1) throw new ValueError(`tuner tpe: 'nEiCandidates' must be an integer >= 1; got ${String(opts.nEiCandidates)}`);
    if (!(this.priorWeight > 0)) throw new ValueError(`tuner tpe: 'priorWeight' must be > 0; got ${String(opts.priorWeight)}`);
  }

  sample(ctx: SampleContext): Params {
    const finished = ctx.trials.filter((t) => t.state === 'complete' || t.state === 'pruned');
    if (finished.length < this.nStartupTrials || finished.length === 0) {
      return sampleSpace(ctx.space, (_n, p) => drawPrior(p, ctx.rng));
    }
    const ranked = rank(finished, ctx.direction);
    const nGood = Math.max(1, Math.min(ranked.length, this.gamma(ranked.length)));
    const good = ranked.slice(0, nGood).sort((a, b) => a.number - b.number);
    const bad = ranked.slice(nGood).sort((a, b) => a.number - b.number);
    return sampleSpace(ctx.space, (name, p) => this.sampleParam(name, p, good, bad, ctx));
  }

  private sampleParam(name: string, p: Param, good: TrialRecord[], bad: TrialRecord[], ctx: SampleContext): ParamValue {
    const goodObs = good.filter((t) => name in t.params).map((t) => t.params[name]!);
    const badObs = bad.filter((t) => name in t.params).map((t) => t.params[name]!);
    if (p.kind === 'choice' || p.kind === 'conditional') {
      const cats = categories(p);
      const index = (v: ParamValue) => cats.findIndex((c) => c === v);
      const gi = goodObs.map(index).filter((i) => i >= 0);
      const bi = badObs.map(index).filter((i) => i >= 0);
      const l = new CategoricalParzen(gi, ageWeights(gi.length), cats.length, this.priorWeight);
      const g = new CategoricalParzen(bi, ageWeights(bi.length), cats.length, this.priorWeight);
      let best = 0;
      let bestScore = -Infinity;
      for (let k = 0; k < this.nEiCandidates; k++) {
        const c = l.sample(ctx.rng);
        const score = l.logPdf(c) - g.logPdf(c);
        if (score > bestScore) [best, bestScore] = [c, score];
      }
      return cats[best]!;
    }
    const { low, high } = internalRange(p);
    const gx = goodObs.map((v) => toInternal(p, v as number));
    const bx = badObs.map((v) => toInternal(p, v as number));
    const l = new NumericParzen(gx, ageWeights(gx.length), low, high, this.priorWeight);
    const g = new NumericParzen(bx, ageWeights(bx.length), low, high, this.priorWeight);
    let best = l.sample(ctx.rng);
    let bestScore = -Infinity;
    for (let k = 0; k < this.nEiCandidates; k++) {
      const x = k === 0 ? best : l.sample(ctx.rng);
      const score = l.logPdf(x) - g.logPdf(x);
      if (score > bestScore) [best, bestScore] = [x, score];
    }
    return fromInternal(p, best);
  }
}

/**
 * Finished trials best first: complete ones by objective, then pruned ones, those that got
 * further first and, among equals, by their last reported value.
 */
function rank(trials: readonly TrialRecord[], direction: 'min' | 'max'): TrialRecord[] {
  const sign = direction === 'min' ? 1 : -1;
  const key = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? Infinity : sign * v);
  const complete = trials.filter((t) => t.state === 'complete').sort((a, b) => key(a.value) - key(b.value) || a.number - b.number);
  const pruned = trials.filter((t) => t.state === 'pruned').sort((a, b) =>
    b.intermediate.length - a.intermediate.length || key(a.intermediate.at(-1)) - key(b.intermediate.at(-1)) || a.number - b.number);
  return [...complete, ...pruned];
}
