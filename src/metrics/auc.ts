import { tf } from '../backend/tf.js';
import { ValueError } from '../engine/errors.js';
import { alignElementwise, asFloat, checkElementwise } from '../losses/shapes.js';
import { StreamingMetric, broadcastWeights, metricName, type MetricOptions } from './streaming.js';

/** Options of {@link auc}. */
export interface AUCOptions extends MetricOptions {
  /**
   * Number of thresholds the ROC curve is sampled at (>= 2), evenly spaced over [0, 1]
   * as Keras places them (the ends just outside, at -1e-7 and 1 + 1e-7). Default 200.
   */
  numThresholds?: number;
  /** Whether predictions are logits: the sigmoid is applied first. Default false. */
  fromLogits?: boolean;
  /**
   * `'ROC'`: area under the receiver operating characteristic (true- against false-positive
   * rate). `'PR'`: area under the precision-recall curve, with Keras' interpolation
   * (Davis & Goadrich: precision interpolated along the predicted-positive count between
   * thresholds). Default `'ROC'`.
   */
  curve?: 'ROC' | 'PR';
}

/**
 * Area under the ROC curve (or the precision-recall curve, `curve: 'PR'`), streamed. Each prediction (clipped to [0, 1]) falls in one of
 * `numThresholds` buckets; the metric keeps, on the device, the weighted count of
 * positives and negatives per bucket. The result turns the counts into true- and
 * false-positive rates at each threshold and sums trapezoids, as Keras's
 * `AUC(curve='ROC', summation_method='interpolation')` does. Targets are 0/1 (values in
 * between count fractionally, as in Keras); every entry of a multi-column input is one
 * binary decision.
 */
export class AUC extends StreamingMetric {
  /** Number of thresholds the ROC curve is sampled at. */
  readonly numThresholds: number;
  /** Whether predictions are logits (the sigmoid is applied first). */
  readonly fromLogits: boolean;
  /** Which curve the area is under. */
  readonly curve: 'ROC' | 'PR';
  private readonly positives: tf.Variable;
  private readonly negatives: tf.Variable;

  constructor(opts: AUCOptions = {}) {
    super(metricName(opts, 'auc'));
    const n = opts.numThresholds ?? 200;
    if (!(Number.isInteger(n) && n >= 2)) {
      throw new ValueError(`auc: 'numThresholds' must be an integer >= 2; got ${String(opts.numThresholds)}`);
    }
    this.numThresholds = n;
    this.fromLogits = opts.fromLogits ?? false;
    const curve = opts.curve ?? 'ROC';
    if (curve !== 'ROC' && curve !== 'PR') {
      throw new ValueError(`auc: 'curve' must be 'ROC' or 'PR'; got ${JSON.stringify(opts.curve)}`);
    }
    this.curve = curve;
    this.positives = this.addState([n]);
    this.negatives = this.addState([n]);
  }

  /** The thresholds the curve is sampled at, in increasing order (for reference and tests). */
  thresholds(): number[] {
    const n = this.numThresholds;
    const inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
    return [-1e-7, ...inner, 1 + 1e-7];
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    checkElementwise(yTrue.shape, yPred.shape, `metric '${this.name}'`);
  }

  protected accumulateBatch(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | undefined): void {
    const n = this.numThresholds;
    let p = asFloat(yPred);
    if (this.fromLogits) p = tf.sigmoid(p);
    p = tf.clipByValue(p, 0, 1);
    const t = tf.clipByValue(asFloat(alignElementwise(yTrue, yPred)), 0, 1);
    const w = sampleWeight ? broadcastWeights(sampleWeight, p) : tf.onesLike(p);
    // pred > i/(n-1)  <=>  ceil(pred (n-1)) - 1 >= i, so bucket b holds the predictions
    // that pass thresholds 0..b; a reversed cumulative sum then gives the counts per threshold.
    const bucket = tf.cast(tf.clipByValue(tf.sub(tf.ceil(tf.mul(p, n - 1)), 1), 0, n - 1), 'int32');
    const flat = tf.reshape(bucket, [-1]);
    const posW = tf.reshape(tf.mul(w, t), [-1]);
    const negW = tf.reshape(tf.mul(w, tf.sub(1, t)), [-1]);
    StreamingMetric.accumulate(this.positives, tf.denseBincount(flat as tf.Tensor1D, posW as tf.Tensor1D, n));
    StreamingMetric.accumulate(this.negatives, tf.denseBincount(flat as tf.Tensor1D, negW as tf.Tensor1D, n));
  }

  protected compute(): tf.Scalar {
    const n = this.numThresholds;
    const tp = tf.cumsum(this.positives, 0, false, true);
    const fp = tf.cumsum(this.negatives, 0, false, true);
    if (this.curve === 'PR') return prAuc(tp, fp, n);
    // Threshold 0 sits below every prediction, so its counts are the totals.
    const tpr = tf.divNoNan(tp, tf.slice(tp, [0], [1]));
    const fpr = tf.divNoNan(fp, tf.slice(fp, [0], [1]));
    const dx = tf.sub(tf.slice(fpr, [0], [n - 1]), tf.slice(fpr, [1], [n - 1]));
    const heights = tf.div(tf.add(tf.slice(tpr, [0], [n - 1]), tf.slice(tpr, [1], [n - 1])), 2);
    return tf.sum(tf.mul(dx, heights));
  }
}

/**
 * Keras' interpolated area under the precision-recall curve, from the true- and
 * false-positive counts at each threshold (increasing). Between two thresholds the
 * true-positive count is taken as linear in the predicted-positive count P, so precision
 * integrates in closed form: `slope · (ΔTP + intercept · log(P_a / P_b))` over the positives.
 */
function prAuc(tp: tf.Tensor, fp: tf.Tensor, n: number): tf.Scalar {
  const head = (x: tf.Tensor): tf.Tensor => tf.slice(x, [0], [n - 1]);
  const tail = (x: tf.Tensor): tf.Tensor => tf.slice(x, [1], [n - 1]);
  const fn = tf.sub(tf.slice(tp, [0], [1]), tp);
  const p = tf.add(tp, fp);
  const dtp = tf.sub(head(tp), tail(tp));
  const dp = tf.sub(head(p), tail(p));
  const slope = tf.divNoNan(dtp, tf.relu(dp));
  const intercept = tf.sub(tail(tp), tf.mul(slope, tail(p)));
  const bothPositive = tf.logicalAnd(tf.greater(head(p), 0), tf.greater(tail(p), 0));
  const ratio = tf.where(bothPositive, tf.divNoNan(head(p), tf.relu(tail(p))), tf.onesLike(dp));
  const area = tf.mul(slope, tf.add(dtp, tf.mul(intercept, tf.log(ratio))));
  return tf.sum(tf.divNoNan(area, tf.relu(tf.add(tail(tp), tail(fn)))));
}

/**
 * Area under the ROC (or, with `curve: 'PR'`, precision-recall) curve of binary predictions, streamed over batches.
 * @example `st.metrics.auc({ numThresholds: 500 })`, `st.metrics.auc({ curve: 'PR' })`
 */
export function auc(opts: AUCOptions = {}): AUC {
  return new AUC(opts);
}
