import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { firstMask, type Mask, type MaskInput } from '../../engine/mask.js';
import { isShapeList, type Shape } from '../../engine/shape.js';
import { CompositeLayer } from '../blocks/composite.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { RNN } from './rnn.js';
import { readSerialized } from './serialized.js';
import { SimpleRNN } from './simple_rnn.js';

/** How the forward and backward outputs are combined. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** A recurrent layer in saved form. */
export interface SerializedRnn {
  /** Keras class name: `LSTM`, `GRU` or `SimpleRNN`. */
  className: string;
  /** Its options. */
  config: Record<string, unknown>;
}

/** Options of {@link bidirectional}. */
export interface BidirectionalOptions extends LayerOptions {
  /** The recurrent layer to run both ways (a copy with `goBackwards` flipped runs backwards). Required. */
  layer: RNN | SerializedRnn;
  /** How to combine the two directions: `'concat'` (last axis), `'sum'`, `'mul'`, `'ave'`, or `null` for a list `[forward, backward]`. Default `'concat'`. */
  mergeMode?: MergeMode;
}

const RNN_CLASSES: Record<string, new (o: never) => RNN> = { LSTM, GRU, SimpleRNN };

function rebuild(className: string, config: Record<string, unknown>, label: string): RNN {
  const Ctor = RNN_CLASSES[className];
  if (!Ctor) throw new ValueError(`${label}: 'layer' must be an LSTM, GRU or SimpleRNN; got '${className}'`);
  return new Ctor(config as never);
}

/**
 * Runs a recurrent layer forwards and a copy of it backwards and merges the two (Keras
 * `Bidirectional`). Sub-layers are `<name>/forward_<layer>` and `<name>/backward_<layer>`;
 * the backward sequence output is flipped back into time order before merging.
 */
export class Bidirectional extends CompositeLayer {
  readonly className = 'Bidirectional';
  override supportsMasking = true;
  /** How the outputs are combined. */
  readonly mergeMode: MergeMode;
  /** The forward layer. */
  readonly forwardLayer: RNN;
  /** The backward layer. */
  readonly backwardLayer: RNN;
  private readonly innerConfig: SerializedRnn;

  constructor(opts: BidirectionalOptions) {
    super(opts);
    const l = opts?.layer;
    const saved = l instanceof Layer ? undefined : readSerialized(l);
    if (!(l instanceof RNN) && !saved) {
      throw new ValueError(`${this.label}: 'layer' must be a recurrent layer (lstm, gru, simpleRNN); got ${String(l)}`);
    }
    const mm = opts.mergeMode === undefined ? 'concat' : opts.mergeMode;
    if (!['concat', 'sum', 'mul', 'ave', null].includes(mm)) {
      throw new ValueError(`${this.label}: 'mergeMode' must be 'concat', 'sum', 'mul', 'ave' or null; got ${JSON.stringify(mm)}`);
    }
    this.mergeMode = mm;
    const base: SerializedRnn = l instanceof RNN ? { className: l.className, config: { ...l.getConfig() } } : saved!;
    const { name: innerName, ...cfg } = base.config as { name?: string };
    this.innerConfig = { className: base.className, config: cfg };
    const stem = typeof innerName === 'string' ? innerName : base.className.toLowerCase();
    const fwd = l instanceof RNN ? l : rebuild(base.className, cfg, this.label);
    const bwd = rebuild(base.className, { ...cfg, goBackwards: !fwd.goBackwards }, this.label);
    for (const r of [fwd, bwd]) r.zeroOutputForMask = r.returnSequences;
    this.forwardLayer = this.own(`forward_${stem}`, fwd);
    this.backwardLayer = this.own(`backward_${stem}`, bwd);
  }

  private split<T>(list: T[]): [T[], T[]] {
    const n = (list.length - 1) / 2;
    return [[list[0]!, ...list.slice(1, 1 + n)], [list[0]!, ...list.slice(1 + n)]];
  }

  protected override build(inputShape: Shape | Shape[]): void {
    const [f, b] = isShapeList(inputShape) && inputShape.length > 1 ? this.split(inputShape) : [inputShape, inputShape];
    this.forwardLayer.ensureBuilt(f.length === 1 ? (f as Shape[])[0]! : f);
    this.backwardLayer.ensureBuilt(b.length === 1 ? (b as Shape[])[0]! : b);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const seq = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    const f = this.forwardLayer.computeOutputShape(seq);
    const outs = isShapeList(f) ? f : [f];
    const y = outs[0]!;
    const states = outs.slice(1);
    const merged: Shape[] = this.mergeMode === null ? [y, y]
      : this.mergeMode === 'concat' ? [[...y.slice(0, -1), 2 * (y[y.length - 1] as number)]] : [y];
    if (!this.forwardLayer.returnState) return merged.length === 1 ? merged[0]! : merged;
    return [...merged, ...states, ...states];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask: MaskInput | undefined): Mask | (Mask | null)[] | null {
    const m = firstMask(mask);
    const out = this.forwardLayer.returnSequences && m ? m : null;
    const outs: (Mask | null)[] = this.mergeMode === null ? [out, out] : [out];
    if (this.forwardLayer.returnState) outs.push(...this.forwardLayer.stateCount.flatMap(() => [null, null]));
    const cloned = outs.map((o) => (o ? tf.clone(o) : null));
    return cloned.length === 1 ? cloned[0]! : cloned;
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const [fi, bi] = list.length > 1 ? this.split(list) : [list, list];
    const sub: Partial<CallContext> = { training: ctx.training, mask: firstMask(ctx.mask) };
    const f = this.forwardLayer.apply(fi.length === 1 ? fi[0]! : fi, sub) as tf.Tensor | tf.Tensor[];
    const b = this.backwardLayer.apply(bi.length === 1 ? bi[0]! : bi, sub) as tf.Tensor | tf.Tensor[];
    const fl = Array.isArray(f) ? f : [f];
    const bl = Array.isArray(b) ? b : [b];
    const yf = fl[0]!;
    const yb = this.forwardLayer.returnSequences ? tf.reverse(bl[0]!, 1) : bl[0]!;
    let merged: tf.Tensor[];
    switch (this.mergeMode) {
      case 'concat': merged = [tf.concat([yf, yb], -1)]; break;
      case 'sum': merged = [tf.add(yf, yb)]; break;
      case 'mul': merged = [tf.mul(yf, yb)]; break;
      case 'ave': merged = [tf.mul(tf.add(yf, yb), 0.5)]; break;
      default: merged = [yf, yb];
    }
    const out = this.forwardLayer.returnState ? [...merged, ...fl.slice(1), ...bl.slice(1)] : merged;
    return out.length === 1 ? out[0]! : out;
  }

  override getConfig(): BidirectionalOptions {
    return { ...super.getConfig(), layer: this.innerConfig, mergeMode: this.mergeMode };
  }
}

/**
 * Runs a recurrent layer in both directions.
 * @example
 * ```ts
 * st.layers.bidirectional({ layer: st.layers.lstm({ units: 64, returnSequences: true }) })
 * ```
 */
export function bidirectional(opts: BidirectionalOptions): Bidirectional {
  return new Bidirectional(opts);
}
