import { tf } from '../backend/tf.js';
import { ValueError } from './errors.js';

/** A serialized initializer, in the Keras form `{ class_name, config }`. */
export interface InitializerSpec {
  /** Keras class name, e.g. `GlorotUniform`. */
  class_name: string;
  /** Its options, with Keras (snake_case) keys. */
  config: Record<string, unknown>;
}

/**
 * Makes the initial value of a weight. Seeded initializers are deterministic: the k-th
 * tensor an initializer makes uses `seed + k`, so a model rebuilt from the same config
 * (fresh initializers) gets bit-identical weights.
 */
export abstract class Initializer {
  /** Keras class name, used in saved configs. */
  abstract readonly className: string;
  /** Seed for reproducible values; undefined when unseeded. */
  readonly seed?: number;
  private calls = 0;
  constructor(opts: { seed?: number } = {}) {
    this.seed = typeof opts?.seed === 'number' ? opts.seed : undefined;
  }

  /** Makes a tensor of `shape`; the caller owns it. */
  abstract apply(shape: number[]): tf.Tensor;

  /** The config stored in saved models (Keras keys). */
  getConfig(): Record<string, unknown> {
    return this.seed === undefined ? {} : { seed: this.seed };
  }

  /** Seed for the next tensor, or undefined when unseeded. */
  protected nextSeed(): number | undefined {
    if (this.seed === undefined) return undefined;
    return this.seed + this.calls++;
  }
}

/** Fan-in and fan-out as Keras computes them (receptive field × channels for convs). */
export function computeFans(shape: number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
}

/** Options of {@link VarianceScaling}. */
export interface VarianceScalingOptions {
  /** Multiplier of the variance. Default 1. */
  scale?: number;
  /** Which fan divides the variance. Default `'fan_in'`. */
  mode?: 'fan_in' | 'fan_out' | 'fan_avg';
  /** Sampling distribution. Default `'truncated_normal'`. */
  distribution?: 'truncated_normal' | 'untruncated_normal' | 'normal' | 'uniform';
  /** Seed for reproducible values. Default: unseeded. */
  seed?: number;
}

/** Samples with variance `scale / fan`, the family behind Glorot, He and LeCun. */
export class VarianceScaling extends Initializer {
  className = 'VarianceScaling';
  /** Multiplier of the variance. */
  readonly scale: number;
  /** Which fan divides the variance. */
  readonly mode: 'fan_in' | 'fan_out' | 'fan_avg';
  /** Sampling distribution (`normal` is stored as `truncated_normal`, as in Keras). */
  readonly distribution: 'truncated_normal' | 'untruncated_normal' | 'uniform';
  constructor(opts: VarianceScalingOptions = {}) {
    super({ seed: opts.seed });
    this.scale = opts.scale ?? 1;
    this.mode = opts.mode ?? 'fan_in';
    const d = opts.distribution ?? 'truncated_normal';
    this.distribution = d === 'normal' ? 'truncated_normal' : d;
    if (!(this.scale > 0)) throw new ValueError(`VarianceScaling: 'scale' must be > 0; got ${this.scale}`);
    if (!['fan_in', 'fan_out', 'fan_avg'].includes(this.mode)) {
      throw new ValueError(`VarianceScaling: 'mode' must be fan_in, fan_out or fan_avg; got '${this.mode}'`);
    }
    if (!['truncated_normal', 'untruncated_normal', 'uniform'].includes(this.distribution)) {
      throw new ValueError(`VarianceScaling: unknown 'distribution' '${this.distribution}'`);
    }
  }
  apply(shape: number[]): tf.Tensor {
    const [fanIn, fanOut] = computeFans(shape);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const seed = this.nextSeed();
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return tf.randomUniform(shape, -limit, limit, 'float32', seed);
    }
    if (this.distribution === 'untruncated_normal') {
      return tf.randomNormal(shape, 0, Math.sqrt(variance), 'float32', seed);
    }
    // 0.8796… is the stddev of a unit normal truncated to two standard deviations.
    return tf.truncatedNormal(shape, 0, Math.sqrt(variance) / 0.8796256610342398, 'float32', seed);
  }
  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** A {@link VarianceScaling} with fixed settings; its config holds only the seed. */
