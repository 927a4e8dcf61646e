import { categories, fromInternal, internalRange, sampleSpace, type Param, type Params, type SearchSpace } from './space.js';
import type { Direction, TrialRecord } from './trial.js';
import type { Rng } from './rng.js';

/** What a sampler sees when asked for the next trial's values. */
export interface SampleContext {
  /** The search space. */
  space: SearchSpace;
  /** Every trial so far (running ones included), in start order. */
  trials: readonly TrialRecord[];
  /** Whether smaller or larger objectives are better. */
  direction: Direction;
  /** This trial's seeded random source. */
  rng: Rng;
}

/** Decides the values of the next trial (Optuna's sampler, KerasTuner's oracle). */
export interface Sampler {
  /** A short name for tables and the saved study. */
  readonly name: string;
  /** The next trial's parameter values. */
  sample(ctx: SampleContext): Params;
}

/** One value of `p`, drawn from its prior (uniform on the internal scale, or over categories). */
export function drawPrior(p: Param, rng: Rng): number | string | boolean {
  if (p.kind === 'choice' || p.kind === 'conditional') {
    const cats = categories(p);
    return cats[Math.min(cats.length - 1, Math.floor(rng() * cats.length))]!;
  }
  const { low, high } = internalRange(p);
  return fromInternal(p, low + rng() * (high - low));
}

/** Independent uniform draws from every parameter's prior (Bergstra & Bengio 2012). */
export class RandomSampler implements Sampler {
  readonly name = 'random';
  sample(ctx: SampleContext): Params {
    return sampleSpace(ctx.space, (_name, p) => drawPrior(p, ctx.rng));
  }
}
