import { ValueError } from '../../engine/errors.js';

/** A sampled hyperparameter value. */
export type ParamValue = number | string | boolean;

/** The values one trial runs with, by parameter name (a flat object, sub-space values included). */
export type Params = Record<string, ParamValue>;

/** One of a fixed list of values (Hyperopt `hp.choice`, Optuna `suggest_categorical`). */
export interface ChoiceParam {
  /** Discriminant: a choice. */
  readonly kind: 'choice';
  /** The values to pick from. */
  readonly values: readonly ParamValue[];
}

/** An integer in `[low, high]` on a grid of `step` (Optuna `suggest_int`). */
export interface IntParam {
  /** Discriminant: an integer. */
  readonly kind: 'int';
  /** Smallest value (inclusive). */
  readonly low: number;
  /** Largest value (inclusive). */
  readonly high: number;
  /** Grid spacing from `low`. */
  readonly step: number;
  /** Sample on a log scale (then `step` is 1). */
  readonly log: boolean;
}

/** A real number in `[low, high]`, optionally log-scaled and/or on a grid of `step`. */
export interface FloatParam {
  /** Discriminant: a real number. */
  readonly kind: 'float';
  /** Smallest value (inclusive). */
  readonly low: number;
  /** Largest value (inclusive). */
  readonly high: number;
  /** Sample `log(x)` uniformly (Hyperopt `loguniform`). */
  readonly log: boolean;
  /** Grid spacing from `low` (Hyperopt `quniform`), or undefined for continuous values. */
  readonly step?: number;
}

/**
 * A choice between named branches, each with its own sub-space whose parameters exist only
 * when that branch is picked (Hyperopt's nested `hp.choice`).
 */
export interface ConditionalParam {
  /** Discriminant: a conditional. */
  readonly kind: 'conditional';
  /** Sub-space per branch name. */
  readonly branches: Readonly<Record<string, SearchSpace>>;
}

/** Any hyperparameter distribution. */
export type Param = ChoiceParam | IntParam | FloatParam | ConditionalParam;

/** A search space: parameter name → distribution. */
export type SearchSpace = Readonly<Record<string, Param>>;

function finite(owner: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`tuner.${owner}: '${name}' must be a finite number; got ${String(v)}`);
  return v;
}

function bounds(owner: string, low: number, high: number): void {
  finite(owner, 'low', low);
  finite(owner, 'high', high);
  if (!(low <= high)) throw new ValueError(`tuner.${owner}: expected low <= high; got low ${low}, high ${high}`);
}

/**
 * One of `values`, each equally likely a priori.
 * @example `st.tuner.choice([64, 128, 256])`
 */
export function choice(values: readonly ParamValue[]): ChoiceParam {
  if (!Array.isArray(values) || values.length === 0) throw new ValueError(`tuner.choice: expected a non-empty array of values; got ${JSON.stringify(values)}`);
  for (const v of values) {
    if (!['number', 'string', 'boolean'].includes(typeof v)) throw new ValueError(`tuner.choice: values must be numbers, strings or booleans; got ${JSON.stringify(v)}`);
  }
  return { kind: 'choice', values: [...values] };
}

/** Options of {@link int}. */
export interface IntOptions {
  /** Grid spacing from `low`. Default 1. */
  step?: number;
  /** Log-scaled (needs `low >= 1` and step 1). Default false. */
  log?: boolean;
}

/**
 * An integer in `[low, high]` (both inclusive).
 * @example `st.tuner.int(32, 512, { log: true })`
 */
export function int(low: number, high: number, opts: IntOptions = {}): IntParam {
  bounds('int', low, high);
  const step = opts.step ?? 1;
  const log = opts.log ?? false;
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new ValueError(`tuner.int: low and high must be integers; got ${low}, ${high}`);
  if (!Number.isInteger(step) || step < 1) throw new ValueError(`tuner.int: 'step' must be a positive integer; got ${String(opts.step)}`);
  if (log && (low < 1 || step !== 1)) throw new ValueError(`tuner.int: log scale needs low >= 1 and step 1; got low ${low}, step ${step}`);
  return { kind: 'int', low, high: low + Math.floor((high - low) / step) * step, step, log };
}

/** A real number, uniform in `[low, high]`. */
export function uniform(low: number, high: number): FloatParam {
  bounds('uniform', low, high);
  return { kind: 'float', low, high, log: false };
}

/**
 * A positive real number whose logarithm is uniform: `logUniform(1e-4, 1e-1)` is as likely
 * to fall in `[1e-4, 1e-3]` as in `[1e-2, 1e-1]`. Takes the bounds themselves (not their
 * logs, unlike Hyperopt's `loguniform`).
 */
