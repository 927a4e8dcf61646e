/**
 * Composite layers made of other layers: residual and inception blocks.
 * @module
 */
export { CompositeLayer } from './composite.js';
export { ResidualBlock, residualBlock, type ResidualBlockOptions } from './residual_block.js';
export { InceptionBlock, inceptionBlock, type InceptionBlockOptions } from './inception_block.js';
export { TransformerEncoder, transformerEncoderBlock, type TransformerEncoderOptions } from './transformer_encoder.js';
