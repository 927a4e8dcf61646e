import { tf } from '../backend/tf.js';
import { SerializationError, StateError } from '../engine/errors.js';
import type { LayerWeight } from '../engine/weight.js';
import { getLoss, lossFromConfig } from '../losses/registry.js';
import { getMetric } from '../metrics/registry.js';
import type { Loss } from '../losses/loss.js';
import type { Metric } from '../metrics/metric.js';
import { optimizerFromConfig } from '../optimizers/registry.js';
import type { Optimizer, OptimizerStateEntry } from '../optimizers/optimizer.js';
import type { CompileOptions } from '../training/options.js';
import { configToKeras, isJsonObject, own, short, toCamelCase, toSnakeCase, type JsonObject, type JsonValue } from './keras_config.js';
import { decodeWeight, type CheckedWeights } from './weights.js';

/** What saving reads from a compiled model: its resolved compile settings. */
export interface CompiledModel {
  readonly label: string;
  readonly weights: LayerWeight[];
  readonly optimizer: Optimizer | undefined;
  /** The training half made by `compile` (strata's `Trainer`), if compiled. */
  readonly trainer?: {
    spec: { outputNames: string[]; losses: Loss[]; lossWeights: number[]; metrics: Metric[][]; weightedMetrics?: Metric[][] };
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A loss as Keras writes it: the function name when its config is the default, else `{ class_name, config }`. */
function lossToKeras(loss: Loss): JsonValue {
  let isDefault = false;
  try {
    isDefault = same(lossFromConfig(loss.className, {}).getConfig(), loss.getConfig());
  } catch {
    isDefault = false;
  }
  if (isDefault) return toSnakeCase(loss.name);
  return { class_name: loss.className, config: configToKeras(loss.className, loss.getConfig()) };
}

function perOutput<T>(values: T[], names: string[], write: (v: T) => JsonValue): JsonValue {
  if (names.length === 1) return write(values[0]!);
  return Object.fromEntries(names.map((n, i) => [n, write(values[i]!)]));
}

/**
 * The Keras-style training config of a compiled model (`loss`, `metrics`, `loss_weights`,
 * `optimizer_config`), as tfjs-layers stores it in `model.json`.
 * @throws StateError when the model is not compiled.
 */
export function trainingConfig(model: CompiledModel): JsonObject {
  const spec = model.trainer?.spec;
  const opt = model.optimizer;
  if (!spec || !opt) throw new StateError(`${model.label}.save: 'includeOptimizer' needs a compiled model; call compile() first`);
  const names = spec.outputNames;
  const metricNames = (ms: Metric[]): JsonValue => ms.map((m) => toSnakeCase(m.name));
  return {
    loss: perOutput(spec.losses, names, lossToKeras),
    metrics: names.length === 1 ? metricNames(spec.metrics[0] ?? []) : perOutput(spec.metrics, names, metricNames),
    loss_weights: spec.lossWeights.every((w) => w === 1) ? null : perOutput(spec.lossWeights, names, (w) => w),
    ...(spec.weightedMetrics?.some((ms) => ms.length > 0)
      ? { weighted_metrics: names.length === 1 ? metricNames(spec.weightedMetrics[0] ?? []) : perOutput(spec.weightedMetrics, names, metricNames) }
      : {}),
    optimizer_config: { class_name: opt.className, config: configToKeras(opt.className, opt.getConfig()) },
  };
}

/**
 * The optimizer's state as named tensors: `iterations`, and `<weight name>/<slot>` for each
 * slot (e.g. `dense/kernel/momentum`). Entries are slot-major (every weight's first slot,
 * then every weight's second…), the order tfjs-core's optimizers read positionally. The
 * caller owns and disposes the tensors.
 */
export function optimizerState(model: CompiledModel): { name: string; tensor: tf.Tensor }[] {
  const opt = model.optimizer!;
  const index = new Map<tf.Variable, number>(model.weights.map((w, i) => [w.variable, i]));
  const names = model.weights.map((w) => w.name);
  const iterations: { name: string; tensor: tf.Tensor }[] = [];
  const slots: { name: string; tensor: tf.Tensor; slot: number; weight: number }[] = [];
  for (const e of opt.getWeights()) {
    const i = e.variable === null ? undefined : index.get(e.variable);
    if (e.variable === null) iterations.push({ name: e.slot, tensor: e.value });
    else if (i === undefined) e.value.dispose();
    else slots.push({ name: `${names[i]}/${toSnakeCase(e.slot)}`, tensor: e.value, slot: opt.slotNames.indexOf(e.slot), weight: i });
  }
  slots.sort((a, b) => a.slot - b.slot || a.weight - b.weight);
  return [...iterations, ...slots.map(({ name, tensor }) => ({ name, tensor }))];
}

function readLoss(v: JsonValue, owner: string): Loss {
  if (typeof v === 'string') return getLoss(v);
  if (isJsonObject(v) && typeof v.class_name === 'string') {
    return lossFromConfig(v.class_name, isJsonObject(v.config) ? (v.config as Record<string, unknown>) : {});
  }
  throw new SerializationError(`${owner}: cannot read loss ${short(v)}`);
}

function readPerOutput<T>(v: JsonValue | undefined, names: string[], read: (x: JsonValue) => T, isSingle: (x: JsonValue) => boolean, owner: string, what: string): T[] | Record<string, T> {
  if (v === undefined || v === null) return names.map(() => read(null));
  if (isSingle(v)) return names.map(() => read(v));
  if (Array.isArray(v)) {
    if (v.length !== names.length) throw new SerializationError(`${owner}: training config '${what}' has ${v.length} entries for ${names.length} outputs`);
    return v.map(read);
  }
  if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, read(x)]));
  throw new SerializationError(`${owner}: cannot read training config '${what}': ${short(v)}`);
}

