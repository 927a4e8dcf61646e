/**
 * Streaming metrics: state on the device, exact values over every batch since `reset()`.
 * By factory (`st.metrics.auc()`) or by name (`st.metrics.getMetric('accuracy', loss)`).
 * @module
 */
export type { Metric } from './metric.js';
export { MetricState, StreamingMetric, type MetricOptions } from './streaming.js';
export { mean, Mean, PerSampleMean } from './mean.js';
export {
  binaryAccuracy, BinaryAccuracy, type BinaryAccuracyOptions, categoricalAccuracy, CategoricalAccuracy,
  sparseCategoricalAccuracy, SparseCategoricalAccuracy, accuracy, Accuracy, AutoAccuracy, accuracyKind,
} from './accuracy.js';
export {
  topKCategoricalAccuracy, TopKCategoricalAccuracy, sparseTopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
  type TopKOptions,
} from './top_k.js';
export {
  meanSquaredError, MeanSquaredErrorMetric, meanAbsoluteError, MeanAbsoluteErrorMetric,
  rootMeanSquaredError, RootMeanSquaredError, cosineSimilarity, CosineSimilarityMetric, type CosineSimilarityOptions,
} from './regression.js';
export {
  precision, Precision, recall, Recall, f1, F1Score, ConfusionCounts, type ThresholdMetricOptions,
} from './thresholded.js';
export { auc, AUC, type AUCOptions } from './auc.js';
export { LossMetric } from './loss_metric.js';
export {
  confusionMatrix, ConfusionMatrix, type ConfusionMatrixOptions, type ClassInput,
} from './confusion_matrix.js';
export { getMetric, knownMetricNames, type MetricIdentifier } from './registry.js';
