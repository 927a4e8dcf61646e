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
export { dropout, Dropout, type DropoutOptions } from './core/dropout.js';
export { batchNormalization, BatchNormalization, type BatchNormalizationOptions } from './norm/index.js';
export {
  add, subtract, multiply, average, maximum, minimum, concatenate,
  Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Merge, ElementwiseMerge, type ConcatenateOptions,
} from './merge/index.js';
export {
  residualBlock, inceptionBlock, ResidualBlock, InceptionBlock, CompositeLayer,
  type ResidualBlockOptions, type InceptionBlockOptions,
} from './blocks/index.js';
export * from './conv/index.js';
export * from './pooling/index.js';
export * from './reshape/index.js';
export * from './preprocessing/index.js';
export { identity, Identity, type IdentityOptions } from './core/identity.js';
export * from './augmentation/index.js';
export { embedding, Embedding, type EmbeddingOptions } from './core/embedding.js';
export { masking, Masking, type MaskingOptions } from './core/masking.js';
export * from './recurrent/index.js';
export * from './attention/index.js';
export { TransformerEncoder, transformerEncoderBlock, type TransformerEncoderOptions } from './blocks/transformer_encoder.js';
export { positionalEmbedding, PositionalEmbedding, type PositionalEmbeddingOptions } from './core/positional_embedding.js';
export { layerNormalization, LayerNormalization, type LayerNormalizationOptions } from './norm/layer_normalization.js';
export * from './text/index.js';