export abstract class VarianceScalingPreset extends VarianceScaling {
  /** The config stored in saved models: only the seed, the rest is fixed by the class. */
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

/** Glorot (Xavier) uniform: limit `sqrt(6 / (fanIn + fanOut))`. The Keras default for kernels. */
export class GlorotUniform extends VarianceScalingPreset {
  /** Keras class name. */
  override className = 'GlorotUniform';
  constructor(opts: { seed?: number } = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: opts.seed });
  }
}
/** Glorot (Xavier) normal: truncated normal with stddev `sqrt(2 / (fanIn + fanOut))`. */
export class GlorotNormal extends VarianceScalingPreset {
  /** Keras class name. */
  override className = 'GlorotNormal';
  constructor(opts: { seed?: number } = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: opts.seed });
  }
}
/** He uniform: limit `sqrt(6 / fanIn)`, for ReLU networks. */
export class HeUniform extends VarianceScalingPreset {
  /** Keras class name. */
  override className = 'HeUniform';
  constructor(opts: { seed?: number } = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed: opts.seed });
  }
}
/** He normal: truncated normal with stddev `sqrt(2 / fanIn)`, for ReLU networks. */
export class HeNormal extends VarianceScalingPreset {
  /** Keras class name. */
  override className = 'HeNormal';
  constructor(opts: { seed?: number } = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: opts.seed });
  }
}
/** LeCun uniform: limit `sqrt(3 / fanIn)`, for SELU networks. */
export class LecunUniform extends VarianceScalingPreset {
  /** Keras class name. */
  override className = 'LecunUniform';
  constructor(opts: { seed?: number } = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed: opts.seed });
  }
}
/** LeCun normal: truncated normal with stddev `sqrt(1 / fanIn)`, for SELU networks. */
export class LecunNormal extends VarianceScalingPreset {
  /** Keras class name. */
  override className = 'LecunNormal';
  constructor(opts: { seed?: number } = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: opts.seed });
  }
}

