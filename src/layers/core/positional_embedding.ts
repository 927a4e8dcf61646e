import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';

/** Options of {@link positionalEmbedding}. */
export interface PositionalEmbeddingOptions extends LayerOptions {
  /** Longest sequence the layer accepts. Required. */
  sequenceLength: number;
  /** Initializer of the position table. Default `'glorotUniform'` (keras-hub). */
  initializer?: InitializerIdentifier;
}

/**
 * Adds a learned vector per position to `[batch, time, features]` (as keras-hub's
 * `PositionEmbedding`, but returning `x + positions` so it drops in after an embedding).
 * Weight `embeddings [sequenceLength, features]`; shorter inputs use the first rows.
 * Padding masks pass through.
 */
export class PositionalEmbedding extends Layer {
  readonly className = 'PositionalEmbedding';
  override supportsMasking = true;
  /** Longest accepted sequence. */
  readonly sequenceLength: number;
  private readonly init: InitializerIdentifier;
  private table?: LayerWeight;

  constructor(opts: PositionalEmbeddingOptions) {
    super(opts);
    if (!Number.isInteger(opts?.sequenceLength) || opts.sequenceLength <= 0) {
      throw new ValueError(`${this.label}: 'sequenceLength' must be a positive integer; got ${String(opts?.sequenceLength)}`);
    }
    this.sequenceLength = opts.sequenceLength;
    this.init = opts.initializer ?? 'glorotUniform';
    getInitializer(this.init, this.label, 'initializer');
    this.inputSpec = { ndim: 3 };
  }

  protected override build(inputShape: Shape): void {
    const d = inputShape[2];
    if (d === null || d === undefined) throw new ShapeError(`${this.label}: the feature dimension must be known; got ${fmtShape(inputShape)}`);
    this.table = this.addWeight('embeddings', [this.sequenceLength, d], this.init);
  }

  override checkInput(inputShape: Shape | Shape[]): void {
    super.checkInput(inputShape);
    const t = (inputShape as Shape)[1];
    if (t !== null && t !== undefined && t > this.sequenceLength) {
      throw new ShapeError(`${this.label}: input has ${t} steps, more than 'sequenceLength' ${this.sequenceLength}`);
    }
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const t = x.shape[1]!;
    const pos = t === this.sequenceLength ? this.table!.read() : tf.slice(this.table!.read(), [0, 0], [t, -1]);
    return tf.add(x, pos);
  }

  override getConfig(): PositionalEmbeddingOptions {
    return { ...super.getConfig(), sequenceLength: this.sequenceLength, initializer: serializeInitializer(getInitializer(this.init)) };
  }
}

/**
 * Learned position vectors added to a sequence.
 * @example
 * ```ts
 * st.layers.positionalEmbedding({ sequenceLength: 200 })
 * ```
 */
export function positionalEmbedding(opts: PositionalEmbeddingOptions): PositionalEmbedding {
  return new PositionalEmbedding(opts);
}
