import { SerializationError } from '../engine/errors.js';
import type { Layer } from '../engine/layer.js';
import { WeightBudget, guardInitializers } from './budget.js';
import { configFromKeras, configToKeras, isJsonObject, own, short, toSnakeCase, type JsonObject, type KerasDialect } from './keras_config.js';
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

/** Accepts a saved key's value when it changes nothing; sees the layer's other options too. */
type Accepts = (v: unknown, opts: Readonly<Record<string, unknown>>) => boolean;

const renormOff = (o: Readonly<Record<string, unknown>>) => o.renorm === undefined || o.renorm === false;
const isDefaultDtype = (v: unknown) => v === 'float32' || (isJsonObject(v) && isJsonObject(v.config) && v.config.name === 'float32');

// Keys Keras 2 / Keras 3 write that change nothing when they hold these values (a key
// holding `null` never gets here: nulls mean "not set" and are dropped). Any other value
// would change the math, and is refused with the layer, key and value named.
const IGNORABLE: Readonly<Record<string, Accepts>> = {
  sparse: (v) => v === false,
  ragged: (v) => v === false,
  optional: (v) => v === false,
  autocast: (v) => typeof v === 'boolean',
  synchronized: (v) => v === false,
  renorm: (v) => v === false,
  // Only read by batch renormalization, which is off.
  renormMomentum: (v, o) => renormOff(o) && typeof v === 'number',
  renormClipping: (v, o) => renormOff(o) && (isJsonObject(v) || v === undefined),
  fused: (v) => typeof v === 'boolean',
  groups: (v) => v === 1,
  inputDtype: (v) => v === 'float32',
  // Keras 3.x adds these to Dense / EinsumDense / Embedding / convolutions.
  loraRank: (v) => v === 0,
  loraAlpha: (v, o) => o.loraRank === undefined || o.loraRank === 0 || typeof v === 'number',
  quantizationConfig: () => false,
  dtypePolicy: isDefaultDtype,
  // Keras 3 writes it on every convolution and pooling layer; layers that take another layout
  // report it themselves (and so never get here).
  dataFormat: (v) => v === 'channelsLast',
};

// Keras 2 recurrent layers: `implementation` picks a kernel (1 or 2, the same math);
// `time_major: false` is strata's [batch, time, …] layout.
const KERAS2_RNN: Readonly<Record<string, Accepts>> = {
  implementation: (v) => v === 1 || v === 2,
  timeMajor: (v) => v === false,
};

