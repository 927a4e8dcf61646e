import { ValueError } from '../engine/errors.js';
import { getLoss } from '../losses/index.js';
import type { Loss } from '../losses/loss.js';
import { getMetric } from '../metrics/index.js';
import type { Metric } from '../metrics/metric.js';
import { getOptimizer } from '../optimizers/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { CompileOptions } from './options.js';

/** What `compile` resolved: one loss, weight and metric list per model output. */
export interface CompiledSpec {
  optimizer: Optimizer;
  outputNames: string[];
  losses: Loss[];
  lossWeights: number[];
  /** Unweighted metrics per output. */
  metrics: Metric[][];
  /** Metrics per output that `sampleWeight` / `classWeight` weigh. */
  weightedMetrics: Metric[][];
}

function perOutput<T>(value: T | T[] | Record<string, T>, names: string[], owner: string, arg: string,
  isSingle: (v: unknown) => v is T): T[] {
  if (isSingle(value)) return names.map(() => value);
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new ValueError(`${owner}: '${arg}' has ${value.length} entries but the model has ${names.length} outputs (${names.join(', ')})`);
    }
    return value;
  }
  const rec = value as Record<string, T>;
  const unknown = Object.keys(rec).filter((k) => !names.includes(k));
  if (unknown.length) {
    throw new ValueError(`${owner}: '${arg}' names unknown outputs ${unknown.join(', ')}; outputs are ${names.join(', ')}`);
  }
  return names.map((n) => {
    if (!(n in rec)) throw new ValueError(`${owner}: '${arg}' has no entry for output '${n}'`);
    return rec[n]!;
  });
}

const isLossId = (v: unknown): v is string | Loss =>
  typeof v === 'string' || (typeof v === 'object' && v !== null && typeof (v as Loss).call === 'function' && 'kind' in v);

/** Resolves compile options against a model's outputs. */
export function resolveCompile(opts: CompileOptions, outputNames: string[], owner: string): CompiledSpec {
  if (!opts || typeof opts !== 'object') throw new ValueError(`${owner}: compile needs { optimizer, loss }`);
  if (opts.optimizer === undefined) throw new ValueError(`${owner}: compile needs an 'optimizer' (e.g. 'adam')`);
  if (opts.loss === undefined) throw new ValueError(`${owner}: compile needs a 'loss' (e.g. 'sparseCategoricalCrossentropy')`);
  const optimizer = getOptimizer(opts.optimizer);
  const losses = perOutput(opts.loss, outputNames, owner, 'loss', isLossId).map((l) => getLoss(l));
  const lossWeights = opts.lossWeights === undefined
    ? outputNames.map(() => 1)
    : perOutput(opts.lossWeights, outputNames, owner, 'lossWeights', (v): v is number => typeof v === 'number');
  lossWeights.forEach((w, i) => {
    if (!(w >= 0 && Number.isFinite(w))) {
      throw new ValueError(`${owner}: 'lossWeights' for output '${outputNames[i]}' must be a finite number >= 0; got ${w}`);
    }
  });
  const metrics = resolveMetrics(opts.metrics, outputNames, losses, owner, 'metrics', []);
  const weightedMetrics = resolveMetrics(opts.weightedMetrics, outputNames, losses, owner, 'weightedMetrics', metrics.flat());
  return { optimizer, outputNames, losses, lossWeights, metrics, weightedMetrics };
}

type MetricIds = CompileOptions['metrics'];

/** One fresh metric list per output from a `metrics` / `weightedMetrics` option. */
function resolveMetrics(m: MetricIds, outputNames: string[], losses: Loss[], owner: string, arg: string,
  taken: Metric[]): Metric[][] {
  let metricIds: (string | Metric)[][];
  if (m === undefined) metricIds = outputNames.map(() => []);
  else if (Array.isArray(m) && m.every((x) => !Array.isArray(x))) metricIds = outputNames.map(() => m as (string | Metric)[]);
  else metricIds = perOutput(m as (string | Metric)[][] | Record<string, (string | Metric)[]>, outputNames, owner, arg,
    (_v): _v is (string | Metric)[] => false);
  // A metric object given once for several outputs (or in both lists) would mix their
  // state: make one per output.
  return metricIds.map((ids, i) => ids.map((id) => {
    if (typeof id !== 'string' && ((i > 0 && metricIds[0]!.includes(id)) || taken.includes(id))) {
      throw new ValueError(`${owner}: metric object '${id.name}' is used more than once (several outputs, or both 'metrics' and 'weightedMetrics'); pass names or separate objects`);
    }
    const metric = getMetric(id, losses[i]);
    const thresholds = (metric as { thresholds?: unknown }).thresholds;
    if (Array.isArray(thresholds) && thresholds.length > 1) {
      throw new ValueError(
        `${owner}: metric '${metric.name}' in '${arg}' has ${thresholds.length} thresholds, but logs hold one number per metric; ` +
          'make one metric per threshold (each with its own name)',
      );
    }
    return metric;
  }));
}
