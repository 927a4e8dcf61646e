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
  /** A prediction above it counts as positive. Default 0.5. */
  threshold?: number;
  /** Whether predictions are logits: the sigmoid is applied before the threshold. Default false. */
  fromLogits?: boolean;
  /** Only count this class (an index into the last axis). Default: every entry counts. */
  classId?: number;
}

/**
 * Weighted true-positive, false-positive and false-negative counts at one threshold. A
 * target counts as positive when it is above 0.5 (so 0/1 and -1/+1 targets both work).
 */
export abstract class ConfusionCounts extends StreamingMetric {
  /** A prediction above it counts as positive. */
  readonly threshold: number;
  /** Whether predictions are logits (the sigmoid is applied before the threshold). */
  readonly fromLogits: boolean;
  /** The one class counted (an index into the last axis); undefined when every entry counts. */
  readonly classId: number | undefined;
  /** Weighted count of true positives. */
  protected readonly tp: tf.Variable;
  /** Weighted count of false positives. */
  protected readonly fp: tf.Variable;
  /** Weighted count of false negatives. */
  protected readonly fn: tf.Variable;

  constructor(canonical: string, opts: ThresholdMetricOptions) {
    super(metricName(opts, canonical));
    const t = opts.threshold ?? 0.5;
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new ValueError(`${canonical}: 'threshold' must be a finite number; got ${String(opts.threshold)}`);
    }
    if (opts.classId !== undefined && !(Number.isInteger(opts.classId) && opts.classId >= 0)) {
      throw new ValueError(`${canonical}: 'classId' must be an integer >= 0; got ${String(opts.classId)}`);
    }
    this.threshold = t;
    this.fromLogits = opts.fromLogits ?? false;
    this.classId = opts.classId;
    this.tp = this.addState();
    this.fp = this.addState();
    this.fn = this.addState();
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
    if (this.classId !== undefined) {
      const begin = new Array<number>(p.rank).fill(0);
      begin[p.rank - 1] = this.classId;
      const size = [...p.shape.slice(0, -1), 1];
      t = tf.slice(t, begin, size);
      p = tf.slice(p, begin, size);
    }
    if (this.fromLogits) p = tf.sigmoid(p);
    const predPos = tf.cast(tf.greater(p, this.threshold), 'float32');
    const isPos = tf.cast(tf.greater(t, 0.5), 'float32');
    const w = sampleWeight ? broadcastWeights(sampleWeight, p) : tf.onesLike(p);
    const wPos = tf.mul(w, isPos);
    StreamingMetric.accumulate(this.tp, tf.sum(tf.mul(wPos, predPos)));
    StreamingMetric.accumulate(this.fp, tf.sum(tf.mul(tf.sub(w, wPos), predPos)));
    StreamingMetric.accumulate(this.fn, tf.sum(tf.mul(wPos, tf.sub(1, predPos))));
  }
}

/** Precision `tp / (tp + fp)`: of the entries predicted positive, the share that is. 0 when none. */
export class Precision extends ConfusionCounts {
  constructor(opts: ThresholdMetricOptions = {}) {
    super('precision', opts);
  }

  protected compute(): tf.Scalar {
    return tf.divNoNan(this.tp, tf.add(this.tp, this.fp)) as tf.Scalar;
  }
}

/** Recall `tp / (tp + fn)`: of the positive entries, the share predicted positive. 0 when none. */
export class Recall extends ConfusionCounts {
  constructor(opts: ThresholdMetricOptions = {}) {
    super('recall', opts);
  }

  protected compute(): tf.Scalar {
    return tf.divNoNan(this.tp, tf.add(this.tp, this.fn)) as tf.Scalar;
  }
}

/** F1 score `2 tp / (2 tp + fp + fn)`, the harmonic mean of precision and recall. 0 when undefined. */
export class F1Score extends ConfusionCounts {
  constructor(opts: ThresholdMetricOptions = {}) {
    super('f1', opts);
  }

  protected compute(): tf.Scalar {
    const twoTp = tf.mul(this.tp, 2);
    return tf.divNoNan(twoTp, tf.add(twoTp, tf.add(this.fp, this.fn))) as tf.Scalar;
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