/**
 * Compile options from a Keras / tfjs-layers training config. Keras 2's `lr` is read as the
 * learning rate.
 * @throws SerializationError naming the part that cannot be read.
 */
export function compileOptionsFrom(tc: unknown, outputNames: string[], owner: string): CompileOptions {
  if (!isJsonObject(tc)) throw new SerializationError(`${owner}: the training config must be an object; got ${short(tc)}`);
  // Keras 3's compile_config calls it `optimizer`.
  const oc = tc.optimizer_config ?? tc.optimizerConfig ?? tc.optimizer;
  if (!isJsonObject(oc) || typeof (oc.class_name ?? oc.className) !== 'string') {
    throw new SerializationError(`${owner}: training config 'optimizer_config' must be { class_name, config }; got ${short(oc)}`);
  }
  const oconf: JsonObject = isJsonObject(oc.config) ? { ...oc.config } : {};
  if ('lr' in oconf && !('learning_rate' in oconf) && !('learningRate' in oconf)) {
    oconf.learning_rate = oconf.lr!;
    delete oconf.lr;
  }
  // Keras 2.11+ writes its new optimizers as `Custom>Adam`.
  const optimizer = optimizerFromConfig(((oc.class_name ?? oc.className) as string).replace(/^Custom>/, ''), oconf);
  const isLossSpec = (x: JsonValue) => typeof x === 'string' || (isJsonObject(x) && typeof x.class_name === 'string');
  const loss = readPerOutput(tc.loss, outputNames, (x) => readLoss(x, owner), isLossSpec, owner, 'loss');
  // Metrics strata cannot rebuild are left out: they only change what is logged.
  const metricList = (x: JsonValue): string[] => {
    if (x === null) return [];
    const list = Array.isArray(x) ? x.flat() : [x];
    return list.flatMap((m) => {
      const cfg = isJsonObject(m) && isJsonObject(m.config) ? m.config : undefined;
      const name = typeof m === 'string' ? m : typeof cfg?.name === 'string' ? cfg.name : isJsonObject(m) ? m.class_name : undefined;
      if (typeof name !== 'string') return [];
      const camel = toCamelCase(name);
      try {
        getMetric(camel).dispose();
        return [camel];
      } catch {
        return [];
      }
    });
  };
  const isMetricList = (x: JsonValue) => typeof x === 'string' || (Array.isArray(x) && x.every((m) => !Array.isArray(m)));
  const metrics = readPerOutput(tc.metrics, outputNames, metricList, isMetricList, owner, 'metrics');
  const lw = tc.loss_weights ?? tc.lossWeights;
  const lossWeights = lw === undefined || lw === null ? undefined
    : readPerOutput(lw, outputNames, (x) => {
      if (typeof x !== 'number') throw new SerializationError(`${owner}: loss weight ${short(x)} is not a number`);
      return x;
    }, (x) => typeof x === 'number', owner, 'loss_weights');
  const wm = tc.weighted_metrics ?? tc.weightedMetrics;
  const weightedMetrics = wm === undefined || wm === null ? undefined
    : readPerOutput(wm, outputNames, metricList, isMetricList, owner, 'weighted_metrics');
  return { optimizer, loss, metrics, ...(lossWeights ? { lossWeights } : {}), ...(weightedMetrics ? { weightedMetrics } : {}) };
}

// tfjs-core's names for the same slots (its Adam calls them `m` and `v`, its counter `iter`).
const SLOT_ALIASES: Readonly<Record<string, string>> = { m: 'momentum', v: 'velocity' };

/**
 * Restores optimizer state saved as `iterations` + `<weight name>/<slot>` entries.
 * @throws SerializationError for an entry that names no weight or slot of this model.
 */
export function restoreOptimizerState(opt: Optimizer, weights: LayerWeight[], checked: CheckedWeights, owner: string): void {
  const byName = new Map(weights.map((w) => [w.name, w.variable]));
  const entries: OptimizerStateEntry[] = [];
  try {
    for (const c of checked.optimizer) {
      const name = c.spec.name;
      if (name === 'iterations' || name === 'iter') {
        entries.push({ variable: null, slot: 'iterations', value: decodeWeight(c, checked.data) });
        continue;
      }
      const cut = name.lastIndexOf('/');
      const variable = cut > 0 ? byName.get(name.slice(0, cut)) : undefined;
      const raw = toCamelCase(name.slice(cut + 1));
      const slot = opt.slotNames.includes(raw) ? raw : own(SLOT_ALIASES, raw) ?? raw;
      if (!variable || !opt.slotNames.includes(slot)) {
        throw new SerializationError(
          `${owner}: optimizer state entry '${name}' names no weight and ${opt.className} slot (${opt.slotNames.join(', ') || 'none'}) of this model`,
        );
      }
      entries.push({ variable, slot, value: decodeWeight(c, checked.data) });
    }
    try {
      opt.setWeights(entries);
    } catch (e) {
      throw new SerializationError(`${owner}: cannot restore the optimizer state: ${(e as Error).message}`);
    }
  } finally {
    for (const e of entries) e.value.dispose();
  }
}
