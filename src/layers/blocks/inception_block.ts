import { tf } from '../../backend/tf.js';
import { ShapeError, fmtShape } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type Initializer, type InitializerIdentifier } from '../../engine/initializers.js';
import type { CallContext, LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { Conv2D } from '../conv/conv2d.js';
import { checkPositiveInt } from '../conv/conv_utils.js';
import { MaxPooling2D } from '../pooling/pooling2d.js';
import { CompositeLayer } from './composite.js';

/** Options of {@link inceptionBlock}. Every filter count is a positive integer and required. */
export interface InceptionBlockOptions extends LayerOptions {
  /** Channels of the 1×1 branch. */
  filters1x1: number;
  /** Channels of the 1×1 reduction before the 3×3 convolution. */
  filters3x3Reduce: number;
  /** Channels of the 3×3 branch. */
  filters3x3: number;
  /** Channels of the 1×1 reduction before the 5×5 convolution. */
  filters5x5Reduce: number;
  /** Channels of the 5×5 branch. */
  filters5x5: number;
  /** Channels of the 1×1 projection after the 3×3 max-pool. */
  filtersPoolProj: number;
  /**
   * Initializer of every convolution kernel in the block. One instance serves all six, so a
   * seeded one (`st.initializers.heNormal({ seed: 1 })`) makes the whole block reproducible.
   * Default `'glorotUniform'`.
   */
  kernelInitializer?: InitializerIdentifier;
}

const FILTER_KEYS = ['filters1x1', 'filters3x3Reduce', 'filters3x3', 'filters5x5Reduce', 'filters5x5', 'filtersPoolProj'] as const;

/**
 * A GoogLeNet inception module for channels-last images: four parallel branches, each
 * with 'same' padding and ReLU — 1×1; 1×1 → 3×3; 1×1 → 5×5; 3×3 max-pool (stride 1) →
 * 1×1 — joined on the channel axis. The spatial size is kept; the output has
 * `filters1x1 + filters3x3 + filters5x5 + filtersPoolProj` channels.
 */
export class InceptionBlock extends CompositeLayer {
  readonly className = 'InceptionBlock';
  /** Channels of the 1×1 branch. */
  readonly filters1x1: number;
  /** Channels of the 1×1 reduction before the 3×3 convolution. */
  readonly filters3x3Reduce: number;
  /** Channels of the 3×3 branch. */
  readonly filters3x3: number;
  /** Channels of the 1×1 reduction before the 5×5 convolution. */
  readonly filters5x5Reduce: number;
  /** Channels of the 5×5 branch. */
  readonly filters5x5: number;
  /** Channels of the 1×1 projection after the 3×3 max-pool. */
  readonly filtersPoolProj: number;
  /** Initializer shared by every convolution kernel of the block. */
  readonly kernelInitializer: Initializer;
  private readonly branches: (Conv2D | MaxPooling2D)[][];

  constructor(opts: InceptionBlockOptions) {
    super(opts);
    const f = {} as Record<(typeof FILTER_KEYS)[number], number>;
    for (const k of FILTER_KEYS) f[k] = checkPositiveInt(opts?.[k], this.label, k);
    this.filters1x1 = f.filters1x1;
    this.filters3x3Reduce = f.filters3x3Reduce;
    this.filters3x3 = f.filters3x3;
    this.filters5x5Reduce = f.filters5x5Reduce;
    this.filters5x5 = f.filters5x5;
    this.filtersPoolProj = f.filtersPoolProj;
    this.kernelInitializer = getInitializer(opts.kernelInitializer ?? 'glorotUniform', this.label, 'kernelInitializer');
    this.inputSpec = { ndim: 4 };

    const kernelInitializer = this.kernelInitializer;
    const conv = (role: string, filters: number, k: number) =>
      this.own(role, new Conv2D({ filters, kernelSize: k, padding: 'same', activation: 'relu', kernelInitializer }));
    this.branches = [
      [conv('branch1x1', f.filters1x1, 1)],
      [conv('branch3x3_reduce', f.filters3x3Reduce, 1), conv('branch3x3', f.filters3x3, 3)],
      [conv('branch5x5_reduce', f.filters5x5Reduce, 1), conv('branch5x5', f.filters5x5, 5)],
      [this.own('branch_pool', new MaxPooling2D({ poolSize: 3, strides: 1, padding: 'same' })), conv('branch_pool_proj', f.filtersPoolProj, 1)],
    ];
  }

  /** Channels of the output: the sum of the four branches'. */
  get outputChannels(): number {
    return this.filters1x1 + this.filters3x3 + this.filters5x5 + this.filtersPoolProj;
  }

  protected override build(inputShape: Shape): void {
    const inC = inputShape[3];
    if (inC === null || inC === undefined) {
      throw new ShapeError(`${this.label}: the channel dimension must be known; got input shape ${fmtShape(inputShape)}`);
    }
    for (const branch of this.branches) {
      let s = inputShape;
      for (const l of branch) {
        l.ensureBuilt(s);
        s = l.computeOutputShape(s);
      }
    }
    this.inputSpec = { ndim: 4, axes: { 3: inC } };
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const outs = this.branches.map((branch) => branch.reduce((t, l) => l.apply(t, ctx) as tf.Tensor, x));
    return tf.concat(outs, 3);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, inputShape[1] ?? null, inputShape[2] ?? null, this.outputChannels];
  }

  override getConfig(): InceptionBlockOptions {
    return {
      ...super.getConfig(),
      filters1x1: this.filters1x1,
      filters3x3Reduce: this.filters3x3Reduce,
      filters3x3: this.filters3x3,
      filters5x5Reduce: this.filters5x5Reduce,
      filters5x5: this.filters5x5,
      filtersPoolProj: this.filtersPoolProj,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
    };
  }
}

/**
 * A GoogLeNet inception module (the "3a" module is
 * `{ filters1x1: 64, filters3x3Reduce: 96, filters3x3: 128, filters5x5Reduce: 16, filters5x5: 32, filtersPoolProj: 32 }`).
 * @example
 * ```ts
 * st.layers.inceptionBlock({ filters1x1: 8, filters3x3Reduce: 8, filters3x3: 16,
 *                            filters5x5Reduce: 2, filters5x5: 4, filtersPoolProj: 4 })
 * ```
 */
export function inceptionBlock(opts: InceptionBlockOptions): InceptionBlock {
  return new InceptionBlock(opts);
}
