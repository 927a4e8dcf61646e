/**
 * Dense and convolution layers' forward passes with bias and activation fused while
 * training too. tfjs-core's `tf.fused.matMul` and `tf.fused.conv2d` fuse only outside
 * gradient recording (or for a linear activation): inside `fit` they run the product, an
 * `Add` and the activation as three kernels, and the gradient through bias and activation
 * as four to six more (`Step`, `Cast`, `Multiply`, `Sum`, reshapes), each a pass over the
 * layer's whole output. Here the forward pass is the backend's fused kernel, and the
 * gradient through activation and bias one kernel, `StrataBiasActivationGrad`, where the
 * backend has it (wasm) and the same arithmetic as tfjs ops elsewhere. The derivatives are
 * TensorFlow's, read from the activation's output (see `simd_activation_grad.ts`).
 *
 * Outside gradient recording these call tfjs-core's fused ops unchanged.
 * @module
 */
import { tf } from './tf.js';
import { BIAS_ACTIVATION_GRAD, isGradActivation, type BiasActivationGradAttrs, type TailActivation } from './kernels/bias_activation_grad.js';
import { recordingGradients } from './kernels/simd_mat_mul.js';
import { withOwnGradient } from './own_gradient.js';

/** Activations the layers fuse into their kernels (`softmax` only in {@link fusedMatMul}, and only while training). */
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'softmax';

/** `act'(y)` as tfjs ops, for backends without strata's kernel. */
function derivative(activation: Exclude<TailActivation, 'softmax'>, y: tf.Tensor): tf.Tensor | undefined {
  switch (activation) {
    case 'linear': return undefined;
    case 'relu': return tf.cast(tf.greater(y, 0), 'float32');
    case 'relu6': return tf.cast(tf.logicalAnd(tf.greater(y, 0), tf.less(y, 6)), 'float32');
    case 'sigmoid': return tf.mul(y, tf.sub(1, y));
    case 'elu': return tf.where(tf.greater(y, 0), tf.onesLike(y), tf.add(y, 1));
  }
}

/**
 * The gradient through an activation and a bias over the last axis: `dz = dy · act'(y)` from
 * the activation's output `y`, and with `hasBias` the bias gradient (`dz` summed over every
 * axis but the last).
 */
export function biasActivationGrad(
  dy: tf.Tensor, y: tf.Tensor, activation: TailActivation, hasBias: boolean,
): [tf.Tensor, tf.Tensor | undefined] {
  if (tf.getKernel(BIAS_ACTIVATION_GRAD, tf.getBackend()) && dy.dtype === 'float32') {
    const attrs: BiasActivationGradAttrs = { activation, hasBias };
    const out = tf.engine().runKernel(BIAS_ACTIVATION_GRAD, { dy, y }, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
    return [out[0]!, out[1]];
  }
  return tf.tidy(() => {
    let dz: tf.Tensor;
    if (activation === 'softmax') {
      dz = tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), -1, true)));
    } else {
      const d = derivative(activation, y);
      dz = d ? tf.mul(dy, d) : dy;
    }
    const db = hasBias ? tf.sum(dz, Array.from({ length: dz.rank - 1 }, (_, i) => i)) : undefined;
    return [dz, db] as [tf.Tensor, tf.Tensor | undefined];
  });
}

type Forward = (inputs: tf.Tensor[], bias: tf.Tensor | undefined) => tf.Tensor;
type Backward = (dz: tf.Tensor, inputs: tf.Tensor[]) => (() => tf.Tensor)[];

/**
 * `forward(inputs, bias)` with its gradient: one kernel through activation and bias, then
 * `backward`'s closures from there (only those the engine needs: a first layer's input
 * gradient, a product as large as its kernel's, is never computed), in `gradOrder` (indices
 * of `inputs`; their order by default).
 */
function withFusedGradient(
  forward: Forward, backward: Backward, inputs: tf.Tensor[], bias: tf.Tensor | undefined, activation: TailActivation, gradOrder?: number[],
): tf.Tensor {
  const n = inputs.length;
  const named: tf.NamedTensorMap = {};
  // The engine calls the closures in the order of these (non-numeric) keys.
  for (const i of gradOrder ?? inputs.map((_, i) => i)) named[`g${i}`] = inputs[i]!;
  if (bias) named[`g${n}`] = bias;
  return withOwnGradient(
    named,
    (save) => {
      const y = forward(inputs, bias);
      save([...inputs, y]);
      return y;
    },
    (dy, saved) => {
      // Computed here, in the backward pass's scope: the closures run in scopes of their own.
      const [dz, db] = biasActivationGrad(dy, saved[n]!, activation, bias !== undefined);
      const closures: Record<string, () => tf.Tensor> = {};
      backward(dz, saved.slice(0, n)).forEach((f, i) => { closures[`g${i}`] = f; });
      if (db) closures[`g${n}`] = () => db;
      return closures;
    },
  );
}