// Keys only some classes carry, ignorable at these values.
const CLASS_IGNORABLE: Readonly<Record<string, Readonly<Record<string, Accepts>>>> = {
  SimpleRNN: KERAS2_RNN,
  LSTM: KERAS2_RNN,
  GRU: KERAS2_RNN,
  // Attention over the time axis of [batch, time, features] is axis 1 (Keras writes the
  // default as [1] once built); a gate is an extra sublayer strata does not have.
  MultiHeadAttention: { attentionAxes: (v) => [1, -2].includes(Number(Array.isArray(v) && v.length === 1 ? v[0] : v)), useGate: (v) => v === false },
  // Keras 3.1+: rms_scaling: true divides by the root mean square without centering.
  LayerNormalization: { rmsScaling: (v) => v === false },
  ReLU: { negativeSlope: (v) => v === 0, threshold: (v) => v === 0 },
  // The fill only matters with pad_to_aspect_ratio, which strata does not implement.
  Resizing: { padToAspectRatio: (v) => v === false, antialias: (v) => v === false, fillMode: () => true, fillValue: () => true },
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

// Options that hold a whole layer (a wrapper's `layer`, Bidirectional's `backward_layer`).
const NESTED_LAYER_OPTIONS = ['layer', 'backwardLayer'];

/** Wrappers nested deeper than this are refused (a hostile file could nest without end). */
const MAX_NESTING = 8;

/** A Keras layer entry nested in a config: `{ class_name, config, … }`. */
function isLayerEntry(v: unknown): v is JsonObject & { class_name: string; config: JsonObject } {
  return isJsonObject(v) && typeof v.class_name === 'string' && isJsonObject(v.config);
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
 * an error rather than silently dropped. Wrapped layers (a `layer` or `backward_layer` entry)
 * are made the same way, with the same checks; `within` names the wrapper in their errors.
 * @throws SerializationError naming the layer for an unknown class or a bad config.
 */
export function layerFromKeras(className: string, config: JsonObject, ctx: BuildContext, within?: string, depth = 0): Layer {
  const name = typeof config.name === 'string' ? config.name : '?';
  const where = `${ctx.owner}: layer '${name}' (${className})${within ? ` wrapped in '${within}'` : ''}`;
  if (depth > MAX_NESTING) throw new SerializationError(`${where}: wrapped layers are nested more than ${MAX_NESTING} deep`);
  const cls = ctx.registry.require(className, `${ctx.owner}: layer '${name}'`);
  let opts = configFromKeras(className, config);
  if ('dtype' in opts) opts.dtype = readDtype(opts.dtype);
  // Only the built-in layers' option contract is known well enough to swap their initializers.
  if (Object.values(BUILTIN_LAYERS).includes(cls)) {
    checkSizes(opts, ctx.budget, where);
    opts = guardInitializers(className, opts, ctx.budget, where);
  }
  const make = (o: Record<string, unknown>): Layer => {
    // Wrapped layers are made through this same function, so every check applies to them too.
    const withInner = { ...o };
    for (const k of NESTED_LAYER_OPTIONS) {
      const v = o[k];
      if (isLayerEntry(v)) withInner[k] = layerFromKeras(v.class_name, v.config, ctx, name, depth + 1);
    }
    let made: Layer;
    try {
      made = new cls(withInner as never);
    } catch (e) {
      throw new SerializationError(`${where}: bad config: ${(e as Error).message}`);
    }
    ctx.created.push(made);
    return made;
  };
  const layer = make(opts);
  // Keys the layer does not report back are either Keras bookkeeping at a no-op value
  // (dropped), or options strata lacks (refused, never silently dropped).
  const extra = (cls as { extraOptionKeys?: readonly string[] }).extraOptionKeys ?? [];
  const known = new Set([...Object.keys(layer.getConfig()), ...extra]);
  const ignorable = { ...IGNORABLE, ...(own(CLASS_IGNORABLE, className) ?? {}) };
  const unsupported: string[] = [];
  const dropped: string[] = [];
  for (const k of Object.keys(opts)) {
    if (known.has(k)) continue;
    const accepts = own(ignorable, k);
    if (!accepts) {
      unsupported.push(k);
    } else if (!accepts(opts[k], opts)) {
      throw new SerializationError(
        `${where}: config key '${toSnakeCase(k)}' = ${short(opts[k])} would change the layer's computation, which strata does not support`,
      );
    } else {
      dropped.push(k);
    }
  }
  if (unsupported.length > 0) {
    throw new SerializationError(
      `${where}: config key(s) ${unsupported.map((k) => `'${k}'`).join(', ')} are not supported by ${layer.label}`,
    );
  }
  if (dropped.length === 0) return layer;
  // Made again without the no-op keys, so the layer's own unknown-option check (run when it
  // joins a model) sees only options it has. Layers create no weights before they are built.
  const clean = { ...opts };
  for (const k of dropped) delete clean[k];
  forget(ctx, layer);
  return make(clean);
}

/** Drops a layer made before any weight (and the layers it wraps) from the layers a failed load frees. */
function forget(ctx: BuildContext, layer: Layer): void {
  for (const inner of layer.sublayers()) forget(ctx, inner);
  const i = ctx.created.indexOf(layer);
  if (i >= 0) ctx.created.splice(i, 1);
}

/** A layer's Keras entry `{ class_name, config }` (config keys in snake_case). */
export function layerToKeras(layer: Layer, dialect: KerasDialect = 'tfjs'): { class_name: string; config: JsonObject } {
  const config = configToKeras(layer.className, layer.getConfig(), dialect);
  return { class_name: layer.className, config };
}
