import { tf } from '../../backend/tf.js';
import { uniformSource } from '../../data/rng.js';
import { ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { checkDataFormat, fromChannelsLast, toChannelsLast, type DataFormat } from '../conv/conv_utils.js';

/** Options every augmentation layer accepts. */
export interface RandomLayerOptions extends LayerOptions {
  /**
   * Seed of the layer's own generator: two layers made with the same seed draw the same
   * parameters, batch after batch, so training runs repeat. Default: unseeded (`Math.random`).
   */
  seed?: number;
  /** `'channelsLast'` (NHWC) or `'channelsFirst'` (NCHW). Default `'channelsLast'`. */
  dataFormat?: DataFormat;
}

/**
 * The base of the augmentation layers. Outside training it passes images through
 * ({@link RandomLayer.inference}); in training it draws parameters for the batch on the
 * host from its seeded generator ({@link RandomLayer.sampleParams}: a few numbers per
 * image, uploaded, never read back) and applies them on the device
 * ({@link RandomLayer.applyParams}). Subclasses see NHWC images whatever the data format.
 */
export abstract class RandomLayer<P> extends Layer {
  /** Seed of the generator; undefined when unseeded. */
  readonly seed?: number;
  /** Channel axis position. */
  readonly dataFormat: DataFormat;
  private random: () => number;

  constructor(opts: RandomLayerOptions = {}) {
    super(opts);
    if (opts.seed !== undefined && !Number.isInteger(opts.seed)) {
      throw new ValueError(`${this.label}: 'seed' must be an integer; got ${JSON.stringify(opts.seed)}`);
    }
    this.seed = opts.seed;
    this.random = uniformSource(opts.seed);
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    this.inputSpec = { ndim: 4 };
  }

  /** Restarts the generator from the seed, so the next batches repeat the first ones. */
  resetSeed(): void {
    this.random = uniformSource(this.seed);
  }

  /** `count` uniform numbers in `[lo, hi)` from the layer's generator. */
  protected uniform(count: number, lo: number, hi: number): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = lo + (hi - lo) * this.random();
    return out;
  }

  /** Draws the parameters for a batch of `n` images of `h × w` pixels. */
  abstract sampleParams(n: number, h: number, w: number): P;

  /** Applies drawn parameters to NHWC images (for tests and custom pipelines, also outside training). */
  abstract applyParams(x: tf.Tensor4D, params: P): tf.Tensor4D;

  /** What the layer does outside training, on NHWC images: nothing, unless a subclass says otherwise. */
  protected inference(x: tf.Tensor4D): tf.Tensor4D {
    return x;
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor {
    const x = toChannelsLast((Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D, this.dataFormat);
    const [n, h, w] = x.shape;
    const y = ctx.training ? this.applyParams(x, this.sampleParams(n, h, w)) : this.inference(x);
    return fromChannelsLast(y, this.dataFormat);
  }

  override getConfig(): RandomLayerOptions {
    return { ...super.getConfig(), ...(this.seed !== undefined ? { seed: this.seed } : {}), dataFormat: this.dataFormat };
  }
}

/** A `[lower, upper]` range of a random factor. */
export type FactorRange = [number, number];

/**
 * Reads a Keras factor: a number `f` means `[-f, f]` (cut at `bounds`), a pair is sorted.
 * @throws ValueError naming `owner` and `arg` for anything else or values outside `bounds`.
 */
export function factorRange(v: unknown, owner: string, arg: string, bounds: [number, number]): FactorRange {
  const inBounds = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= bounds[0] && x <= bounds[1];
  if (inBounds(v)) {
    const f = Math.abs(v);
    return [Math.max(-f, bounds[0]), Math.min(f, bounds[1])];
  }
  if (Array.isArray(v) && v.length === 2 && v.every(inBounds)) {
    const [a, b] = v as [number, number];
    return a <= b ? [a, b] : [b, a];
  }
  throw new ValueError(`${owner}: '${arg}' must be a number or a [lower, upper] pair within [${bounds[0]}, ${bounds[1]}]; got ${JSON.stringify(v)}`);
}

/** A tensor of per-image values shaped `[n, 1, 1, 1]`, to broadcast over NHWC images. */
export function perImage(values: Float32Array): tf.Tensor4D {
  return tf.tensor4d(values, [values.length, 1, 1, 1]);
}
