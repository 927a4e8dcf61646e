import { SerializationError } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';
import { WeightBudget, guardInitializers } from './budget.js';
import { configFromKeras, configToKeras, isJsonObject, own, type JsonObject, type KerasDialect } from './keras_config.js';
import { BUILTIN_LAYERS, type LayerRegistry } from './registry.js';

/** What building layers from a saved config needs. */
export interface BuildContext {
  /** Where class names are looked up. */
  registry: LayerRegistry;
  /** Values the weight file holds, checked before each weight is allocated. */
  budget: WeightBudget;
  /** Every layer made so far, so a failed load can free them all. */
  created: Layer[];
  /** Names the caller in errors, e.g. `loadModel`. */
  owner: string;
  /** When set, each model built records its layers here in the order of its saved config. */
  order?: Map<Layer, Layer[]>;
}

// Keras bookkeeping keys that change nothing when they hold these values.
const IGNORABLE: Readonly<Record<string, (v: unknown) => boolean>> = {
  sparse: (v) => v === false,
  ragged: (v) => v === false,
  autocast: (v) => typeof v === 'boolean',
  synchronized: (v) => v === false,
  renorm: (v) => v === false,
  fused: (v) => typeof v === 'boolean',
  groups: (v) => v === 1,
  inputDtype: (v) => v === 'float32',
};

// Keys only some classes carry, ignorable at these values.
const CLASS_IGNORABLE: Readonly<Record<string, Readonly<Record<string, (v: unknown) => boolean>>>> = {
  ReLU: { negativeSlope: (v) => v === 0, threshold: (v) => v === 0 },
  Conv2D: { groups: (v) => v === 1 },
  // The fill only matters with pad_to_aspect_ratio, which strata does not implement.
  Resizing: { padToAspectRatio: (v) => v === false, antialias: (v) => v === false, fillMode: () => true, fillValue: () => true },
};

// Keys of IGNORABLE that some classes implement, so other values go to the layer.
const CLASS_SUPPORTED: Readonly<Record<string, readonly string[]>> = {
  Conv2D: ['groups'],
  ReLU: ['negativeSlope', 'threshold'],
};

// Options that count output features: a layer with n of them has at least n weight values.
const SIZE_OPTION = /^(units|filters\w*|depthMultiplier)$/;

/**
 * Refuses feature counts larger than the whole weight file, before anything is made: it
 * also covers composite blocks, whose inner layers create weights with their defaults.
 */
function checkSizes(opts: Record<string, unknown>, budget: WeightBudget, where: string): void {
  for (const [k, v] of Object.entries(opts)) {
    if (SIZE_OPTION.test(k) && typeof v === 'number' && v > budget.total) {
      throw new SerializationError(`${where}: '${k}' = ${v} needs more weight values than the ${budget.total} the weight file holds`);
    }
  }
}

/** Reads Keras' `dtype` (a string, or a Keras 3 `DTypePolicy` object) as a dtype name. */
function readDtype(v: unknown): unknown {
  if (isJsonObject(v)) {
    const cfg = v.config;
    if (isJsonObject(cfg) && typeof cfg.name === 'string') return cfg.name;
  }
  return v;
}

/**
 * Makes a layer from a Keras `{ class_name, config }` entry: the class is looked up in the
 * registry, the config translated to camelCase options, and the built-in layers' weight
 * initializers replaced by budget-checked stand-ins. Config keys that the rebuilt layer
 * does not report back (options strata does not support, such as a kernel constraint) are
 * an error rather than silently dropped.
 * @throws SerializationError naming the layer for an unknown class or a bad config.
 */
export function layerFromKeras(className: string, config: JsonObject, ctx: BuildContext): Layer {
  const name = typeof config.name === 'string' ? config.name : '?';
  const where = `${ctx.owner}: layer '${name}' (${className})`;
  const cls = ctx.registry.require(className, `${ctx.owner}: layer '${name}'`);
  let opts = configFromKeras(className, config);
  if ('dtype' in opts) opts.dtype = readDtype(opts.dtype);
  const ignorable = { ...IGNORABLE, ...(own(CLASS_IGNORABLE, className) ?? {}) };
  for (const [k, accepts] of Object.entries(ignorable)) {
    if (!(k in opts)) continue;
    if (own(CLASS_SUPPORTED, className)?.includes(k) && !accepts(opts[k])) continue;
    if (!accepts(opts[k])) {
      throw new SerializationError(`${where}: config key '${k}' = ${JSON.stringify(opts[k])} is not supported`);
    }
    delete opts[k];
  }
  // Only the built-in layers' option contract is known well enough to swap their initializers.
  if (Object.values(BUILTIN_LAYERS).includes(cls)) {
    checkSizes(opts, ctx.budget, where);
    opts = guardInitializers(className, opts, ctx.budget, where);
  }
  let layer: Layer;
  try {
    layer = new cls(opts as never);
  } catch (e) {
    throw new SerializationError(`${where}: bad config: ${(e as Error).message}`);
  }
  ctx.created.push(layer);
  const known = new Set(Object.keys(layer.getConfig()));
  const unsupported = Object.keys(opts).filter((k) => !known.has(k));
  if (unsupported.length > 0) {
    throw new SerializationError(
      `${where}: config key(s) ${unsupported.map((k) => `'${k}'`).join(', ')} are not supported by ${layer.label}`,
    );
  }
  return layer;
}

/** A layer's Keras entry `{ class_name, config }` (config keys in snake_case). */
export function layerToKeras(layer: Layer, dialect: KerasDialect = 'tfjs'): { class_name: string; config: JsonObject } {
  const config = configToKeras(layer.className, layer.getConfig(), dialect);
  return { class_name: layer.className, config };
}
