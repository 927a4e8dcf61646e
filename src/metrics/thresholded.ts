import { tf } from '../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../engine/errors.js';
import { alignElementwise, asFloat, checkElementwise } from '../losses/shapes.js';
import { StreamingMetric, broadcastWeights, metricName, type MetricOptions } from './streaming.js';

/**
 * Options of {@link precision}, {@link recall} and {@link f1}.
 *
 * These are binary metrics. Multi-class input (one-hot targets against per-class
 * probabilities) is treated element-wise, as Keras does: every entry is its own yes/no
 * decision, so the counts are micro-averaged over the classes. `classId` restricts the
 * counts to one class (one column of the last axis) instead.
 */
export interface ThresholdMetricOptions extends MetricOptions {
  /** A prediction above it counts as positive. Default 0.5 (no threshold with `topK`). Same as a one-entry `thresholds`. */
  threshold?: number;
  /**
   * Keras' `thresholds`: one threshold, or a list of them; with a list, {@link ConfusionCounts.results}
   * gives one value per threshold (and `result()` needs a single threshold). Default 0.5,
   * or, with `topK`, none (every top-k entry counts as predicted positive).
   */
  thresholds?: number | number[];
  /**
   * Only the `topK` highest predictions along the last axis can count as positive (ties
   * broken by position, as Keras' `top_k`). Default: every entry.
   */
  topK?: number;
  /** Whether predictions are logits: the sigmoid is applied before the threshold. Default false. */
  fromLogits?: boolean;
  /** Only count this class (an index into the last axis). Default: every entry counts. */
  classId?: number;
}

/** Keras' stand-in for "no threshold" with `topK` (`metrics_utils.NEG_INF`). */
const NEG_INF = -1e10;

function readThresholds(owner: string, opts: ThresholdMetricOptions): number[] {
  if (opts.threshold !== undefined && opts.thresholds !== undefined) {
    throw new ValueError(`${owner}: give 'threshold' or 'thresholds', not both; got ${String(opts.threshold)} and ${JSON.stringify(opts.thresholds)}`);
  }
  const given = opts.thresholds ?? opts.threshold;
  const list = given === undefined ? [opts.topK === undefined ? 0.5 : NEG_INF] : Array.isArray(given) ? given : [given];
  if (list.length === 0 || !list.every((t) => typeof t === 'number' && Number.isFinite(t))) {
    throw new ValueError(`${owner}: 'thresholds' must be a finite number or a non-empty list of them; got ${JSON.stringify(given)}`);
  }
  return [...list];
}

/**
 * Weighted true-positive, false-positive and false-negative counts at one or more
 * thresholds. A target counts as positive when it is above 0.5 (so 0/1 and -1/+1 targets
 * both work).
 */
export abstract class ConfusionCounts extends StreamingMetric {
  /** A prediction above it counts as positive (the first of `thresholds`). */
  readonly threshold: number;
  /** Every threshold the counts are kept at. */
  readonly thresholds: readonly number[];
  /** Only the top-k predictions along the last axis can be positive; undefined for all. */
  readonly topK: number | undefined;
  /** Whether predictions are logits (the sigmoid is applied before the threshold). */
  readonly fromLogits: boolean;
  /** The one class counted (an index into the last axis); undefined when every entry counts. */
  readonly classId: number | undefined;
  /** Weighted count of true positives, one per threshold. */
  protected readonly tp: tf.Variable;
  /** Weighted count of false positives, one per threshold. */
  protected readonly fp: tf.Variable;
  /** Weighted count of false negatives, one per threshold. */
  protected readonly fn: tf.Variable;

  constructor(canonical: string, opts: ThresholdMetricOptions) {
    super(metricName(opts, canonical));
    this.thresholds = readThresholds(canonical, opts);
    this.threshold = this.thresholds[0]!;
    if (opts.classId !== undefined && !(Number.isInteger(opts.classId) && opts.classId >= 0)) {
      throw new ValueError(`${canonical}: 'classId' must be an integer >= 0; got ${String(opts.classId)}`);
    }
    if (opts.topK !== undefined && !(Number.isInteger(opts.topK) && opts.topK >= 1)) {
      throw new ValueError(`${canonical}: 'topK' must be an integer >= 1; got ${String(opts.topK)}`);
    }
    this.topK = opts.topK;
    this.fromLogits = opts.fromLogits ?? false;
    this.classId = opts.classId;
    const n = this.thresholds.length;
    this.tp = this.addState([n]);
    this.fp = this.addState([n]);
    this.fn = this.addState([n]);
  }

