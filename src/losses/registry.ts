import { SerializationError, ValueError } from '../engine/errors.js';
import {
  BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
  type BinaryCrossentropyOptions, type CategoricalCrossentropyOptions, type SparseCategoricalCrossentropyOptions,
} from './crossentropy.js';
import {
  BinaryFocalCrossentropy, CategoricalFocalCrossentropy,
  type BinaryFocalCrossentropyOptions, type CategoricalFocalCrossentropyOptions,
} from './focal.js';
import { CategoricalHinge, SquaredHinge } from './hinge.js';
import type { Loss } from './loss.js';
import { Hinge, Huber, MeanAbsoluteError, MeanSquaredError, type HuberOptions } from './regression.js';
import { LogCosh, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Poisson } from './regression_more.js';
import { CosineSimilarity, KLDivergence, type CosineSimilarityOptions } from './similarity.js';

/** A loss given by name (camelCase, Keras snake_case, class name or alias) or as an object. */
export type LossIdentifier = string | Loss;

type Maker = (cfg: Record<string, unknown>) => Loss;

interface Entry {
  canonical: string;
  className: string;
  aliases: string[];
  make: Maker;
  /** Whether the loss takes Keras' `axis` (others accept only -1 from a saved config). */
  axis?: boolean;
}

const ENTRIES: readonly Entry[] = [
  { canonical: 'meanSquaredError', className: 'MeanSquaredError', aliases: ['mse'], make: () => new MeanSquaredError() },
  { canonical: 'meanAbsoluteError', className: 'MeanAbsoluteError', aliases: ['mae'], make: () => new MeanAbsoluteError() },
  { canonical: 'huber', className: 'Huber', aliases: ['huberLoss'], make: (c) => new Huber(c as HuberOptions) },
  {
    canonical: 'binaryCrossentropy', className: 'BinaryCrossentropy', aliases: ['bce'], axis: true,
    make: (c) => new BinaryCrossentropy(c as BinaryCrossentropyOptions),
  },
  {
    canonical: 'categoricalCrossentropy', className: 'CategoricalCrossentropy', aliases: ['cce'], axis: true,
    make: (c) => new CategoricalCrossentropy(c as CategoricalCrossentropyOptions),
  },
  {
    canonical: 'sparseCategoricalCrossentropy', className: 'SparseCategoricalCrossentropy', aliases: ['scce'],
    make: (c) => new SparseCategoricalCrossentropy(c as SparseCategoricalCrossentropyOptions),
  },
  { canonical: 'hinge', className: 'Hinge', aliases: [], make: () => new Hinge() },
  { canonical: 'squaredHinge', className: 'SquaredHinge', aliases: [], make: () => new SquaredHinge() },
  { canonical: 'categoricalHinge', className: 'CategoricalHinge', aliases: [], make: () => new CategoricalHinge() },
  {
    canonical: 'meanAbsolutePercentageError', className: 'MeanAbsolutePercentageError', aliases: ['mape'],
    make: () => new MeanAbsolutePercentageError(),
  },
  {
    canonical: 'meanSquaredLogarithmicError', className: 'MeanSquaredLogarithmicError', aliases: ['msle'],
    make: () => new MeanSquaredLogarithmicError(),
  },
  { canonical: 'logCosh', className: 'LogCosh', aliases: [], make: () => new LogCosh() },
  { canonical: 'poisson', className: 'Poisson', aliases: [], make: () => new Poisson() },
  { canonical: 'klDivergence', className: 'KLDivergence', aliases: ['kld'], make: () => new KLDivergence() },
  {
    canonical: 'cosineSimilarity', className: 'CosineSimilarity', aliases: [], axis: true,
    make: (c) => new CosineSimilarity(c as CosineSimilarityOptions),
  },
  {
    canonical: 'binaryFocalCrossentropy', className: 'BinaryFocalCrossentropy', aliases: [], axis: true,
    make: (c) => new BinaryFocalCrossentropy(c as BinaryFocalCrossentropyOptions),
  },
  {
    canonical: 'categoricalFocalCrossentropy', className: 'CategoricalFocalCrossentropy', aliases: [], axis: true,
    make: (c) => new CategoricalFocalCrossentropy(c as CategoricalFocalCrossentropyOptions),
  },
];

/** `mean_squared_error`, `meanSquaredError`, `MeanSquaredError` all normalise to `meansquarederror`. */
function normalise(id: string): string {
  return id.replace(/_/g, '').toLowerCase();
}

const BY_KEY = new Map<string, Entry>();
for (const e of ENTRIES) {
  for (const n of [e.canonical, e.className, ...e.aliases]) BY_KEY.set(normalise(n), e);
}

/** Every name `getLoss` accepts, canonical names first. */
export function knownLossNames(): string[] {
  return [...ENTRIES.map((e) => e.canonical), ...ENTRIES.flatMap((e) => e.aliases)];
}

function isLoss(x: unknown): x is Loss {
  return typeof x === 'object' && x !== null && typeof (x as Loss).call === 'function'
    && typeof (x as Loss).checkShapes === 'function';
}

/**
 * Resolves a loss identifier. Names are matched ignoring case and underscores, so
 * `'categoricalCrossentropy'`, `'categorical_crossentropy'` and `'CategoricalCrossentropy'`
 * are the same; short aliases: `mse`, `mae`, `mape`, `msle`, `kld`, `bce`, `cce`, `scce`, `huber_loss`.
 * A `Loss` object is returned as is.
 * @throws ValueError for an unknown name, listing the known ones.
 * @example `st.losses.getLoss('sparse_categorical_crossentropy')`
 */
export function getLoss(id: LossIdentifier): Loss {
  if (isLoss(id)) return id;
  const e = typeof id === 'string' ? BY_KEY.get(normalise(id)) : undefined;
  if (!e) {
    throw new ValueError(
      `getLoss: unknown loss ${typeof id === 'string' ? `'${id}'` : String(id)}; expected a Loss object or one of ` +
        `${knownLossNames().join(', ')} (snake_case forms such as 'categorical_crossentropy' work too)`,
    );
  }
  return e.make({});
}

/** Keras snake_case config keys to camelCase; Keras-only bookkeeping keys are dropped. */
function readConfig(e: Entry, config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const key = k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (key === 'name' || key === 'reduction' || key === 'dtype' || v === null) continue;
    if (key === 'axis' && !e.axis) {
      if (v !== -1) {
        throw new SerializationError(`lossFromConfig: ${e.className} with axis ${String(v)} is not supported; only -1`);
      }
      continue;
    }
    out[key] = v;
  }
  return out;
}

/**
 * Rebuilds a loss from a saved `className` and config (camelCase or Keras snake_case keys).
 * Function-style names (`'categorical_crossentropy'`) are accepted as the class name too.
 * @throws SerializationError when the class is unknown or the config is invalid.
 */
export function lossFromConfig(className: string, config: Record<string, unknown> = {}): Loss {
  const e = typeof className === 'string' ? BY_KEY.get(normalise(className)) : undefined;
  if (!e) {
    throw new SerializationError(
      `lossFromConfig: unknown loss class '${String(className)}'; expected one of ${ENTRIES.map((x) => x.className).join(', ')}`,
    );
  }
  const cfg = readConfig(e, config ?? {});
  try {
    return e.make(cfg);
  } catch (err) {
    throw new SerializationError(`lossFromConfig: invalid config for ${e.className}: ${(err as Error).message}`);
  }
}
