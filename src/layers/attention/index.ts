export { multiHeadAttention, MultiHeadAttention, type MultiHeadAttentionOptions } from './multi_head_attention.js';
export { attentionMask, type AttentionMaskParts } from './attention_mask.js';
export { scaledDotProduct, type AttentionResult } from './scaled_dot_product.js';
