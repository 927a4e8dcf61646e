import { tf } from '../backend/tf.js';
import { ShapeError, StateError, ValueError, fmtShape } from '../engine/errors.js';
import type { Metric } from './metric.js';

/** Options every built-in metric accepts. */
export interface MetricOptions {
  /** Key in logs. Default: the metric's canonical name (`binaryAccuracy`, `mse`, `auc`…). */
  name?: string;
}

/** Checks a user-given metric name. */
export function metricName(opts: MetricOptions | undefined, fallback: string): string {
  const n = opts?.name;
  if (n === undefined) return fallback;
  if (typeof n !== 'string' || n.length === 0) {
    throw new ValueError(`${fallback}: 'name' must be a non-empty string; got ${JSON.stringify(n)}`);
  }
  return n;
}

/**
 * State handling shared by every built-in metric: a few zero-initialised, non-trainable
 * `tf.Variable`s, reset to zero and freed together.
 */
export abstract class MetricState {
  /** Key in logs and History (`accuracy`, `mse`, `auc`…). */
  readonly name: string;
  private readonly state: tf.Variable[] = [];
  private disposed = false;

  constructor(name: string) {
    this.name = name;
  }

  /** Creates one zero-filled state variable (call from the subclass constructor). */
  protected addState(shape: number[] = []): tf.Variable {
    const v = tf.tidy(() => tf.variable(tf.zeros(shape), false));
    this.state.push(v);
    return v;
  }

  /** Adds `delta` to a state variable in place (on the device). */
  protected static accumulate(v: tf.Variable, delta: tf.Tensor): void {
    v.assign(tf.add(v, delta));
  }

  /** The value from the current state; runs inside a tidy. */
  protected abstract compute(): tf.Scalar;

  /** The value over everything seen since `reset`, as a scalar the caller owns; 0 before any update. */
  result(): tf.Scalar {
    this.assertLive('result');
    return tf.tidy(() => this.compute());
  }

  /** Forgets everything seen (sets the state to zero). */
  reset(): void {
    this.assertLive('reset');
    tf.tidy(() => this.state.forEach((v) => v.assign(tf.zerosLike(v))));
  }

  /** Frees the state; the metric cannot be used afterwards. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.state.forEach((v) => v.dispose());
  }

  /** Throws StateError once disposed. */
  protected assertLive(what: string): void {
    if (this.disposed) throw new StateError(`metric '${this.name}': ${what}() called after dispose()`);
  }
}

/**
 * The base of the metrics of `(yTrue, yPred)`: `update` checks shapes and sample weights
 * (metadata only) and accumulates inside a tidy.
 */
export abstract class StreamingMetric extends MetricState implements Metric {
  /** Throws ShapeError when yTrue / yPred do not fit this metric. */
  protected abstract checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void;

  /** Adds one batch to the state; runs inside a tidy, inputs already checked. */
  protected abstract accumulateBatch(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | undefined): void;

  /** Adds a batch; `sampleWeight` (`[batch]` or `[batch, 1]`) weighs each sample. No host sync. */
  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    this.assertLive('update');
    this.checkShapes(yTrue, yPred);
    if (sampleWeight) checkSampleWeight(sampleWeight, yPred.shape[0] ?? 0, this.name);
    tf.tidy(() => this.accumulateBatch(yTrue, yPred, sampleWeight));
  }
}

/** `sampleWeight` must be `[batch]` or `[batch, 1]`. */
export function checkSampleWeight(sw: tf.Tensor, batch: number, owner: string): void {
  const s = sw.shape;
  const ok = (s.length === 1 && s[0] === batch) || (s.length === 2 && s[0] === batch && s[1] === 1);
  if (!ok) {
    throw new ShapeError(
      `metric '${owner}': sampleWeight must have shape [${batch}] (one weight per sample); got ${fmtShape(s)}`,
    );
  }
}

/** Sample weights `[batch]`/`[batch, 1]` broadcast to `like`'s shape (rank >= 1), as float32. */
export function broadcastWeights(sw: tf.Tensor, like: tf.Tensor): tf.Tensor {
  const w = tf.cast(tf.reshape(sw, [sw.shape[0]!]), 'float32');
  if (like.rank <= 1) return w;
  const expanded = tf.reshape(w, [w.shape[0]!, ...new Array<number>(like.rank - 1).fill(1)]);
  // A broadcasting multiply, not broadcastTo: the cpu backend's Tile reads its input on the host.
  return tf.mul(expanded, tf.onesLike(like));
}
