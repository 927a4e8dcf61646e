import { tf } from '../../backend/tf.js';
import { gruGates } from '../../backend/gru_gates.js';
import type { LayerWeight } from '../../engine/weight.js';
import { RnnCell, type AddWeight, type StepResult } from './cell.js';
import { cellConfig, resolveCell, type GatedCellOptions, type ResolvedCell } from './cell_options.js';
import { RNN } from './rnn.js';

/** Options of {@link gru}. */
export interface GRUOptions extends GatedCellOptions {
  /**
   * Apply the reset gate after the recurrent matrix product (Keras' default and cuDNN's
   * form; bias `[2, 3u]`: input and recurrent biases). False: before it (bias `[3u]`). Default true.
   */
  resetAfter?: boolean;
}

/**
 * The GRU step, gates in Keras order z, r, h:
 * `z = σ(xz + hz)`, `r = σ(xr + hr)`, `ĥ = tanh(xh + r·(h·Uh + bh))` (resetAfter) or
 * `tanh(xh + (r·h)·Uh)`, `h' = z·h + (1 − z)·ĥ`.
 */
export class GRUCell extends RnnCell {
  readonly stateSizes: number[];
  readonly outputSize: number;
  private kernel?: LayerWeight;
  private recurrentKernel?: LayerWeight;
  private bias?: LayerWeight;
  /** Apply the reset gate after the recurrent matrix product (Keras' default, `reset_after=True`). */
  readonly resetAfter: boolean;
  /**
   * @param c - the checked cell options
   * @param resetAfter - see {@link GRUCell.resetAfter}
   */
  constructor(private readonly c: ResolvedCell, resetAfter: boolean) {
    super();
    this.resetAfter = resetAfter;
    this.stateSizes = [c.units];
    this.outputSize = c.units;
  }
  build(inputDim: number, add: AddWeight): void {
    const u = this.c.units;
    this.kernel = add('kernel', [inputDim, 3 * u], this.c.kernelInitializer);
    this.recurrentKernel = add('recurrent_kernel', [u, 3 * u], this.c.recurrentInitializer);
    if (this.c.useBias) this.bias = add('bias', this.resetAfter ? [2, 3 * u] : [3 * u], this.c.biasInitializer);
  }
  projectInputs(x: tf.Tensor2D): tf.Tensor2D {
    const y = tf.matMul(x, this.kernel!.read() as tf.Tensor2D) as tf.Tensor2D;
    if (!this.bias) return y;
    const b = this.resetAfter ? tf.squeeze(tf.slice(this.bias.read(), [0, 0], [1, -1]), [0]) : this.bias.read();
    return tf.add(y, b) as tf.Tensor2D;
  }
  step(xp: tf.Tensor2D, states: tf.Tensor2D[], recurrentMask: tf.Tensor | null): StepResult {
    const u = this.c.units;
    const h0 = states[0]!;
    const hIn = recurrentMask ? tf.mul(h0, recurrentMask) as tf.Tensor2D : h0;
    const U = this.recurrentKernel!.read() as tf.Tensor2D;
    const [xz, xr, xh] = tf.split(xp, 3, 1);
    const { act, recAct } = this.c;
    let hh: tf.Tensor;
    let z: tf.Tensor;
    if (this.resetAfter) {
      let inner: tf.Tensor = tf.matMul(hIn, U);
      if (this.bias) inner = tf.add(inner, tf.squeeze(tf.slice(this.bias.read(), [1, 0], [1, -1]), [0]));
      const fused = this.c.activation === 'tanh' && this.c.recurrentActivation === 'sigmoid' ? gruGates(xp, inner as tf.Tensor2D, h0) : undefined;
      if (fused) return { output: fused, states: [fused] };
      const [rz, rr, rh] = tf.split(inner, 3, 1);
      z = recAct(tf.add(xz!, rz!));
      const r = recAct(tf.add(xr!, rr!));
      hh = act(tf.add(xh!, tf.mul(r, rh!)));
    } else {
      const inner = tf.matMul(hIn, tf.slice(U, [0, 0], [u, 2 * u]));
      const [rz, rr] = tf.split(inner, 2, 1);
      z = recAct(tf.add(xz!, rz!));
      const r = recAct(tf.add(xr!, rr!));
      hh = act(tf.add(xh!, tf.matMul(tf.mul(r, hIn), tf.slice(U, [0, 2 * u], [u, u]))));
    }
    const h = tf.add(tf.mul(z, h0), tf.mul(tf.sub(1, z), hh));
    return { output: h, states: [h] };
  }
}

/**
 * Gated recurrent unit (Keras `GRU`): weights `kernel [in, 3u]`, `recurrent_kernel [u, 3u]`,
 * `bias` (`[2, 3u]` with `resetAfter`, else `[3u]`), gates z, r, h.
 */
export class GRU extends RNN {
  get className(): string {
    return 'GRU';
  }
  /** Size of the state and output. */
  readonly units: number;
  /** Whether the reset gate is applied after the recurrent product. */
  readonly resetAfter: boolean;
  protected readonly cell: GRUCell;
  private readonly resolved: ResolvedCell;
  constructor(opts: GRUOptions) {
    super(opts);
    this.resolved = resolveCell(opts, this.label);
    this.units = this.resolved.units;
    this.resetAfter = opts.resetAfter ?? true;
    this.cell = new GRUCell(this.resolved, this.resetAfter);
  }
  override getConfig(): GRUOptions {
    return {
      ...super.getConfig(), ...cellConfig(this.resolved),
      recurrentActivation: this.resolved.recurrentActivation as GRUOptions['recurrentActivation'],
      resetAfter: this.resetAfter,
    };
  }
}

/**
 * A GRU layer.
 * @example
 * ```ts
 * st.layers.gru({ units: 64, resetAfter: true })
 * ```
 */
export function gru(opts: GRUOptions): GRU {
  return new GRU(opts);
}
