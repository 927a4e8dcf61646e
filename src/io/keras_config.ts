/**
 * Translation between strata's layer configs (camelCase keys, `getConfig()` output) and
 * Keras configs (snake_case keys and Keras value spellings), as found in tfjs-layers
 * `model.json` files and Keras `.keras` / `.h5` files.
 * @module
 */

/** A JSON value as it appears in a saved config. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Which writer a config is meant for: tfjs-layers / Keras 2 `model.json`, or Keras 3 `.keras`. */
export type KerasDialect = 'tfjs' | 'keras3';

/** `kernelSize` → `kernel_size`, `batchInputShape` → `batch_input_shape`. Digits stay attached: `beta1`. */
export function toSnakeCase(key: string): string {
  return key
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** `kernel_size` → `kernelSize`, `beta_1` → `beta1`. Keys without underscores are kept. */
export function toCamelCase(key: string): string {
  return key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A value for error messages, cut short. */
export function short(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A Keras-serialized object (`{ class_name, config }`): initializers, regularizers, dtype policies. */
function isKerasObject(v: JsonObject): boolean {
  return typeof v.class_name === 'string' || typeof v.className === 'string';
}

// Enumerated option values whose Keras spelling differs from strata's.
const VALUE_SPELLINGS: Record<string, [strata: string, keras: string][]> = {
  dataFormat: [['channelsLast', 'channels_last'], ['channelsFirst', 'channels_first']],
};

// Keys that tfjs-layers or Keras spell differently for one class, as [strata, keras].
const KEY_RENAMES: Record<KerasDialect, Record<string, [strata: string, keras: string][]>> = {
  tfjs: {},
  keras3: {
    LeakyReLU: [['alpha', 'negative_slope']],
  },
};

// Names Keras 2, Keras 3 and tfjs-layers use for the same option of one class when reading.
const LOAD_ALIASES: Record<string, Record<string, string>> = {
  LeakyReLU: { negativeSlope: 'alpha' },
};

/** `table[key]` when `key` is the table's own (never a prototype member such as `constructor`). */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

// Values Keras writes in another form than strata reads: tf.keras' built BatchNormalization
// saves its axis as a one-element list, Keras 3's MultiHeadAttention its output_shape.
const VALUE_FIXES: Record<string, (o: Record<string, unknown>) => void> = {
  BatchNormalization: (o) => {
    if (Array.isArray(o.axis) && o.axis.length === 1) o.axis = o.axis[0];
  },
  // Keras 3 keeps MultiHeadAttention's output_shape as a tuple: [8].
  MultiHeadAttention: (o) => {
    if (Array.isArray(o.outputShape) && o.outputShape.length === 1) o.outputShape = o.outputShape[0];
  },
};

function keyToKeras(key: string, className: string, dialect: KerasDialect): string {
  const renamed = own(KEY_RENAMES[dialect], className)?.find(([s]) => s === key);
  return renamed ? renamed[1] : toSnakeCase(key);
}

function valueToKeras(key: string, value: unknown): JsonValue {
  if (value === undefined) return null;
  if (typeof value === 'string') {
    const pair = own(VALUE_SPELLINGS, key)?.find(([s]) => s === value);
    return pair ? pair[1] : value;
  }
  if (Array.isArray(value)) return value.map((v) => valueToKeras(key, v));
  if (isJsonObject(value)) {
    if (isKerasObject(value)) return objectToKeras(value);
    return nestedToKeras(value);
  }
  return value as JsonValue;
}

/** Nested plain objects: keys snake_cased recursively, `className` → `class_name`. */
function nestedToKeras(o: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[toSnakeCase(k)] = valueToKeras(k, v);
  }
  return out;
}

/** A `{ className, config }` or `{ class_name, config }` object in Keras form. */
function objectToKeras(o: JsonObject): JsonObject {
  const className = (o.class_name ?? o.className) as string;
  const config = o.config;
  const out: JsonObject = { ...o };
  delete out.className;
  out.class_name = className;
  if (isJsonObject(config) && 'className' in o) out.config = nestedToKeras(config);
  return out;
}

/**
 * Converts a layer's `getConfig()` output to a Keras config: keys to snake_case, enumerated
 * values to Keras spellings (`channelsLast` → `channels_last`), nested `{ className, config }`
 * objects to `{ class_name, config }`. Already-Keras objects (`{ class_name, config }`, as
 * initializers serialize) pass through. `undefined` values are left out.
 */
export function configToKeras(className: string, config: object, dialect: KerasDialect = 'tfjs'): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    out[keyToKeras(k, className, dialect)] = valueToKeras(k, v);
  }
  return out;
}

function valueFromKeras(key: string, value: JsonValue): unknown {
  if (typeof value === 'string') {
    const pair = own(VALUE_SPELLINGS, key)?.find(([, k]) => k === value);
    return pair ? pair[0] : value;
  }
  if (Array.isArray(value)) return value.map((v) => valueFromKeras(key, v));
  if (isJsonObject(value)) {
    // Keras objects keep their Keras form: strata's initializer and regularizer lookups read it.
    if (isKerasObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || k === '__proto__') continue;
      const ck = toCamelCase(k);
      out[ck] = valueFromKeras(ck, v);
    }
    return out;
  }
  return value;
}

/**
 * Converts a Keras layer config to strata's camelCase options: keys to camelCase (with the
 * per-class aliases Keras 2, Keras 3 and tfjs-layers use, e.g. LeakyReLU's `negative_slope`
 * → `alpha`), enumerated values to strata's spellings, and `null` values dropped (Keras
 * writes `null` for "not set"). Nested Keras objects (initializers…) are kept as they are.
 */
export function configFromKeras(className: string, config: JsonObject): Record<string, unknown> {
  const aliases = own(LOAD_ALIASES, className) ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null || k === '__proto__') continue;
    const camel = toCamelCase(k);
    const key = own(aliases, camel) ?? camel;
    out[key] = valueFromKeras(key, v);
  }
  own(VALUE_FIXES, className)?.(out);
  return out;
}
