import { tf } from '../../backend/tf.js';
import { ShapeError, ValueError, fmtShape } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { firstMask, type Mask, type MaskInput } from '../../engine/mask.js';
import { isShapeList, type Shape } from '../../engine/shape.js';
import { trainableFirst, type KerasVariables } from '../../engine/keras_variables.js';
import type { RnnCell } from './cell.js';
import { sequenceDropoutMask } from './recurrent_dropout.js';

/** Options every recurrent layer (SimpleRNN, LSTM, GRU) takes. */
export interface RnnOptions extends LayerOptions {
  /** Return the output of every step `[batch, time, units]` rather than the last `[batch, units]`. Default false. */
  returnSequences?: boolean;
  /** Also return the final states: the output becomes `[output, ...states]`. Default false. */
  returnState?: boolean;
  /** Process the sequence from its end; sequence outputs come back in that (reversed) order, as in Keras. Default false. */
  goBackwards?: boolean;
  /** Keep states between batches. Only `false` is supported. */
  stateful?: boolean;
  /** Accepted for Keras compatibility; the step loop is always unrolled over the known time steps. Default false. */
  unroll?: boolean;
  /** Fraction of the input features dropped while training (one mask per sequence), in [0, 1). Default 0. */
  dropout?: number;
  /** Fraction of the recurrent state dropped while training (one mask per sequence), in [0, 1). Default 0. */
  recurrentDropout?: number;
  /** Seed of the dropout masks. Default: unseeded. */
  seed?: number;
  /** Masked steps output zeros instead of repeating the previous output. Default false (Bidirectional sets it with `returnSequences`). */
  zeroOutputForMask?: boolean;
}

function checkRate(v: unknown, label: string, arg: string): number {
  const r = v ?? 0;
  if (typeof r !== 'number' || !Number.isFinite(r) || r < 0 || r >= 1) {
    throw new ValueError(`${label}: '${arg}' must be a number in [0, 1); got ${String(v)}`);
  }
  return r;
}

/**
 * The steps of `[batch, time, ...]` along the time axis. A copy of unstack's array: the
 * engine's tape holds unstack's own, which must keep its order. One step is a reshape:
 * tfjs' `Unpack` gradient fails for a single output (it receives the tensor, not a list).
 */
function byStep(t: tf.Tensor): tf.Tensor[] {
  return t.shape[1] === 1 ? [tf.squeeze(t, [1])] : [...tf.unstack(t, 1)];
}

/**
 * The recurrent driver: runs a cell over the time axis of `[batch, time, features]`.
 * The input kernel is applied to all steps in one matrix product; the loop then does only
 * the recurrent part, with no host round trip. A masked step keeps the previous states
 * and output. Initial states may be passed as extra inputs: `apply([x, h0, c0])`.
 */
export abstract class RNN extends Layer {
  override supportsMasking = true;
  /** Whether every step's output is returned. */
  readonly returnSequences: boolean;
  /** Whether the final states are returned too. */
  readonly returnState: boolean;
  /** Whether the sequence is processed from its end. */
  goBackwards: boolean;
  /** Input dropout rate. */
  readonly dropout: number;
  /** Recurrent dropout rate. */
  readonly recurrentDropout: number;
  /** Whether masked steps output zeros. */
  zeroOutputForMask: boolean;
  /** The step math. */
  protected abstract readonly cell: RnnCell;
  private readonly rnnOpts: RnnOptions;
  private dropoutCalls = 0;

  constructor(opts: RnnOptions) {
    super(opts);
    this.rnnOpts = opts;
    this.returnSequences = opts.returnSequences ?? false;
    this.returnState = opts.returnState ?? false;
    this.goBackwards = opts.goBackwards ?? false;
    this.zeroOutputForMask = opts.zeroOutputForMask ?? false;
    if (opts.stateful) throw new ValueError(`${this.label}: 'stateful' = true is not supported; pass initial states as extra inputs instead`);
    this.dropout = checkRate(opts.dropout, this.label, 'dropout');
    this.recurrentDropout = checkRate(opts.recurrentDropout, this.label, 'recurrentDropout');
    if (opts.seed !== undefined && !Number.isInteger(opts.seed)) {
      throw new ValueError(`${this.label}: 'seed' must be an integer; got ${String(opts.seed)}`);
    }
  }

  /** One entry per state (for callers that need the count). */
  get stateCount(): number[] {
    return this.cell.stateSizes;
  }

  /** The shape of the sequence input (the first, when initial states are given too). */
  protected seqShape(inputShape: Shape | Shape[]): Shape {
    const s = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    if (s.length !== 3) throw new ShapeError(`${this.label}: expected input of rank 3 [batch, time, features], got shape ${fmtShape(s)}`);
    return s;
  }