export function logUniform(low: number, high: number): FloatParam {
  bounds('logUniform', low, high);
  if (low <= 0) throw new ValueError(`tuner.logUniform: low must be > 0; got ${low}`);
  return { kind: 'float', low, high, log: true };
}

/**
 * A real number in `[low, high]` rounded to a grid of `step` from `low` (Hyperopt
 * `quniform`): `quantized(0, 0.5, 0.1)` gives 0, 0.1, …, 0.5.
 */
export function quantized(low: number, high: number, step: number): FloatParam {
  bounds('quantized', low, high);
  if (finite('quantized', 'step', step) <= 0) throw new ValueError(`tuner.quantized: 'step' must be > 0; got ${step}`);
  const n = Math.floor((high - low) / step + 1e-9);
  return { kind: 'float', low, high: low + n * step, log: false, step };
}

/**
 * A choice between named branches with their own parameters: the parameter takes the
 * branch name, and the branch's parameters join the trial's values only when it is picked.
 * @example
 * ```ts
 * optimizer: st.tuner.conditional({
 *   adam: { lr: st.tuner.logUniform(1e-4, 1e-2) },
 *   sgd: { lr: st.tuner.logUniform(1e-3, 1e-1), momentum: st.tuner.uniform(0, 0.95) },
 * })
 * ```
 * Parameter names must be unique across the whole space (here `lr` is not: name them
 * `adamLr` and `sgdLr`).
 */
export function conditional(branches: Record<string, SearchSpace>): ConditionalParam {
  if (typeof branches !== 'object' || branches === null || Object.keys(branches).length === 0) {
    throw new ValueError(`tuner.conditional: expected an object of branch name → sub-space; got ${JSON.stringify(branches)}`);
  }
  return { kind: 'conditional', branches };
}

/** Every parameter of a space, sub-spaces included, by its (unique) name. */
export function flattenSpace(space: SearchSpace, into: Map<string, Param> = new Map()): Map<string, Param> {
  for (const [name, p] of Object.entries(space)) {
    if (into.has(name)) throw new ValueError(`tuner: parameter '${name}' appears twice in the search space; names must be unique across sub-spaces`);
    if (!p || typeof p !== 'object' || !['choice', 'int', 'float', 'conditional'].includes((p as Param).kind)) {
      throw new ValueError(`tuner: parameter '${name}' must be made by st.tuner.choice/int/uniform/logUniform/quantized/conditional; got ${JSON.stringify(p)}`);
    }
    into.set(name, p);
    if (p.kind === 'conditional') for (const sub of Object.values(p.branches)) flattenSpace(sub, into);
  }
  return into;
}

/**
 * Samples a space in order, walking into the picked branch of each conditional.
 * `draw(name, param)` returns the value of one parameter (a branch name for a conditional).
 */
export function sampleSpace(space: SearchSpace, draw: (name: string, p: Param) => ParamValue, into: Params = {}): Params {
  for (const [name, p] of Object.entries(space)) {
    const v = draw(name, p);
    into[name] = v;
    if (p.kind === 'conditional') {
      const branch = p.branches[String(v)];
      if (!branch) throw new ValueError(`tuner: parameter '${name}' has no branch '${String(v)}'; branches are ${Object.keys(p.branches).join(', ')}`);
      sampleSpace(branch, draw, into);
    }
  }
  return into;
}

/** The categories of a choice or conditional parameter. */
export function categories(p: ChoiceParam | ConditionalParam): readonly ParamValue[] {
  return p.kind === 'choice' ? p.values : Object.keys(p.branches);
}

/** The numeric range a sampler works in: logs for log-scaled parameters, widened by half a step for grids. */
export function internalRange(p: IntParam | FloatParam): { low: number; high: number } {
  const half = p.kind === 'int' ? p.step / 2 : (p.step ?? 0) / 2;
  if (p.log) return { low: Math.log(p.low - half), high: Math.log(p.high + half) };
  return { low: p.low - half, high: p.high + half };
}

/** Maps a value from the sampler's internal scale back to a valid parameter value (rounds to the grid, clips). */
export function fromInternal(p: IntParam | FloatParam, x: number): number {
  let v = p.log ? Math.exp(x) : x;
  const step = p.kind === 'int' ? p.step : p.step;
  if (step !== undefined) {
    v = p.low + Math.round((v - p.low) / step) * step;
    if (p.kind === 'float') v = Number(v.toPrecision(12));
  }
  return Math.min(p.high, Math.max(p.low, v));
}

/** A value's position on the sampler's internal scale. */
export function toInternal(p: IntParam | FloatParam, v: number): number {
  return p.log ? Math.log(v) : v;
}
