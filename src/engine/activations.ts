import { tf } from '../backend/tf.js';
import { ValueError } from './errors.js';

/** Activation names accepted by layers (camelCase or the Keras snake_case form). */
export type ActivationName =
  | 'linear' | 'relu' | 'relu6' | 'elu' | 'selu' | 'sigmoid' | 'hardSigmoid' | 'hard_sigmoid'
  | 'tanh' | 'softmax' | 'softplus' | 'softsign' | 'swish' | 'silu' | 'gelu'
  | 'hardSilu' | 'hard_silu' | 'hardSwish' | 'hard_swish' | 'mish';

/** An elementwise (or, for softmax, last-axis) activation function. */
export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

const SQRT_HALF = Math.SQRT1_2;

const TABLE: Record<string, ActivationFn> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  sigmoid: (x) => tf.sigmoid(x),
  // Keras 3 hard_sigmoid: relu6(x + 3) / 6.
  hard_sigmoid: (x) => tf.div(tf.relu6(tf.add(x, 3)), 6),
  tanh: (x) => tf.tanh(x),
  softmax: (x) => tf.softmax(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  // Exact x·Φ(x), as Keras' default gelu (approximate=False) and tfjs-layers' 'gelu'.
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, SQRT_HALF)))),
  // Keras 3 hard_silu (alias hard_swish): x · relu6(x + 3) / 6.
  hard_silu: (x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)),
  // x · tanh(softplus(x)) (Misra 2019), as Keras' mish.
  mish: (x) => tf.mul(x, tf.tanh(tf.softplus(x))),
};
TABLE.silu = TABLE.swish!;
TABLE.hard_swish = TABLE.hard_silu!;

/** Canonical (Keras snake_case) name of an activation, or undefined if unknown. */
export function canonicalActivation(name: string): string | undefined {
  const snake = name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  if (snake === 'silu') return 'swish';
  if (snake === 'hard_swish') return 'hard_silu';
  return snake in TABLE ? snake : undefined;
}

/** All activation names, in their canonical form. */
export const ACTIVATION_NAMES: readonly string[] = Object.keys(TABLE).filter((n) => n !== 'silu' && n !== 'hard_swish');

/**
 * Looks up an activation function by name.
 * @throws ValueError naming `owner` and the known names when the name is unknown.
 */
export function getActivation(name: string, owner = 'activation', arg = 'activation'): ActivationFn {
  const c = typeof name === 'string' ? canonicalActivation(name) : undefined;
  if (!c) {
    throw new ValueError(`${owner}: unknown ${arg} '${String(name)}'; expected one of ${ACTIVATION_NAMES.join(', ')}`);
  }
  return TABLE[c]!;
}