  protected override build(inputShape: Shape | Shape[]): void {
    const s = this.seqShape(inputShape);
    const d = s[2];
    if (d === null || d === undefined) throw new ValueError(`${this.label}: the feature dimension must be known; got ${fmtShape(s)}`);
    this.cell.build(d, (name, shape, init) => this.addWeight(name, shape, init));
  }

  override checkInput(inputShape: Shape | Shape[]): void {
    const s = this.seqShape(inputShape);
    if (isShapeList(inputShape)) {
      const states = inputShape.slice(1);
      const sizes = this.cell.stateSizes;
      if (states.length !== sizes.length || states.some((st, i) => st.length !== 2 || (st[1] !== null && st[1] !== sizes[i]))) {
        throw new ShapeError(`${this.label}: initial states must be ${sizes.length} tensor(s) of shape ${sizes.map((n) => `[batch,${n}]`).join(', ')}; got ${states.map(fmtShape).join(', ')}`);
      }
    }
    const w = this.weights[0];
    if (this.built && w && s[2] !== w.shape[0]) {
      throw new ShapeError(`${this.label}: expected input last dim ${w.shape[0]}, got ${s[2]} (input shape ${fmtShape(s)})`);
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const s = this.seqShape(inputShape);
    const out: Shape = this.returnSequences ? [s[0]!, s[1]!, this.cell.outputSize] : [s[0]!, this.cell.outputSize];
    if (!this.returnState) return out;
    return [out, ...this.cell.stateSizes.map((n) => [s[0]!, n] as Shape)];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask: MaskInput | undefined): Mask | (Mask | null)[] | null {
    const m = firstMask(mask);
    const out = this.returnSequences && m ? tf.clone(m) : null;
    if (!this.returnState) return out;
    return [out, ...this.cell.stateSizes.map(() => null)];
  }

  call(inputs: tf.Tensor | tf.Tensor[], ctx: CallContext): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0] as tf.Tensor3D;
    const [batch, time, dim] = x.shape;
    const sizes = this.cell.stateSizes;
    let states = (list.length > 1 ? list.slice(1) : sizes.map((n) => tf.zeros([batch, n]))) as tf.Tensor2D[];
    const mask = firstMask(ctx.mask);
    const seed = this.rnnOpts.seed;
    const draw = (size: number, rate: number) => {
      this.dropoutCalls += 1;
      return sequenceDropoutMask(batch, size, rate, seed === undefined ? undefined : seed + this.dropoutCalls);
    };
    let xin: tf.Tensor = x;
    if (ctx.training && this.dropout > 0) xin = tf.mul(x, tf.expandDims(draw(dim, this.dropout), 1));
    const recMask = ctx.training && this.recurrentDropout > 0 ? draw(this.cell.outputSize, this.recurrentDropout) : null;
    const xp = this.cell.projectInputs(tf.reshape(xin, [batch * time, dim]) as tf.Tensor2D);
    const steps = byStep(tf.reshape(xp, [batch, time, xp.shape[1]])) as tf.Tensor2D[];
    const stepMasks = mask ? byStep(tf.expandDims(tf.cast(mask, 'bool'), -1)) : null;
    if (this.goBackwards) {
      steps.reverse();
      stepMasks?.reverse();
    }
    const outputs: tf.Tensor[] = [];
    let last: tf.Tensor | null = null;
    for (let t = 0; t < time; t++) {
      const r = this.cell.step(steps[t]!, states, recMask);
      let out = r.output;
      let next = r.states as tf.Tensor2D[];
      const m = stepMasks?.[t];
      if (m) {
        // A masked step repeats the previous output (the first state, h, as Keras assumes) or gives zeros.
        out = tf.where(m, out, this.zeroOutputForMask ? tf.zerosLike(out) : states[0]!);
        next = next.map((s, i) => tf.where(m, s, states[i]!) as tf.Tensor2D);
      }
      states = next;
      last = out;
      if (this.returnSequences) outputs.push(out);
    }
    if (last === null) throw new ShapeError(`${this.label}: the input has no time steps (shape ${fmtShape(x.shape)})`);
    const y = this.returnSequences ? tf.stack(outputs, 1) : last;
    return this.returnState ? [y, ...states] : y;
  }

  /** Keras keeps a recurrent layer's variables on its cell: `<layer>/cell/vars/0..2`. */
  override kerasVariables(): KerasVariables {
    return { vars: [], children: [['cell', { vars: trainableFirst(this.weights) }]] };
  }

  override getConfig(): RnnOptions {
    const o = this.rnnOpts;
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: o.unroll ?? false,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      zeroOutputForMask: this.zeroOutputForMask,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
    };
  }
}
