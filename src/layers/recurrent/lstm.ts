import { tf } from '../../backend/tf.js';
import { lstmGates } from '../../backend/lstm_gates.js';
import { Initializer, getInitializer } from '../../engine/initializers.js';
import type { LayerWeight } from '../../engine/weight.js';
import { RnnCell, type AddWeight, type StepResult } from './cell.js';
import { cellConfig, resolveCell, type GatedCellOptions, type ResolvedCell } from './cell_options.js';
import { RNN } from './rnn.js';

/** Options of {@link lstm}. */
export interface LSTMOptions extends GatedCellOptions {
  /** Initialize the forget gate's bias to 1 (the other gates' with `biasInitializer`), as Keras does. Default true. */
  unitForgetBias?: boolean;
}

// Bias [i f c o]: the forget part ones, the rest from the given initializer.
class UnitForgetBias extends Initializer {
  readonly className = 'UnitForgetBias';
  constructor(private readonly base: Initializer, private readonly units: number) {
    super();
  }
  apply(_shape: number[]): tf.Tensor {
    const u = this.units;
    return tf.tidy(() => {
      const b = this.base.apply([u]);
      return tf.concat([b, tf.ones([u]), this.base.apply([2 * u])]);
    });
  }
}

/**
 * The LSTM step, gates in Keras order i, f, c, o:
 * `z = x·W + h·U + b`; `c' = σ(f)·c + σ(i)·tanh(g)`; `h' = σ(o)·tanh(c')`.
 */
export class LSTMCell extends RnnCell {
  readonly stateSizes: number[];
  readonly outputSize: number;
  private kernel?: LayerWeight;
  private recurrentKernel?: LayerWeight;
  private bias?: LayerWeight;
  constructor(private readonly c: ResolvedCell, private readonly unitForgetBias: boolean) {
    super();
    this.stateSizes = [c.units, c.units];
    this.outputSize = c.units;
  }
  build(inputDim: number, add: AddWeight): void {
    const u = this.c.units;
    this.kernel = add('kernel', [inputDim, 4 * u], this.c.kernelInitializer);
    this.recurrentKernel = add('recurrent_kernel', [u, 4 * u], this.c.recurrentInitializer);
    if (this.c.useBias) {
      const base = getInitializer(this.c.biasInitializer);
      this.bias = add('bias', [4 * u], this.unitForgetBias ? new UnitForgetBias(base, u) : base);
    }
  }
  projectInputs(x: tf.Tensor2D): tf.Tensor2D {
    const y = tf.matMul(x, this.kernel!.read() as tf.Tensor2D) as tf.Tensor2D;
    return this.bias ? tf.add(y, this.bias.read()) as tf.Tensor2D : y;
  }
  step(xp: tf.Tensor2D, states: tf.Tensor2D[], recurrentMask: tf.Tensor | null): StepResult {
    const [h0, c0] = states as [tf.Tensor2D, tf.Tensor2D];
    const hIn = recurrentMask ? tf.mul(h0, recurrentMask) as tf.Tensor2D : h0;
    const z = tf.add(xp, tf.matMul(hIn, this.recurrentKernel!.read() as tf.Tensor2D)) as tf.Tensor2D;
    const fused = this.c.activation === 'tanh' && this.c.recurrentActivation === 'sigmoid' ? lstmGates(z, c0) : undefined;
    if (fused) return { output: fused[0], states: fused };
    const [zi, zf, zc, zo] = tf.split(z, 4, 1);
    const { act, recAct } = this.c;
    const c = tf.add(tf.mul(recAct(zf!), c0), tf.mul(recAct(zi!), act(zc!)));
    const h = tf.mul(recAct(zo!), act(c));
    return { output: h, states: [h, c] };
  }
}

/**
 * Long short-term memory (Keras `LSTM`): weights `kernel [in, 4u]`, `recurrent_kernel [u, 4u]`,
 * `bias [4u]`, gates i, f, c, o. States `[h, c]`.
 */
export class LSTM extends RNN {
  get className(): string {
    return 'LSTM';
  }
  /** Size of the state and output. */
  readonly units: number;
  protected readonly cell: LSTMCell;
  private readonly resolved: ResolvedCell;
  private readonly unitForgetBias: boolean;
  constructor(opts: LSTMOptions) {
    super(opts);
    this.resolved = resolveCell(opts, this.label);
    this.units = this.resolved.units;
    this.unitForgetBias = opts.unitForgetBias ?? true;
    this.cell = new LSTMCell(this.resolved, this.unitForgetBias);
  }
  override getConfig(): LSTMOptions {
    return {
      ...super.getConfig(), ...cellConfig(this.resolved),
      recurrentActivation: this.resolved.recurrentActivation as LSTMOptions['recurrentActivation'],
      unitForgetBias: this.unitForgetBias,
    };
  }
}

/**
 * An LSTM layer.
 * @example
 * ```ts
 * st.layers.lstm({ units: 64, returnSequences: true })
 * ```
 */
export function lstm(opts: LSTMOptions): LSTM {
  return new LSTM(opts);
}
