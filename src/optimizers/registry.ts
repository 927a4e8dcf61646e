import { SerializationError, StrataError, ValueError } from '../engine/errors.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { Momentum } from './momentum.js';
import { Optimizer, type LearningRateSchedule } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import {
  CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay,
} from './schedules.js';
import { SGD } from './sgd.js';

/** Optimizer names `getOptimizer` accepts (also in snake_case and any letter case). */
export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

const BY_NAME: Record<OptimizerName, () => Optimizer> = {
  sgd: () => new SGD(),
  momentum: () => new Momentum(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  rmsprop: () => new RMSprop(),
  adagrad: () => new Adagrad(),
};

const normalize = (s: string): string => s.replace(/_/g, '').toLowerCase();

/** `table[key]` when `key` is the table's own entry: never an `Object.prototype` member such as `constructor`. */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/**
 * Resolves an optimizer given by name (with Keras default options) or passes an
 * `Optimizer` through unchanged.
 * @param id - `'sgd' | 'momentum' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad'`, in camelCase or
 *   snake_case, any letter case (`'RMSprop'`, `'adam_w'`), or an optimizer instance.
 * @throws ValueError for an unknown name, listing the known ones.
 * @example
 * ```ts
 * st.optimizers.getOptimizer('rmsprop').currentLearningRate(); // 0.001
 * ```
 */
export function getOptimizer(id: OptimizerName | string | Optimizer): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id === 'string') {
    const make = own(BY_NAME, normalize(id));
    if (make) return make();
  }
  const shown = typeof id === 'string' ? `'${id}'` : String(id);
  throw new ValueError(`getOptimizer: unknown optimizer ${shown}; expected one of ${Object.keys(BY_NAME).join(', ')} or an Optimizer`);
}

type Config = Record<string, unknown>;

// Keras writes `clipnorm`, `global_clipnorm`; tfjs-core writes `useNesterov`.
const RENAMED: Record<string, string> = { clipnorm: 'clipNorm', clipvalue: 'clipValue', globalClipnorm: 'globalClipNorm', useNesterov: 'nesterov' };

// Bookkeeping keys of Keras configs that carry no optimizer math when left at these values.
const IGNORED: Record<string, (v: unknown) => boolean> = {
  name: () => true,
  isLegacyOptimizer: () => true,
  jitCompile: () => true,
  emaMomentum: () => true,
  emaOverwriteFrequency: () => true,
  useEma: (v) => v === false,
  lossScaleFactor: (v) => v === null,
  gradientAccumulationSteps: (v) => v === null || v === 1,
  decay: (v) => v === 0,
};

function camel(key: string): string {
  const c = key.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
  return own(RENAMED, c) ?? c;
}

function readConfig(owner: string, className: string, config: unknown): Config {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new SerializationError(`${owner}: config of '${className}' must be an object; got ${String(config)}`);
  }
  const out: Config = {};
  for (const [k, v] of Object.entries(config as Config)) {
    if (v === null && k !== 'lossScaleFactor' && k !== 'loss_scale_factor') continue;
    out[camel(k)] = v;
  }
  return out;
}

function construct<T>(owner: string, className: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof StrataError) throw new SerializationError(`${owner}: bad config for '${className}': ${e.message}`);
    throw e;
  }
}

const SCHEDULES: Record<string, (c: Config) => LearningRateSchedule> = {
  exponentialdecay: (c) => new ExponentialDecay(c as never),
  piecewiseconstantdecay: (c) => new PiecewiseConstantDecay(c as never),
  cosinedecay: (c) => new CosineDecay(c as never),
  polynomialdecay: (c) => new PolynomialDecay(c as never),
  inversetimedecay: (c) => new InverseTimeDecay(c as never),
  cosinedecayrestarts: (c) => new CosineDecayRestarts(c as never),
};

/**
 * Rebuilds a learning-rate schedule from its class name and config (camelCase or Keras
 * snake_case keys; Keras' `name` is ignored).
 * @throws SerializationError for an unknown class or a bad config.
 */
export function scheduleFromConfig(className: string, config: unknown): LearningRateSchedule {
  const owner = 'scheduleFromConfig';
  const make = typeof className === 'string' ? own(SCHEDULES, normalize(className)) : undefined;
  if (!make) {
    throw new SerializationError(`${owner}: unknown schedule class '${String(className)}'; expected one of ExponentialDecay, PiecewiseConstantDecay, CosineDecay, PolynomialDecay, InverseTimeDecay, CosineDecayRestarts`);
  }
  const c = readConfig(owner, className, config);
  delete c.name;
  return construct(owner, className, () => make(c));
}

function readLearningRate(owner: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const v = value as Config;
  const className = v.className ?? v.class_name;
  if (typeof className !== 'string') {
    throw new SerializationError(`${owner}: 'learningRate' must be a number or { className, config }; got ${JSON.stringify(value)}`);
  }
  return scheduleFromConfig(className, v.config);
}

const OPTIMIZERS: Record<string, (c: Config) => Optimizer> = {
  sgd: (c) => {
    if (typeof c.momentum === 'number' && c.momentum > 0) return new Momentum(c);
    delete c.momentum;
    delete c.nesterov;
    return new SGD(c);
  },
  momentum: (c) => new Momentum(c),
  adam: (c) => new Adam(c),
  adamw: (c) => new AdamW(c),
  rmsprop: (c) => new RMSprop(c),
  adagrad: (c) => new Adagrad(c),
};

/**
 * Rebuilds an optimizer from a saved class name and config, for loading models. Reads
 * strata's own configs (`getConfig()` with `className`), Keras configs (snake_case keys,
 * `SGD` with `momentum` becomes `Momentum`) and tfjs-core names (`RMSProp` with `decay`,
 * `Momentum` with `useNesterov`). Keras bookkeeping keys (`name`, `use_ema: false`, …) are
 * ignored; anything that would change the math and is not supported is an error.
 * @throws SerializationError for an unknown class or a bad config.
 * @example
 * ```ts
 * const again = st.optimizers.optimizerFromConfig(opt.className, opt.getConfig());
 * ```
 */
export function optimizerFromConfig(className: string, config: unknown): Optimizer {
  const owner = 'optimizerFromConfig';
  const key = typeof className === 'string' ? normalize(className) : '';
  const make = own(OPTIMIZERS, key);
  if (!make) {
    throw new SerializationError(`${owner}: unknown optimizer class '${String(className)}'; expected one of SGD, Momentum, Adam, AdamW, RMSprop, Adagrad`);
  }
  const c = readConfig(owner, className, config);
  // tfjs-core's RMSProp calls the squared-gradient decay `decay`.
  if (key === 'rmsprop' && className === 'RMSProp' && 'decay' in c && !('rho' in c)) {
    c.rho = c.decay;
    delete c.decay;
  }
  for (const [k, accepts] of Object.entries(IGNORED)) {
    if (!(k in c)) continue;
    if (!accepts(c[k])) {
      throw new SerializationError(`${owner}: '${className}' config key '${k}' = ${JSON.stringify(c[k])} is not supported`);
    }
    delete c[k];
  }
  if ('learningRate' in c) c.learningRate = readLearningRate(owner, c.learningRate);
  return construct(owner, className, () => make(c));
}
