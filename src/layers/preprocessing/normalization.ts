import { tf } from '../../backend/tf.js';
import { ShapeError, StateError, ValueError, fmtShape } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';
import { batchTensor, isTensorLike, type Adaptable, type AdaptBatch, type AdaptData, type AsyncAdaptData } from './adapt.js';

/** Keras' `backend.epsilon()`: the floor of the standard deviation. */
const EPSILON = 1e-7;

/** Options of {@link normalization}. */
export interface NormalizationOptions extends LayerOptions {
  /**
   * Axis or axes that keep their own mean and variance (batch axis included in the count);
   * the others are reduced. `null` or `[]`: one mean and variance for everything. Default -1.
   */
  axis?: number | number[] | null;
  /** Fixed mean (a number, or values for the kept axes). Given together with `variance`; then `adapt` is not needed. */
  mean?: number | number[];
  /** Fixed variance, the same shape as `mean`. */
  variance?: number | number[];
  /** Undo a normalization instead: `mean + x · std`. Default false. */
  invert?: boolean;
}

/** Running totals of a streaming adapt, on the device. */
interface Moments {
  mean: tf.Tensor;
  variance: tf.Tensor;
  count: number;
}

/**
 * Normalizes inputs to zero mean and unit variance per feature: `(x − mean) / max(√variance, 1e-7)`
 * (Keras `Normalization`). The statistics are given (`mean`, `variance`) or learned with
 * {@link Normalization.adapt}; learned ones live in non-trainable weights `mean`, `variance`
 * and `count`, as Keras stores them, so they are saved with the model.
 */
export class Normalization extends Layer implements Adaptable {
  readonly className = 'Normalization';
  /** Kept axes as given (possibly negative). */
  readonly axis: number[];
  /** Whether the layer undoes a normalization. */
  readonly invert: boolean;
  private readonly inputMean?: number | number[];
  private readonly inputVariance?: number | number[];
  private keepAxes: number[] = [];
  private broadcastShape: number[] = [];
  private statShape: number[] = [];
  private meanW?: LayerWeight;
  private varianceW?: LayerWeight;

  constructor(opts: NormalizationOptions = {}) {
    super(opts);
    const axis = opts.axis === undefined ? [-1] : opts.axis === null ? [] : typeof opts.axis === 'number' ? [opts.axis] : opts.axis;
    if (!Array.isArray(axis) || axis.some((a) => !Number.isInteger(a))) {
      throw new ValueError(`${this.label}: 'axis' must be an integer, a list of integers or null; got ${JSON.stringify(opts.axis)}`);
    }
    this.axis = [...axis];
    if ((opts.mean === undefined) !== (opts.variance === undefined)) {
      throw new ValueError(`${this.label}: 'mean' and 'variance' must be given together; got mean ${JSON.stringify(opts.mean)} and variance ${JSON.stringify(opts.variance)}`);
    }
    if (opts.mean !== undefined) {
      const flat = (v: number | number[]) => (typeof v === 'number' ? [v] : v);
      const m = flat(opts.mean);
      const v = flat(opts.variance!);
      const bad = (a: unknown) => !Array.isArray(a) || a.some((x) => typeof x !== 'number' || !Number.isFinite(x));
      if (bad(m) || bad(v) || m.length !== v.length || typeof opts.mean !== typeof opts.variance) {
        throw new ValueError(`${this.label}: 'mean' and 'variance' must be finite numbers or lists of the same length; got ${JSON.stringify(opts.mean)} and ${JSON.stringify(opts.variance)}`);
      }
      if (v.some((x) => x < 0)) throw new ValueError(`${this.label}: 'variance' must be >= 0; got ${JSON.stringify(opts.variance)}`);
      if (Array.isArray(opts.mean) && this.axis.length === 0) {
        throw new ValueError(`${this.label}: a list 'mean' needs a kept axis; got axis null`);
      }
      this.inputMean = opts.mean;
      this.inputVariance = opts.variance;
    }
    if (opts.invert !== undefined && typeof opts.invert !== 'boolean') {
      throw new ValueError(`${this.label}: 'invert' must be a boolean; got ${JSON.stringify(opts.invert)}`);
    }
    this.invert = opts.invert ?? false;
  }

