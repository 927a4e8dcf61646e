import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { firstMask, type Mask, type MaskInput } from '../../engine/mask.js';
import { isShapeList, type Shape } from '../../engine/shape.js';
import type { KerasVariables } from '../../engine/keras_variables.js';
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
  /**
   * The layer that runs backwards, when it is not simply a copy of `layer` (Keras'
   * `backward_layer`): its `goBackwards` must differ from `layer`'s, and its
   * `returnSequences` and `returnState` must match. Default: the copy.
   */
  backwardLayer?: RNN | SerializedRnn;
  /** How to combine the two directions: `'concat'` (last axis), `'sum'`, `'mul'`, `'ave'`, or `null` for a list `[forward, backward]`. Default `'concat'`. */
  mergeMode?: MergeMode;
}

const RNN_CLASSES: Record<string, new (o: never) => RNN> = { LSTM, GRU, SimpleRNN };

function rebuild(className: string, config: Record<string, unknown>, label: string, arg = 'layer'): RNN {
  const Ctor = Object.prototype.hasOwnProperty.call(RNN_CLASSES, className) ? RNN_CLASSES[className] : undefined;
  if (!Ctor) throw new ValueError(`${label}: '${arg}' must be an LSTM, GRU or SimpleRNN; got '${className}'`);
  return new Ctor(config as never);
}

/** A recurrent layer given as a layer or in saved form; undefined when it is neither. */
function asRnn(v: unknown, label: string, arg: string): RNN | undefined {
  if (v instanceof RNN) return v;
  if (v instanceof Layer) return undefined;
  const saved = readSerialized(v);
  return saved ? rebuild(saved.className, saved.config, label, arg) : undefined;
}

/** A layer's config without its name, for comparing two layers' options. */
function unnamed(l: RNN): Record<string, unknown> {
  const { name: _n, ...cfg } = l.getConfig() as Record<string, unknown>;
  return cfg;
}

/** `forward_lstm` → `lstm`: Keras names the two directions `forward_<name>` and `backward_<name>`. */
function stemOf(name: string | undefined, prefix: string, fallback: string): string {
  if (typeof name !== 'string') return fallback;
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name;
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
  /** Keys of the options besides those `getConfig` reports (`backwardLayer`, when it is the default copy). */
  static override readonly extraOptionKeys: readonly string[] = ['backwardLayer'];
  private readonly innerConfig: SerializedRnn;
  /** The backward layer's saved form, when it is not the default copy of `layer`. */
  private readonly backwardConfig?: SerializedRnn;

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
    const fallback = base.className.toLowerCase();
    const stem = stemOf(innerName, 'forward_', fallback);
    // Saved under its own name, as tfjs-layers does: the directions are forward_<name>, backward_<name>.
    this.innerConfig = { className: base.className, config: { ...cfg, name: stem } };
    const fwd = l instanceof RNN ? l : rebuild(base.className, cfg, this.label);
    let bwd: RNN;
    if (opts.backwardLayer === undefined) {
      bwd = rebuild(base.className, { ...cfg, goBackwards: !fwd.goBackwards }, this.label);
    } else {
      const given = asRnn(opts.backwardLayer, this.label, 'backwardLayer');
      if (!given) throw new ValueError(`${this.label}: 'backwardLayer' must be a recurrent layer (lstm, gru, simpleRNN); got ${String(opts.backwardLayer)}`);
      bwd = given;
      this.checkPair(fwd, bwd);
      const copy = { ...unnamed(fwd), goBackwards: !fwd.goBackwards, zeroOutputForMask: bwd.zeroOutputForMask };
      if (bwd.className !== fwd.className || JSON.stringify(unnamed(bwd)) !== JSON.stringify(copy)) {
        this.backwardConfig = { className: bwd.className, config: { ...unnamed(bwd), name: stemOf(bwd.name, 'backward_', fallback) } };
      }
    }
    const bwdName = opts.backwardLayer === undefined ? undefined : bwd.name;
    for (const r of [fwd, bwd]) r.zeroOutputForMask = r.returnSequences;
    this.forwardLayer = this.own(`forward_${stem}`, fwd);
    this.backwardLayer = this.own(`backward_${stemOf(bwdName ?? innerName, 'backward_', fallback)}`, bwd);
  }

  /** Keras' checks on a given backward layer. */
  private checkPair(fwd: RNN, bwd: RNN): void {
    if (fwd.goBackwards === bwd.goBackwards) {
      throw new ValueError(`${this.label}: 'backwardLayer' must have the opposite 'goBackwards' of 'layer'; both have ${fwd.goBackwards}`);
    }
    for (const k of ['returnSequences', 'returnState'] as const) {
      if (fwd[k] !== bwd[k]) throw new ValueError(`${this.label}: 'backwardLayer' must have the same '${k}' as 'layer' (${fwd[k]}); got ${bwd[k]}`);
    }
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
    const list = (s: Shape | Shape[]) => (isShapeList(s) ? s : [s]);
    const [y, ...fStates] = list(this.forwardLayer.computeOutputShape(seq));
    const [yb, ...bStates] = list(this.backwardLayer.computeOutputShape(seq));
    // A backward layer of its own may have other units: concat adds both sizes.
    const last = (s: Shape) => s[s.length - 1] as number;
    if (this.mergeMode !== 'concat' && this.mergeMode !== null && last(y!) !== last(yb!)) {
      throw new ShapeError(`${this.label}: mergeMode '${this.mergeMode}' needs both directions of one size; forward gives ${last(y!)}, backward ${last(yb!)}`);
    }
    const merged: Shape[] = this.mergeMode === null ? [y!, yb!]
      : this.mergeMode === 'concat' ? [[...y!.slice(0, -1), last(y!) + last(yb!)]] : [y!];
    if (!this.forwardLayer.returnState) return merged.length === 1 ? merged[0]! : merged;
    return [...merged, ...fStates, ...bStates];
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

  /** Keras keeps the two directions' variables under `forward_layer` and `backward_layer`. */
  override kerasVariables(): KerasVariables {
    return { vars: [], children: [['forward_layer', this.forwardLayer.kerasVariables()], ['backward_layer', this.backwardLayer.kerasVariables()]] };
  }

  override getConfig(): BidirectionalOptions {
    return {
      ...super.getConfig(), layer: this.innerConfig, mergeMode: this.mergeMode,
      ...(this.backwardConfig ? { backwardLayer: this.backwardConfig } : {}),
    };
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
