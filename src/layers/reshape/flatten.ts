import { tf } from '../../backend/tf.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { checkDataFormat, type DataFormat } from '../conv/conv_utils.js';

/** Options of {@link flatten}. */
export interface FlattenOptions extends LayerOptions {
  /**
   * Layout of image inputs. With `'channelsFirst'` the channel axis is moved last before
   * flattening, so the order of the values (and of a following Dense kernel's rows) is the
   * same as for channels-last data, as in Keras. Default `'channelsLast'`.
   */
  dataFormat?: DataFormat;
}

/** Flattens each sample to one axis: `[n, d1, d2, …] -> [n, d1 · d2 · …]`. */
export class Flatten extends Layer {
  readonly className = 'Flatten';
  /** Layout of image inputs. */
  readonly dataFormat: DataFormat;

  constructor(opts: FlattenOptions = {}) {
    super(opts);
    this.dataFormat = checkDataFormat(opts.dataFormat, this.label);
    this.inputSpec = { minNdim: 1 };
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    let x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (this.dataFormat === 'channelsFirst' && x.rank >= 3) {
      x = tf.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
    }
    const perSample = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return tf.reshape(x, [x.shape[0]!, perSample]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    const known = rest.every((d) => d !== null);
    return [inputShape[0] ?? null, known ? rest.reduce<number>((a, b) => a * b!, 1) : null];
  }

  override getConfig(): FlattenOptions {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

/**
 * Flattens each sample to a vector, e.g. between convolutions and Dense layers.
 * @example
 * ```ts
 * st.layers.flatten() // [n, 7, 7, 64] -> [n, 3136]
 * ```
 */
export function flatten(opts: FlattenOptions = {}): Flatten {
  return new Flatten(opts);
}
