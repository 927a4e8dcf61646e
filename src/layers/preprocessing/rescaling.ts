import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';

/** Options of {@link rescaling}. */
export interface RescalingOptions extends LayerOptions {
  /** Factor each input is multiplied by: a number, or one per channel (last axis). Required. */
  scale: number | number[];
  /** Value added after scaling: a number, or one per channel (last axis). Default 0. */
  offset?: number | number[];
}

function checkFactor(v: unknown, owner: string, arg: string): number | number[] {
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  if (ok(v)) return v as number;
  if (Array.isArray(v) && v.length > 0 && v.every(ok)) return [...(v as number[])];
  throw new ValueError(`${owner}: '${arg}' must be a finite number or a non-empty list of them; got ${JSON.stringify(v)}`);
}

/**
 * Rescales inputs: `x · scale + offset` (Keras `Rescaling`). Lists broadcast over the last
 * axis, e.g. per-channel factors of an RGB image.
 */
export class Rescaling extends Layer {
  readonly className = 'Rescaling';
  /** Multiplier. */
  readonly scale: number | number[];
  /** Added after scaling. */
  readonly offset: number | number[];

  constructor(opts: RescalingOptions) {
    super(opts);
    this.scale = checkFactor(opts?.scale, this.label, 'scale');
    this.offset = checkFactor(opts.offset ?? 0, this.label, 'offset');
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const asTensor = (v: number | number[]) => (typeof v === 'number' ? tf.scalar(v) : tf.tensor1d(v));
    return tf.add(tf.mul(x, asTensor(this.scale)), asTensor(this.offset));
  }

  override getConfig(): RescalingOptions {
    const copy = (v: number | number[]) => (typeof v === 'number' ? v : [...v]);
    return { ...super.getConfig(), scale: copy(this.scale), offset: copy(this.offset) };
  }
}

/**
 * Multiplies inputs by `scale` and adds `offset`.
 * @example
 * ```ts
 * st.layers.rescaling({ scale: 1 / 127.5, offset: -1 }) // [0, 255] -> [-1, 1]
 * ```
 */
export function rescaling(opts: RescalingOptions): Rescaling {
  return new Rescaling(opts);
}
