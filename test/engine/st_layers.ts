/** The layers under test, imported from their own modules (see `st.ts`). */
export { input, InputLayer, type InputOptions } from '../../src/layers/core/input.js';
export { dense, Dense, type DenseOptions } from '../../src/layers/core/dense.js';
export { activation, Activation, type ActivationOptions } from '../../src/layers/activation/activation.js';
export {
  reLU, ReLU, type ReLUOptions, leakyReLU, LeakyReLU, type LeakyReLUOptions,
  elu, ELU, type ELUOptions, softmax, Softmax, type SoftmaxOptions,
} from '../../src/layers/activation/relu.js';
export { prelu, PReLU, type PReLUOptions } from '../../src/layers/activation/prelu.js';
