export { textVectorization, TextVectorization, type TextVectorizationOptions, type TextOutputMode } from './text_vectorization.js';
export { standardizeText, type Standardize } from './standardize.js';
export { splitText, type Split } from './tokenize.js';
export { Vocabulary } from './vocabulary.js';