  protected override build(inputShape: Shape): void {
    const ndim = inputShape.length;
    for (const a of this.axis) {
      if (a < -ndim || a >= ndim) throw new ValueError(`${this.label}: 'axis' ${a} is out of range for input of rank ${ndim} (shape ${fmtShape(inputShape)})`);
    }
    this.keepAxes = [...new Set(this.axis.map((a) => (a < 0 ? a + ndim : a)))].sort((a, b) => a - b);
    for (const d of this.keepAxes) {
      if (inputShape[d] === null || inputShape[d] === undefined) {
        throw new ShapeError(`${this.label}: kept axis ${d} must have a known size; got input shape ${fmtShape(inputShape)}`);
      }
    }
    this.statShape = this.keepAxes.map((d) => inputShape[d]!);
    this.broadcastShape = inputShape.map((d, i) => (this.keepAxes.includes(i) ? d! : 1));
    if (this.inputMean === undefined) {
      this.meanW = this.addWeight('mean', this.statShape, 'zeros', { trainable: false });
      this.varianceW = this.addWeight('variance', this.statShape, 'ones', { trainable: false });
      // Keras keeps an (int64) count for older files; its adapt leaves it at 0.
      this.addWeight('count', [], 'zeros', { trainable: false });
    } else if (Array.isArray(this.inputMean)) {
      const n = this.statShape.length ? this.statShape[this.statShape.length - 1]! : 1;
      if (this.inputMean.length !== n && this.inputMean.length !== this.statShape.reduce((a, b) => a * b, 1)) {
        throw new ShapeError(`${this.label}: 'mean' has ${this.inputMean.length} values; input shape ${fmtShape(inputShape)} with axis ${JSON.stringify(this.axis)} needs ${n}`);
      }
    }
  }

  /** Mean and variance shaped to broadcast against the input. */
  private stats(): [tf.Tensor, tf.Tensor] {
    if (this.meanW) return [tf.reshape(this.meanW.read(), this.broadcastShape), tf.reshape(this.varianceW!.read(), this.broadcastShape)];
    const shape = (v: number | number[]) => {
      if (typeof v === 'number') return tf.scalar(v);
      // Values fill the last kept axes, as Keras' expand-then-broadcast does.
      const full = v.length === this.statShape.reduce((a, b) => a * b, 1);
      const s = this.broadcastShape.map((d, i) => (full || i === this.keepAxes[this.keepAxes.length - 1] ? d : 1));
      return tf.broadcastTo(tf.reshape(tf.tensor(v), s), this.broadcastShape);
    };
    return [shape(this.inputMean!), shape(this.inputVariance!)];
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [mean, variance] = this.stats();
    const std = tf.maximum(tf.sqrt(variance), EPSILON);
    return this.invert ? tf.add(mean, tf.mul(x, std)) : tf.div(tf.sub(x, mean), std);
  }

  /** Axes reduced by adapt for a batch of rank `ndim`. */
  private reduceAxes(ndim: number): number[] {
    return Array.from({ length: ndim }, (_, i) => i).filter((i) => !this.keepAxes.includes(i));
  }

  private prepare(t: tf.Tensor): void {
    if (this.inputMean !== undefined) {
      throw new StateError(`${this.label}: adapt() cannot change a layer made with a fixed 'mean' and 'variance'`);
    }
    this.ensureBuilt([null, ...t.shape.slice(1)]);
    this.checkInput([null, ...t.shape.slice(1)]);
    const got = this.keepAxes.map((d) => t.shape[d]);
    if (t.shape.length !== this.broadcastShape.length || got.some((d, i) => d !== this.statShape[i])) {
      throw new ShapeError(`${this.label}: adapt() got a batch of shape ${fmtShape(t.shape)}; the layer keeps axes ${JSON.stringify(this.keepAxes)} of sizes ${fmtShape(this.statShape)}`);
    }
  }

