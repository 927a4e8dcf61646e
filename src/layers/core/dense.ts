import { fusedMatMul } from '../../backend/fused.js';
import { tf } from '../../backend/tf.js';
import { ValueError } from '../../engine/errors.js';
import { canonicalActivation, getActivation, type ActivationName } from '../../engine/activations.js';
import { serializeInitializer, getInitializer, type InitializerIdentifier } from '../../engine/initializers.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from '../../engine/regularizers.js';
import type { Shape } from '../../engine/shape.js';
import type { LayerWeight } from '../../engine/weight.js';

/** Options of {@link dense}. */
export interface DenseOptions extends LayerOptions {
  /** Number of output units (> 0). Required. */
  units: number;
  /** Activation applied to the output. Default `'linear'`. */
  activation?: ActivationName;
  /** Whether to add a bias. Default true. */
  useBias?: boolean;
  /** Kernel initializer. Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Bias initializer. Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the kernel added to the loss, e.g. `st.regularizers.l2()`. Default none. */
  kernelRegularizer?: RegularizerIdentifier;
  /** Penalty on the bias. Default none. */
  biasRegularizer?: RegularizerIdentifier;
  /** Size of the input's last dimension, as a shorthand for `inputShape: [inputDim]`. */
  inputDim?: number;
}

// Activations tfjs-core can fuse into its matMul kernel.
const FUSABLE = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid']);

/** A fully connected layer: `activation(x · kernel + bias)` on the last axis. */
export class Dense extends Layer {
  readonly className = 'Dense';
  override supportsMasking = true;
  /** Number of output units. */
  readonly units: number;
  /** Canonical name of the activation applied to the output. */
  readonly activation: string;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  private readonly opts: DenseOptions;
  private kernel?: LayerWeight;
  private bias?: LayerWeight;

  constructor(opts: DenseOptions) {
    super(opts.inputDim !== undefined && !opts.inputShape && !opts.batchInputShape
      ? { ...opts, inputShape: [opts.inputDim] } : opts);
    this.opts = opts;
    if (!Number.isInteger(opts?.units) || opts.units <= 0) {
      throw new ValueError(`${this.label}: 'units' must be a positive integer; got ${String(opts?.units)}`);
    }
    this.units = opts.units;
    const act = opts.activation ?? 'linear';
    getActivation(act, this.label);
    this.activation = canonicalActivation(act)!;
    this.useBias = opts.useBias ?? true;
    getInitializer(opts.kernelInitializer ?? 'glorotUniform', this.label, 'kernelInitializer');
    getInitializer(opts.biasInitializer ?? 'zeros', this.label, 'biasInitializer');
    if (opts.kernelRegularizer) getRegularizer(opts.kernelRegularizer, this.label, 'kernelRegularizer');
    if (opts.biasRegularizer) getRegularizer(opts.biasRegularizer, this.label, 'biasRegularizer');
    this.inputSpec = { minNdim: 2 };
  }

  protected override build(inputShape: Shape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inDim === null || inDim === undefined) {
      throw new ValueError(`${this.label}: the last input dimension must be known; got ${JSON.stringify(inputShape)}`);
    }
    const o = this.opts;
    this.kernel = this.addWeight('kernel', [inDim, this.units], o.kernelInitializer ?? 'glorotUniform', {
      regularizer: o.kernelRegularizer ? getRegularizer(o.kernelRegularizer) : undefined,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], o.biasInitializer ?? 'zeros', {
        regularizer: o.biasRegularizer ? getRegularizer(o.biasRegularizer) : undefined,
      });
    }
    this.inputSpec = { minNdim: 2, axes: { [-1]: inDim } };
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const inDim = x.shape[x.shape.length - 1]!;
    const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
    let y: tf.Tensor;
    if (FUSABLE.has(this.activation)) {
      y = fusedMatMul({
        a: x2 as tf.Tensor2D,
        b: this.kernel!.read() as tf.Tensor2D,
        bias: this.bias?.read(),
        activation: this.activation as 'linear',
      });
    } else if (this.activation === 'softmax') {
      // Fused while training: one kernel through softmax and bias in the backward pass.
      y = fusedMatMul({ a: x2 as tf.Tensor2D, b: this.kernel!.read() as tf.Tensor2D, bias: this.bias?.read(), activation: 'softmax' });
    } else {
      y = tf.matMul(x2, this.kernel!.read());
      if (this.bias) y = tf.add(y, this.bias.read());
      y = getActivation(this.activation)(y);
    }
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): DenseOptions {
    const o = this.opts;
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation as ActivationName,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(getInitializer(o.kernelInitializer ?? 'glorotUniform')),
      biasInitializer: serializeInitializer(getInitializer(o.biasInitializer ?? 'zeros')),
      ...(o.kernelRegularizer ? { kernelRegularizer: serializeRegularizer(getRegularizer(o.kernelRegularizer)) } : {}),
      ...(o.biasRegularizer ? { biasRegularizer: serializeRegularizer(getRegularizer(o.biasRegularizer)) } : {}),
    };
  }
}

/**
 * A fully connected layer.
 * @example
 * ```ts
 * st.layers.dense({ units: 256, activation: 'relu' })
 * ```
 */
export function dense(opts: DenseOptions): Dense {
  return new Dense(opts);
}
