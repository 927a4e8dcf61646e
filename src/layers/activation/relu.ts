import { tf } from '../../backend/tf.js';
import { leakyRelu } from '../../backend/leaky_relu.js';
import { ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';

function one(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

function checkNumber(label: string, arg: string, v: unknown, min: number, allowEqual = true): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || (allowEqual ? v < min : v <= min)) {
    throw new ValueError(`${label}: '${arg}' must be a finite number ${allowEqual ? '>=' : '>'} ${min}; got ${String(v)}`);
  }
}

/** Options of {@link reLU}. */
export interface ReLUOptions extends LayerOptions {
  /** Upper bound of the output (6 gives ReLU6). Default: unbounded. */
  maxValue?: number;
  /** Slope below `threshold` (≥ 0): the output there is `negativeSlope · (x − threshold)`. Default 0. */
  negativeSlope?: number;
  /** Inputs at or below it give 0 (or the sloped part); above it, `x` itself (≥ 0). Default 0. */
  threshold?: number;
}

/**
 * Rectified linear unit as Keras' `ReLU` layer: `min(x, maxValue)` for `x > threshold`,
 * `negativeSlope · (x − threshold)` otherwise. The defaults give `max(x, 0)`.
 */
export class ReLU extends Layer {
  readonly className = 'ReLU';
  override supportsMasking = true;
  /** Upper bound of the output; undefined when unbounded. */
  readonly maxValue?: number;
  /** Slope below the threshold. */
  readonly negativeSlope: number;
  /** Where the linear part starts. */
  readonly threshold: number;
  constructor(opts: ReLUOptions = {}) {
    super(opts);
    checkNumber(this.label, 'maxValue', opts.maxValue, 0, false);
    checkNumber(this.label, 'negativeSlope', opts.negativeSlope, 0);
    checkNumber(this.label, 'threshold', opts.threshold, 0);
    this.maxValue = opts.maxValue;
    this.negativeSlope = opts.negativeSlope ?? 0;
    this.threshold = opts.threshold ?? 0;
  }
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = one(inputs);
    const { maxValue, negativeSlope: slope, threshold: t } = this;
    if (t === 0 && slope !== 0 && maxValue === undefined) return leakyRelu(x, slope);
    let y: tf.Tensor;
    // step(x − t) · x rather than a `where` on `x > t`: tfjs has no gradient for `greater`.
    if (t !== 0) y = tf.mul(tf.step(tf.sub(x, t)), x);
    else if (maxValue === 6) y = tf.relu6(x);
    else y = tf.relu(x);
    if (maxValue !== undefined && !(t === 0 && maxValue === 6)) y = tf.minimum(y, maxValue);
    if (slope !== 0) y = tf.sub(y, tf.mul(slope, tf.relu(t !== 0 ? tf.sub(t, x) : tf.neg(x))));
    return y;
  }
  override getConfig(): ReLUOptions {
    return {
      ...super.getConfig(),
      ...(this.maxValue !== undefined ? { maxValue: this.maxValue } : {}),
      ...(this.negativeSlope !== 0 ? { negativeSlope: this.negativeSlope } : {}),
      ...(this.threshold !== 0 ? { threshold: this.threshold } : {}),
    };
  }
}

/** Options of {@link leakyReLU}. */
export interface LeakyReLUOptions extends LayerOptions {
  /** Slope for negative inputs (≥ 0). Default 0.3, as in Keras. */
  alpha?: number;
}

/** Leaky ReLU: `x` for x > 0, `alpha · x` otherwise. */
export class LeakyReLU extends Layer {
  readonly className = 'LeakyReLU';
  override supportsMasking = true;
  /** Slope for negative inputs. */
  readonly alpha: number;
  constructor(opts: LeakyReLUOptions = {}) {
    super(opts);
    checkNumber(this.label, 'alpha', opts.alpha, 0);
    this.alpha = opts.alpha ?? 0.3;
  }
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    return leakyRelu(one(inputs), this.alpha);
  }
  override getConfig(): LeakyReLUOptions {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Options of {@link elu}. */
export interface ELUOptions extends LayerOptions {
  /** Scale of the negative part, `alpha · (exp(x) − 1)`; must be > 0. Default 1. */
  alpha?: number;
}

/** Exponential linear unit: `x` for x > 0, `alpha · (exp(x) − 1)` otherwise. */
export class ELU extends Layer {
  readonly className = 'ELU';
  override supportsMasking = true;
  /** Scale of the negative part, `alpha · (exp(x) − 1)`. */
  readonly alpha: number;
  constructor(opts: ELUOptions = {}) {
    super(opts);
    checkNumber(this.label, 'alpha', opts.alpha, 0, false);
    this.alpha = opts.alpha ?? 1;
  }
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = one(inputs);
    if (this.alpha === 1) return tf.elu(x);
    // relu(x) + alpha·(exp(min(x, 0)) − 1) rather than a `where` on `x > 0`: tfjs has no
    // gradient for `greater`, so a condition computed from x breaks backprop.
    return tf.add(tf.relu(x), tf.mul(this.alpha, tf.sub(tf.exp(tf.minimum(x, 0)), 1)));
  }
  override getConfig(): ELUOptions {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Options of {@link softmax}. */
export interface SoftmaxOptions extends LayerOptions {
  /** Axis the probabilities sum to 1 over. Default -1 (last). */
  axis?: number;
}

/** Softmax over one axis: `exp(x) / Σ exp(x)`. */
export class Softmax extends Layer {
  readonly className = 'Softmax';
  override supportsMasking = true;
  /** Axis the probabilities sum to 1 over. */
  readonly axis: number;
  constructor(opts: SoftmaxOptions = {}) {
    super(opts);
    if (opts.axis !== undefined && !Number.isInteger(opts.axis)) {
      throw new ValueError(`${this.label}: 'axis' must be an integer; got ${String(opts.axis)}`);
    }
    this.axis = opts.axis ?? -1;
  }
  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = one(inputs);
    const axis = this.axis < 0 ? x.rank + this.axis : this.axis;
    if (axis < 0 || axis >= x.rank) {
      throw new ValueError(`${this.label}: 'axis' ${this.axis} is out of range for input of rank ${x.rank}`);
    }
    if (axis === x.rank - 1) return tf.softmax(x);
    const shifted = tf.sub(x, tf.max(x, axis, true));
    const e = tf.exp(shifted);
    return tf.div(e, tf.sum(e, axis, true));
  }
  override getConfig(): SoftmaxOptions {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/**
 * ReLU layer; `maxValue: 6` gives ReLU6, `negativeSlope` a leaky ReLU, `threshold` a shifted start.
 * @example
 * ```ts
 * st.layers.reLU({ maxValue: 6 }) // MobileNet's ReLU6
 * ```
 */
export function reLU(opts: ReLUOptions = {}): ReLU {
  return new ReLU(opts);
}
/** Leaky ReLU layer with slope `alpha` (default 0.3) for negative inputs. */
export function leakyReLU(opts: LeakyReLUOptions = {}): LeakyReLU {
  return new LeakyReLU(opts);
}
/** ELU layer with scale `alpha` (default 1). */
export function elu(opts: ELUOptions = {}): ELU {
  return new ELU(opts);
}
/** Softmax layer over `axis` (default -1). */
export function softmax(opts: SoftmaxOptions = {}): Softmax {
  return new Softmax(opts);
}
