import { tf } from '../../backend/tf.js';
import { ValueError, fmtShape } from '../../engine/errors.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Mask, MaskInput } from '../../engine/mask.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';

/** Options of {@link embedding}. */
export interface EmbeddingOptions extends LayerOptions {
  /** Vocabulary size: token ids run from 0 to `inputDim - 1`. Required. */
  inputDim: number;
  /** Size of each token's vector. Required. */
  outputDim: number;
  /** Initializer of the table. Default `'randomUniform'` (±0.05, as Keras). */
  embeddingsInitializer?: InitializerIdentifier;
  /** Treat id 0 as padding: the layer emits a mask that is false there. Default false. */
  maskZero?: boolean;
  /** Fixed sequence length, as a shorthand for `inputShape: [inputLength]`. */
  inputLength?: number;
}

/**
 * Maps integer token ids `[batch, ...]` to vectors `[batch, ..., outputDim]` (Keras
 * `Embedding`, weight `embeddings [inputDim, outputDim]`). With `maskZero`, id 0 is padding
 * and the output carries a mask that later layers (RNNs, attention, pooling) honour.
 */
export class Embedding extends Layer {
  readonly className = 'Embedding';
  override supportsMasking = true;
  /** Vocabulary size. */
  readonly inputDim: number;
  /** Vector size. */
  readonly outputDim: number;
  /** Whether id 0 is padding. */
  readonly maskZero: boolean;
  private readonly init: InitializerIdentifier;
  private embeddings?: LayerWeight;

  constructor(opts: EmbeddingOptions) {
    super(opts.inputLength !== undefined && !opts.inputShape && !opts.batchInputShape ? { ...opts, inputShape: [opts.inputLength] } : opts);
    for (const k of ['inputDim', 'outputDim'] as const) {
      if (!Number.isInteger(opts?.[k]) || opts[k] <= 0) {
        throw new ValueError(`${this.label}: '${k}' must be a positive integer; got ${String(opts?.[k])}`);
      }
    }
    this.inputDim = opts.inputDim;
    this.outputDim = opts.outputDim;
    this.maskZero = opts.maskZero ?? false;
    this.init = opts.embeddingsInitializer ?? { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } };
    getInitializer(this.init, this.label, 'embeddingsInitializer');
  }

  protected override build(_inputShape: Shape): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.init);
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const ids = x.dtype === 'int32' ? x : tf.cast(x, 'int32');
    const flat = tf.reshape(ids, [-1]);
    const y = tf.gather(this.embeddings!.read(), flat);
    return tf.reshape(y, [...x.shape, this.outputDim]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (!Array.isArray(inputShape)) throw new ValueError(`${this.label}: bad input shape ${fmtShape(inputShape)}`);
    return [...inputShape, this.outputDim];
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], _mask: MaskInput | undefined): Mask | null {
    if (!this.maskZero) return null;
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.notEqual(x, 0);
  }

  override getConfig(): EmbeddingOptions {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(getInitializer(this.init)),
      maskZero: this.maskZero,
    };
  }
}

/**
 * A lookup table from token ids to vectors.
 * @example
 * ```ts
 * st.layers.embedding({ inputDim: 20000, outputDim: 64, maskZero: true })
 * ```
 */
export function embedding(opts: EmbeddingOptions): Embedding {
  return new Embedding(opts);
}
