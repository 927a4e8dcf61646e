import { ValueError } from '../engine/errors.js';
import type { Loss } from '../losses/loss.js';
import { getLoss, knownLossNames } from '../losses/registry.js';
import { AutoAccuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
import { AUC } from './auc.js';
import { LossMetric } from './loss_metric.js';
import type { Metric } from './metric.js';
import { CosineSimilarityMetric, MeanAbsoluteErrorMetric, MeanSquaredErrorMetric, RootMeanSquaredError } from './regression.js';
import { F1Score, Precision, Recall } from './thresholded.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top_k.js';

/** A metric given by name (camelCase, Keras snake_case or alias) or as an object. */
export type MetricIdentifier = string | Metric;

/** What the loss tells a metric made by name. */
interface Hints {
  /** Predictions are logits of independent binary outputs. */
  binaryLogits: boolean;
}

type Maker = (name: string | undefined, h: Hints) => Metric;

const nameOpt = (name: string | undefined): { name?: string } => (name === undefined ? {} : { name });

const ENTRIES: readonly { names: string[]; make: Maker }[] = [
  { names: ['binaryAccuracy'], make: (n, h) => new BinaryAccuracy({ ...nameOpt(n), fromLogits: h.binaryLogits }) },
  { names: ['categoricalAccuracy'], make: (n) => new CategoricalAccuracy(nameOpt(n)) },
  { names: ['sparseCategoricalAccuracy'], make: (n) => new SparseCategoricalAccuracy(nameOpt(n)) },
  { names: ['mse', 'meanSquaredError'], make: (n) => new MeanSquaredErrorMetric(nameOpt(n)) },
  { names: ['mae', 'meanAbsoluteError'], make: (n) => new MeanAbsoluteErrorMetric(nameOpt(n)) },
  { names: ['rmse', 'rootMeanSquaredError'], make: (n) => new RootMeanSquaredError(nameOpt(n)) },
  { names: ['precision'], make: (n, h) => new Precision({ ...nameOpt(n), fromLogits: h.binaryLogits }) },
  { names: ['recall'], make: (n, h) => new Recall({ ...nameOpt(n), fromLogits: h.binaryLogits }) },
  { names: ['f1', 'f1Score'], make: (n, h) => new F1Score({ ...nameOpt(n), fromLogits: h.binaryLogits }) },
  { names: ['auc'], make: (n, h) => new AUC({ ...nameOpt(n), fromLogits: h.binaryLogits }) },
  { names: ['cosineSimilarity'], make: (n) => new CosineSimilarityMetric(nameOpt(n)) },
  { names: ['topKCategoricalAccuracy'], make: (n) => new TopKCategoricalAccuracy(nameOpt(n)) },
  { names: ['sparseTopKCategoricalAccuracy'], make: (n) => new SparseTopKCategoricalAccuracy(nameOpt(n)) },
];

function normalise(id: string): string {
  return id.replace(/_/g, '').toLowerCase();
}

const BY_KEY = new Map<string, Maker>();
for (const e of ENTRIES) for (const n of e.names) BY_KEY.set(normalise(n), e.make);

/** Every metric name `getMetric` accepts (besides loss names). */
export function knownMetricNames(): string[] {
  return ['accuracy', 'acc', ...ENTRIES.flatMap((e) => e.names)];
}

function isMetric(x: unknown): x is Metric {
  return typeof x === 'object' && x !== null && typeof (x as Metric).update === 'function'
    && typeof (x as Metric).result === 'function';
}

/**
 * Resolves a metric identifier to a fresh metric. Names are matched ignoring case and
 * underscores (`'sparse_categorical_accuracy'` = `'sparseCategoricalAccuracy'`).
 *
 * - `'accuracy'` / `'acc'` gives an {@link AutoAccuracy}: binary, sparse categorical or
 *   categorical accuracy, picked from the shapes of targets and predictions exactly as
 *   Keras 3 picks it (not from the loss). Its log key is `accuracy`. Note that
 *   `st.metrics.accuracy()` is Keras' exact-match `Accuracy`, a different metric.
 * - Other names log under their canonical name: `binaryAccuracy`, `categoricalAccuracy`,
 *   `sparseCategoricalAccuracy`, `topKCategoricalAccuracy`, `sparseTopKCategoricalAccuracy` (k = 5),
 *   `mse`, `mae`, `rmse`, `precision`, `recall`, `f1`, `auc`.
 * - When `loss` is a binary loss with `fromLogits: true`, the thresholded metrics
 *   (binary accuracy, precision, recall, f1, auc) apply the sigmoid first, so a threshold
 *   of 0.5 still means probability 0.5.
 * - A loss name (`'binaryCrossentropy'`, `'huber'`…) gives the loss's running mean.
 * - A `Metric` object is returned as is.
 * @throws ValueError for an unknown name, listing the known ones.
 */
export function getMetric(id: MetricIdentifier, loss?: Loss): Metric {
  if (isMetric(id)) return id;
  if (typeof id !== 'string') {
    throw new ValueError(`getMetric: expected a metric name or Metric object; got ${String(id)}`);
  }
  const h: Hints = { binaryLogits: loss?.kind === 'binary' && loss.getConfig().fromLogits === true };
  const key = normalise(id);
  if (key === 'accuracy' || key === 'acc') return new AutoAccuracy({ name: id === 'acc' ? 'acc' : 'accuracy', fromLogits: h.binaryLogits });
  const make = BY_KEY.get(key);
  if (make) return make(undefined, h);
  let asLoss: Loss | undefined;
  try {
    asLoss = getLoss(id);
  } catch {
    asLoss = undefined;
  }
  if (asLoss) return new LossMetric(asLoss);
  throw new ValueError(
    `getMetric: unknown metric '${id}'; expected a Metric object, one of ${knownMetricNames().join(', ')}, ` +
      `or a loss name (${knownLossNames().join(', ')}); snake_case forms work too`,
  );
}