/** Fills with a constant `value` (default 0). */
export class Constant extends Initializer {
  className = 'Constant';
  /** The value of every element. */
  readonly value: number;
  constructor(opts: { value?: number } = {}) {
    super();
    this.value = opts.value ?? 0;
    if (!Number.isFinite(this.value)) throw new ValueError(`Constant: 'value' must be finite; got ${this.value}`);
  }
  apply(shape: number[]): tf.Tensor {
    return tf.fill(shape, this.value);
  }
  override getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

/** Fills with zeros (the Keras default for biases). */
export class Zeros extends Initializer {
  className = 'Zeros';
  apply(shape: number[]): tf.Tensor {
    return tf.zeros(shape);
  }
}

/** Fills with ones. */
export class Ones extends Initializer {
  className = 'Ones';
  apply(shape: number[]): tf.Tensor {
    return tf.ones(shape);
  }
}

/** Normal samples with `mean` (default 0) and `stddev` (default 0.05). */
export class RandomNormal extends Initializer {
  className = 'RandomNormal';
  /** Mean of the normal distribution. */
  readonly mean: number;
  /** Standard deviation of the normal distribution. */
  readonly stddev: number;
  constructor(opts: { mean?: number; stddev?: number; seed?: number } = {}) {
    super({ seed: opts.seed });
    this.mean = opts.mean ?? 0;
    this.stddev = opts.stddev ?? 0.05;
    if (!(this.stddev > 0)) throw new ValueError(`RandomNormal: 'stddev' must be > 0; got ${this.stddev}`);
  }
  apply(shape: number[]): tf.Tensor {
    return tf.randomNormal(shape, this.mean, this.stddev, 'float32', this.nextSeed());
  }
  override getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/** Normal samples truncated at two standard deviations: `mean` 0, `stddev` 0.05 by default. */
export class TruncatedNormal extends RandomNormal {
  override className = 'TruncatedNormal';
  override apply(shape: number[]): tf.Tensor {
    return tf.truncatedNormal(shape, this.mean, this.stddev, 'float32', this.nextSeed());
  }
}

/** Uniform samples in [`minval`, `maxval`), by default [-0.05, 0.05). */
export class RandomUniform extends Initializer {
  className = 'RandomUniform';
  /** Lower bound (inclusive). */
  readonly minval: number;
  /** Upper bound (exclusive). */
  readonly maxval: number;
  constructor(opts: { minval?: number; maxval?: number; seed?: number } = {}) {
    super({ seed: opts.seed });
    this.minval = opts.minval ?? -0.05;
    this.maxval = opts.maxval ?? 0.05;
    if (!(this.maxval > this.minval)) {
      throw new ValueError(`RandomUniform: expected 'maxval' > 'minval'; got ${this.minval}..${this.maxval}`);
    }
  }
  apply(shape: number[]): tf.Tensor {
    return tf.randomUniform(shape, this.minval, this.maxval, 'float32', this.nextSeed());
  }
  override getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}

/** A (semi-)orthogonal matrix times `gain` (default 1), from the QR of a normal sample. */
export class Orthogonal extends Initializer {
  className = 'Orthogonal';
  /** Multiplier of the orthogonal matrix. */
  readonly gain: number;
  constructor(opts: { gain?: number; seed?: number } = {}) {
    super({ seed: opts.seed });
    this.gain = opts.gain ?? 1;
  }
  apply(shape: number[]): tf.Tensor {
    if (shape.length < 2) throw new ValueError(`Orthogonal: needs a shape of rank >= 2; got [${shape}]`);
    const cols = shape[shape.length - 1]!;
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const seed = this.nextSeed();
    return tf.tidy(() => {
      const flat = tf.randomNormal(rows < cols ? [cols, rows] : [rows, cols], 0, 1, 'float32', seed);
      const [q, r] = tf.linalg.qr(flat);
      // Sign correction makes the distribution uniform over orthogonal matrices.
      const d = tf.sign(tf.sum(tf.mul(r!, tf.eye(r!.shape[0]!, r!.shape[1])), 0));
      let m = tf.mul(q!, d);
      if (rows < cols) m = tf.transpose(m);
      return tf.reshape(tf.mul(m, this.gain), shape);
    });
  }
  override getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

type InitCtor = new (opts?: never) => Initializer;
const INITIALIZERS: Record<string, InitCtor> = {
  GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal,
  Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, Orthogonal,
  VarianceScaling,
} as Record<string, InitCtor>;

/** Initializer names accepted in layer options (camelCase, snake_case or class name). */
export type InitializerName =
  | 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'lecunUniform' | 'lecunNormal'
  | 'zeros' | 'ones' | 'constant' | 'randomNormal' | 'randomUniform' | 'truncatedNormal' | 'orthogonal'
  | (string & {});

/** An initializer given by name, instance or serialized spec. */
export type InitializerIdentifier = InitializerName | Initializer | InitializerSpec;

function lookup(name: string): InitCtor | undefined {
  const key = name.replace(/_/g, '').toLowerCase();
  return Object.entries(INITIALIZERS).find(([k]) => k.toLowerCase() === key)?.[1];
}

/**
 * Resolves an initializer from a name (`'heNormal'`, `'he_normal'`), an instance, or a
 * saved `{ class_name, config }`.
 * @param owner - for error messages, e.g. `Dense 'dense_1'`.
 * @param arg - the option's name, e.g. `kernelInitializer`.
 */
export function getInitializer(id: InitializerIdentifier, owner = 'initializer', arg = 'initializer'): Initializer {
  if (id instanceof Initializer) return id;
  const name = typeof id === 'string' ? id : id?.class_name;
  const Ctor = typeof name === 'string' ? lookup(name) : undefined;
  if (!Ctor) {
    const known = Object.keys(INITIALIZERS).map((k) => k[0]!.toLowerCase() + k.slice(1)).join(', ');
    throw new ValueError(`${owner}: unknown ${arg} '${String(name)}'; expected one of ${known}`);
  }
  const cfg = typeof id === 'string' ? {} : camelKeys(id.config ?? {});
  return new Ctor(cfg as never);
}

/** Serializes an initializer to the Keras `{ class_name, config }` form. */
export function serializeInitializer(init: Initializer): InitializerSpec {
  return { class_name: init.className, config: init.getConfig() };
}

function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== null) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out;
}

