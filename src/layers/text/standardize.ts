/** How text is cleaned before splitting: a built-in mode, a function, or `null` for none. */
export type Standardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null | ((text: string) => string);

// Keras' default strips ASCII and Unicode punctuation: [!"#$%&()*+,-./:;<=>?@[\]^_`{|}~'].
const PUNCT = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

/** Applies a standardization mode to one text. */
export function standardizeText(text: string, mode: Standardize): string {
  if (mode === null) return text;
  if (typeof mode === 'function') return mode(text);
  const lower = mode === 'lower' || mode === 'lower_and_strip_punctuation' ? text.toLowerCase() : text;
  return mode === 'lower' ? lower : lower.replace(PUNCT, '');
}