  /** Merges one batch into the running moments (Keras' streaming formula), on the device. */
  private merge(acc: Moments | undefined, t: tf.Tensor): Moments {
    this.prepare(t);
    const axes = this.reduceAxes(t.rank);
    const n = axes.reduce((a, d) => a * t.shape[d]!, 1);
    return tf.tidy(() => {
      const { mean: bm, variance: bv } = tf.moments(tf.cast(t, 'float32'), axes);
      if (!acc) return { mean: tf.keep(bm), variance: tf.keep(bv), count: n };
      const count = acc.count + n;
      const wb = n / count;
      const wa = 1 - wb;
      const mean = tf.add(tf.mul(acc.mean, wa), tf.mul(bm, wb));
      const variance = tf.add(
        tf.mul(tf.add(acc.variance, tf.square(tf.sub(acc.mean, mean))), wa),
        tf.mul(tf.add(bv, tf.square(tf.sub(bm, mean))), wb),
      );
      tf.dispose([acc.mean, acc.variance]);
      return { mean: tf.keep(mean), variance: tf.keep(variance), count };
    });
  }

  private finish(acc: Moments | undefined): this {
    if (!acc) throw new ValueError(`${this.label}: adapt() received no batches`);
    this.meanW!.write(acc.mean);
    this.varianceW!.write(acc.variance);
    tf.dispose([acc.mean, acc.variance]);
    return this;
  }

  /**
   * Learns the mean and variance of `data`: one tensor (all samples), or an iterable of
   * batches (tensors or `{ xs }` dataset batches), merged as Keras merges them. Returns the layer.
   * @example
   * ```ts
   * const norm = st.layers.normalization().adapt(xTrain);
   * ```
   */
  adapt(data: AdaptData): this {
    if (isTensorLike(data)) return this.finish(this.merge(undefined, data));
    if (typeof (data as Iterable<AdaptBatch>)?.[Symbol.iterator] !== 'function') {
      throw new ValueError(`${this.label}: adapt() expected a tensor or an iterable of batches; got ${typeof data === 'object' && data !== null && Symbol.asyncIterator in data ? 'an async iterable (use adaptAsync)' : String(data)}`);
    }
    let acc: Moments | undefined;
    for (const b of data) acc = this.merge(acc, batchTensor(b, this.label));
    return this.finish(acc);
  }

  /** As {@link Normalization.adapt}, also for asynchronous iterables (datasets). */
  async adaptAsync(data: AsyncAdaptData): Promise<this> {
    if (isTensorLike(data) || typeof (data as Iterable<AdaptBatch>)?.[Symbol.iterator] === 'function') return this.adapt(data as AdaptData);
    let acc: Moments | undefined;
    for await (const b of data as AsyncIterable<AdaptBatch>) acc = this.merge(acc, batchTensor(b, this.label));
    return this.finish(acc);
  }

  override getConfig(): NormalizationOptions {
    const c: NormalizationOptions = { ...super.getConfig(), axis: [...this.axis], invert: this.invert };
    if (this.inputMean !== undefined) {
      c.mean = typeof this.inputMean === 'number' ? this.inputMean : [...this.inputMean];
      c.variance = typeof this.inputVariance === 'number' ? this.inputVariance : [...this.inputVariance!];
    }
    return c;
  }
}

/**
 * Feature-wise normalization to zero mean and unit variance, with statistics given or
 * learned by `adapt(data)`.
 * @example
 * ```ts
 * const norm = st.layers.normalization();
 * norm.adapt(xTrain);              // mean and variance per feature (last axis)
 * ```
 */
export function normalization(opts: NormalizationOptions = {}): Normalization {
  return new Normalization(opts);
}
