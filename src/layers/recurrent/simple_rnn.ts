import { tf } from '../../backend/tf.js';
import type { LayerWeight } from '../../engine/weight.js';
import { RnnCell, type AddWeight, type StepResult } from './cell.js';
import { cellConfig, resolveCell, type CellOptions, type ResolvedCell } from './cell_options.js';
import { RNN } from './rnn.js';

/** Options of {@link simpleRNN}. */
export type SimpleRNNOptions = CellOptions;

/** `h_t = activation(x_t · kernel + h_{t-1} · recurrent_kernel + bias)`. */
export class SimpleRNNCell extends RnnCell {
  readonly stateSizes: number[];
  readonly outputSize: number;
  private kernel?: LayerWeight;
  private recurrentKernel?: LayerWeight;
  private bias?: LayerWeight;
  constructor(private readonly c: ResolvedCell) {
    super();
    this.stateSizes = [c.units];
    this.outputSize = c.units;
  }
  build(inputDim: number, add: AddWeight): void {
    this.kernel = add('kernel', [inputDim, this.c.units], this.c.kernelInitializer);
    this.recurrentKernel = add('recurrent_kernel', [this.c.units, this.c.units], this.c.recurrentInitializer);
    if (this.c.useBias) this.bias = add('bias', [this.c.units], this.c.biasInitializer);
  }
  projectInputs(x: tf.Tensor2D): tf.Tensor2D {
    const y = tf.matMul(x, this.kernel!.read() as tf.Tensor2D) as tf.Tensor2D;
    return this.bias ? tf.add(y, this.bias.read()) as tf.Tensor2D : y;
  }
  step(xp: tf.Tensor2D, states: tf.Tensor2D[], recurrentMask: tf.Tensor | null): StepResult {
    const h0 = recurrentMask ? tf.mul(states[0]!, recurrentMask) as tf.Tensor2D : states[0]!;
    const h = this.c.act(tf.add(xp, tf.matMul(h0, this.recurrentKernel!.read() as tf.Tensor2D)));
    return { output: h, states: [h] };
  }
}

/** A fully connected recurrent layer (Keras `SimpleRNN`): weights `kernel`, `recurrent_kernel`, `bias`. */
export class SimpleRNN extends RNN {
  get className(): string {
    return 'SimpleRNN';
  }
  /** Size of the state and output. */
  readonly units: number;
  protected readonly cell: SimpleRNNCell;
  private readonly resolved: ResolvedCell;
  constructor(opts: SimpleRNNOptions) {
    super(opts);
    this.resolved = resolveCell(opts, this.label);
    this.units = this.resolved.units;
    this.cell = new SimpleRNNCell(this.resolved);
  }
  override getConfig(): SimpleRNNOptions {
    return { ...super.getConfig(), ...cellConfig(this.resolved) };
  }
}

/**
 * A simple recurrent layer.
 * @example
 * ```ts
 * st.layers.simpleRNN({ units: 32, returnSequences: true })
 * ```
 */
export function simpleRNN(opts: SimpleRNNOptions): SimpleRNN {
  return new SimpleRNN(opts);
}
