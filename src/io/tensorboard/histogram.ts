// Histogram summaries: min, max, count, sum, sum of squares and bucketed counts.

/** A histogram as TensorBoard's `HistogramProto` holds it. */
export interface Histogram {
  /** Smallest value (finite values only). */
  min: number;
  /** Largest value. */
  max: number;
  /** Number of values counted. */
  num: number;
  /** Sum of the values. */
  sum: number;
  /** Sum of the squared values. */
  sumSquares: number;
  /** Right edge of each bucket (the last is `max`). */
  bucketLimit: number[];
  /** Values in each bucket. */
  bucket: number[];
}

/**
 * Buckets `values` into `bins` equal-width buckets over [min, max] (TensorFlow 2's
 * `tf.summary.histogram` default is 30); a constant input gets one bucket.
 */
export function histogramOf(values: ArrayLike<number>, bins = 30): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  let num = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    num++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [0], bucket: [0] };
  if (min === max) return { min, max, num, sum, sumSquares, bucketLimit: [max], bucket: [num] };
  const width = (max - min) / bins;
  const bucket = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    bucket[Math.min(bins - 1, Math.floor((v - min) / width))]!++;
  }
  const bucketLimit = bucket.map((_, k) => (k === bins - 1 ? max : min + (k + 1) * width));
  return { min, max, num, sum, sumSquares, bucketLimit, bucket };
}
