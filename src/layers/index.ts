/**
 * Layer factories and classes: `st.layers.dense({ units: 10 })` returns a `Dense`.
 * @module
 */
export { input, InputLayer, type InputOptions } from './core/input.js';
export { dense, Dense, type DenseOptions } from './core/dense.js';
export { activation, Activation, type ActivationOptions } from './activation/activation.js';
export {
  reLU, ReLU, type ReLUOptions, leakyReLU, LeakyReLU, type LeakyReLUOptions,
  elu, ELU, type ELUOptions, softmax, Softmax, type SoftmaxOptions,
} from './activation/relu.js';
export { prelu, PReLU, type PReLUOptions } from './activation/prelu.js';