  protected checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    const who = `metric '${this.name}'`;
    checkElementwise(yTrue.shape, yPred.shape, who);
    if (this.classId !== undefined && !(yPred.rank >= 2 && yPred.shape[yPred.rank - 1]! > this.classId)) {
      throw new ShapeError(
        `${who}: 'classId' ${this.classId} needs predictions with more than ${this.classId} classes on the last axis; ` +
          `got yPred ${fmtShape(yPred.shape)}`,
      );
    }
  }

  protected accumulateBatch(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | undefined): void {
    let t = asFloat(alignElementwise(yTrue, yPred));
    let p = asFloat(yPred);
    if (this.fromLogits) p = tf.sigmoid(p);
    let w = sampleWeight ? broadcastWeights(sampleWeight, p) : tf.onesLike(p);
    if (this.topK !== undefined) p = keepTopK(p, this.topK);
    if (this.classId !== undefined) {
      const begin = new Array<number>(p.rank).fill(0);
      begin[p.rank - 1] = this.classId;
      const size = [...p.shape.slice(0, -1), 1];
      t = tf.slice(t, begin, size);
      p = tf.slice(p, begin, size);
      w = tf.slice(w, begin, size);
    }
    const flat = (x: tf.Tensor): tf.Tensor => tf.reshape(x, [-1, 1]);
    const predPos = tf.cast(tf.greater(flat(p), tf.tensor1d(this.thresholds as number[])), 'float32');
    const isPos = tf.cast(tf.greater(flat(t), 0.5), 'float32');
    const wAll = flat(w);
    const wPos = tf.mul(wAll, isPos);
    StreamingMetric.accumulate(this.tp, tf.sum(tf.mul(wPos, predPos), 0));
    StreamingMetric.accumulate(this.fp, tf.sum(tf.mul(tf.sub(wAll, wPos), predPos), 0));
    StreamingMetric.accumulate(this.fn, tf.sum(tf.mul(wPos, tf.sub(1, predPos)), 0));
  }

  /** The value at each threshold, from the counts (one entry per threshold). */
  protected abstract perThreshold(): tf.Tensor1D;

  protected compute(): tf.Scalar {
    if (this.thresholds.length !== 1) {
      throw new ValueError(
        `metric '${this.name}': result() gives one number, but this metric has ${this.thresholds.length} thresholds; ` +
          'call results() for one value per threshold, or make one metric per threshold',
      );
    }
    return tf.reshape(this.perThreshold(), []) as tf.Scalar;
  }

  /** The value at every threshold, as Keras' `result()` for a `thresholds` list; the caller owns it. */
  results(): tf.Tensor1D {
    this.assertLive('results');
    return tf.tidy(() => this.perThreshold());
  }
}

/** Keeps the `k` largest entries along the last axis (first ones on ties) and sets the rest to NEG_INF. */
function keepTopK(p: tf.Tensor, k: number): tf.Tensor {
  const width = p.shape[p.rank - 1]!;
  if (k >= width) return p;
  const { indices } = tf.topk(p, k, true);
  const classes = tf.range(0, width, 1, 'int32');
  const chosen = tf.sum(tf.cast(tf.equal(tf.expandDims(indices, -1), classes), 'float32'), -2);
  return tf.add(tf.mul(p, chosen), tf.mul(tf.sub(1, chosen), NEG_INF));
}

/** Precision `tp / (tp + fp)`: of the entries predicted positive, the share that is. 0 when none. */
export class Precision extends ConfusionCounts {
  constructor(opts: ThresholdMetricOptions = {}) {
    super('precision', opts);
  }

  protected perThreshold(): tf.Tensor1D {
    return tf.divNoNan(this.tp, tf.add(this.tp, this.fp)) as tf.Tensor1D;
  }
}

/** Recall `tp / (tp + fn)`: of the positive entries, the share predicted positive. 0 when none. */
export class Recall extends ConfusionCounts {
  constructor(opts: ThresholdMetricOptions = {}) {
    super('recall', opts);
  }

  protected perThreshold(): tf.Tensor1D {
    return tf.divNoNan(this.tp, tf.add(this.tp, this.fn)) as tf.Tensor1D;
  }
}

/** F1 score `2 tp / (2 tp + fp + fn)`, the harmonic mean of precision and recall. 0 when undefined. */
export class F1Score extends ConfusionCounts {
  constructor(opts: ThresholdMetricOptions = {}) {
    super('f1', opts);
  }

  protected perThreshold(): tf.Tensor1D {
    const twoTp = tf.mul(this.tp, 2);
    return tf.divNoNan(twoTp, tf.add(twoTp, tf.add(this.fp, this.fn))) as tf.Tensor1D;
  }
}

/**
 * Precision of binary predictions at `threshold` (default 0.5). See
 * {@link ThresholdMetricOptions} for multi-class input.
 */
export function precision(opts: ThresholdMetricOptions = {}): Precision {
  return new Precision(opts);
}

/**
 * Recall of binary predictions at `threshold` (default 0.5). See
 * {@link ThresholdMetricOptions} for multi-class input.
 */
export function recall(opts: ThresholdMetricOptions = {}): Recall {
  return new Recall(opts);
}

/**
 * F1 score of binary predictions at `threshold` (default 0.5). See
 * {@link ThresholdMetricOptions} for multi-class input.
 * @example `st.metrics.f1({ classId: 3 })` — F1 of class 3 of a softmax output
 */
export function f1(opts: ThresholdMetricOptions = {}): F1Score {
  return new F1Score(opts);
}