/** Arguments of {@link fusedMatMul}: `act(a · b + bias)` for 2-D `a` and `b`. */
export interface FusedMatMulArgs {
  /** `[m, k]` */
  a: tf.Tensor2D;
  /** `[k, n]` */
  b: tf.Tensor2D;
  /** `[n]`, optional. */
  bias?: tf.Tensor;
  /** The activation applied last. */
  activation: FusedActivation;
}

/**
 * `act(a · b + bias)`, as `tf.fused.matMul`, fused while training too. `softmax` (over the
 * last axis) is fused only while recording gradients: outside, the caller applies it.
 */
export function fusedMatMul({ a, b, bias, activation }: FusedMatMulArgs): tf.Tensor2D {
  if (activation === 'softmax' && !recordingGradients()) {
    return tf.softmax(tf.fused.matMul({ a, b, bias, activation: 'linear' })) as tf.Tensor2D;
  }
  if (!recordingGradients() || !isGradActivation(activation)) return tf.fused.matMul({ a, b, bias, activation: activation as 'linear' }) as tf.Tensor2D;
  const forward: Forward = ([x, w], bias) => {
    const z = tf.engine().runKernel(
      '_FusedMatMul', bias ? { a: x!, b: w!, bias } : { a: x!, b: w! },
      { transposeA: false, transposeB: false, activation: activation === 'softmax' ? 'linear' : activation, leakyreluAlpha: 0.2 },
    ) as tf.Tensor;
    if (activation !== 'softmax') return z;
    const y = tf.engine().runKernel('Softmax', { logits: z }, { dim: z.rank - 1 }) as tf.Tensor;
    z.dispose();
    return y;
  };
  const backward: Backward = (dz, [x, w]) => [() => tf.matMul(dz, w!, false, true), () => tf.matMul(x!, dz, true, false)];
  return withFusedGradient(forward, backward, [a, b], bias, activation) as tf.Tensor2D;
}

/** Arguments of {@link fusedConv2d}: an undilated NHWC convolution, then bias and activation. */
export interface FusedConv2dArgs {
  /** `[batch, height, width, inChannels]` */
  x: tf.Tensor4D;
  /** `[kh, kw, inChannels, outChannels]` */
  filter: tf.Tensor4D;
  /** `[strideHeight, strideWidth]` */
  strides: [number, number];
  /** `'valid'` or `'same'`. */
  pad: 'valid' | 'same';
  /** `[outChannels]`, optional. */
  bias?: tf.Tensor;
  /** The activation applied last. */
  activation: Exclude<FusedActivation, 'softmax'>;
}

/** `act(conv2d(x, filter) + bias)`, as `tf.fused.conv2d`, fused while training too. */
export function fusedConv2d({ x, filter, strides, pad, bias, activation }: FusedConv2dArgs): tf.Tensor4D {
  if (!recordingGradients() || !isGradActivation(activation)) {
    return tf.fused.conv2d({ x, filter, strides, pad, bias, activation });
  }
  const common = { strides, pad, dataFormat: 'NHWC' as const, dimRoundingMode: undefined };
  const forward: Forward = ([input, kernel], bias) => tf.engine().runKernel(
    'FusedConv2D', bias ? { x: input!, filter: kernel!, bias } : { x: input!, filter: kernel! },
    { ...common, dilations: [1, 1], activation, leakyreluAlpha: 0.2 } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor;
  const backward: Backward = (dz, [input, kernel]) => [
    () => tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter: kernel! }, { ...common, inputShape: input!.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x: input!, dy: dz }, { ...common, filterShape: kernel!.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
  ];
  // The filter's gradient (strata's product loops) before the input's (XNNPACK's convolution):
  // after an XNNPACK job its pool's worker spins for 2–3 ms and slows a shared product that
  // follows; the pooling and activation gradients that follow instead are small. Bench CNN,
  // two threads: 0.968–0.977 of the step time the other way round (paired runs); one thread: level.
  return withFusedGradient(forward, backward, [x, filter], bias, activation, [1, 0]) as tf.Tensor4D;
}
