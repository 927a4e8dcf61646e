import { tf } from '../../backend/tf.js';
import { permutation } from '../../data/rng.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import type { Shape } from '../../engine/shape.js';
import type { RandomStream } from './noise.js';
import type { GanDataset } from './options.js';

/**
 * Where the real batches of an epoch come from. `begin` starts an epoch, `next` gives
 * its next batch (owned by the caller) or undefined at its end, `end` frees what the
 * epoch held.
 */
export interface RealBatches {
  /** Discriminator steps per epoch, when known. */
  readonly steps: number | undefined;
  /** Real samples per epoch, when known. */
  readonly samples: number | undefined;
  begin(): void;
  next(): Promise<tf.Tensor | undefined>;
  end(): void;
}

/** Checks that a real batch holds samples of `sampleShape` (the discriminator's input). */
export function checkRealShape(t: tf.Tensor, sampleShape: Shape, owner: string, what: string): void {
  const ok = t.rank === sampleShape.length && sampleShape.every((d, i) => i === 0 || d === null || d === t.shape[i]);
  if (!ok || t.shape[0] === 0) {
    throw new ShapeError(`${owner}: '${what}' must hold samples of shape ${fmtShape(sampleShape)} ` +
      `(the generator's output and the discriminator's input); got ${fmtShape(t.shape)}`);
  }
}

/** Real data held in one tensor: reshuffled each epoch, cut into `batchSize` batches (the last may be smaller). */
export class TensorBatches implements RealBatches {
  readonly steps: number;
  readonly samples: number;
  private perm: tf.Tensor1D | undefined;
  private index = 0;

  constructor(private readonly x: tf.Tensor, private readonly batchSize: number, private readonly random: RandomStream) {
    this.samples = x.shape[0]!;
    this.steps = Math.ceil(this.samples / batchSize);
  }

  begin(): void {
    this.perm = tf.tensor1d(permutation(this.samples, this.random.seed()), 'int32');
    this.index = 0;
  }

  async next(): Promise<tf.Tensor | undefined> {
    if (this.index >= this.steps || !this.perm) return undefined;
    const start = this.index * this.batchSize;
    const size = Math.min(this.batchSize, this.samples - start);
    this.index++;
    const perm = this.perm;
    return tf.tidy(() => {
      const rows = tf.gather(this.x, tf.slice(perm, [start], [size]));
      return rows.dtype === 'float32' ? rows : tf.cast(rows, 'float32');
    });
  }

  end(): void {
    this.perm?.dispose();
    this.perm = undefined;
  }
}

type AnyIterator = Iterator<tf.Tensor | { xs: tf.Tensor }> | AsyncIterator<tf.Tensor | { xs: tf.Tensor }>;

/** True for a (sync or async) iterable that is not a tensor. */
export function isGanDataset(v: unknown): v is GanDataset {
  return !!v && typeof v === 'object' && !(v instanceof tf.Tensor) &&
    (Symbol.asyncIterator in (v as object) || Symbol.iterator in (v as object));
}

/**
 * Real data from a dataset of batches. Without `stepsPerEpoch` each epoch iterates the
 * dataset afresh until it ends; with it, one iterator is drawn from across epochs.
 */
export class DatasetBatches implements RealBatches {
  readonly samples = undefined;
  private it: AnyIterator | undefined;
  private count = 0;
  /** True when a dataset with `stepsPerEpoch` ran out before the epoch was complete. */
  exhausted = false;

  constructor(private readonly data: GanDataset, readonly steps: number | undefined, private readonly sampleShape: Shape,
    private readonly owner: string) {}

  private iterate(): AnyIterator {
    const d = this.data as Partial<AsyncIterable<tf.Tensor> & Iterable<tf.Tensor>>;
    if (typeof d[Symbol.asyncIterator] === 'function') return d[Symbol.asyncIterator]!();
    return d[Symbol.iterator]!();
  }

  begin(): void {
    if (this.steps === undefined || !this.it) this.it = this.iterate();
    this.count = 0;
  }

  async next(): Promise<tf.Tensor | undefined> {
    if (!this.it || (this.steps !== undefined && this.count >= this.steps)) return undefined;
    const r = await this.it.next();
    if (r.done) {
      if (this.steps !== undefined) this.exhausted = true;
      return undefined;
    }
    const v = r.value;
    const t = v instanceof tf.Tensor ? v : v && typeof v === 'object' && v.xs instanceof tf.Tensor ? v.xs : undefined;
    if (!t) {
      throw new ValueError(`${this.owner}: each element of 'realData' must be a tensor (or { xs: tensor }); element ${this.count} is ${typeof v}`);
    }
    try {
      checkRealShape(t, this.sampleShape, this.owner, `realData element ${this.count}`);
    } catch (e) {
      t.dispose();
      throw e;
    }
    this.count++;
    if (t.dtype === 'float32') return t;
    const f = tf.cast(t, 'float32');
    t.dispose();
    return f;
  }

  end(): void {}
}
