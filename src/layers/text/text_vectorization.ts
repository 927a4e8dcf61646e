import { tf } from '../../backend/tf.js';
import { StateError, ValueError } from '../../engine/errors.js';
import { Layer, type CallContext, type LayerOptions } from '../../engine/layer.js';
import type { Shape } from '../../engine/shape.js';
import { standardizeText, type Standardize } from './standardize.js';
import { splitText, type Split } from './tokenize.js';
import { Vocabulary } from './vocabulary.js';

/** What the layer outputs. */
export type TextOutputMode = 'int' | 'multiHot' | 'count' | 'tfIdf';

/** Options of {@link textVectorization}. */
export interface TextVectorizationOptions extends LayerOptions {
  /** Largest vocabulary, padding and OOV tokens included. Default: unlimited. */
  maxTokens?: number;
  /** Text cleaning: `'lower_and_strip_punctuation'` (default), `'lower'`, `'strip_punctuation'`, `null`, or a function. */
  standardize?: Standardize;
  /** `'whitespace'` (default), `'character'`, or `null` (whole text is one token). */
  split?: Split;
  /** `'int'` (token ids, default), `'multiHot'`, `'count'` or `'tfIdf'` (`[batch, vocabSize − 1]`: column 0 is OOV). */
  outputMode?: TextOutputMode;
  /** With `'int'`: pad with 0 / truncate to this many tokens. Default: the longest text in the batch. */
  outputSequenceLength?: number;
  /** A fixed vocabulary instead of `adapt` (without the `''` and `'[UNK]'` entries, which are added). */
  vocabulary?: string[];
}

/**
 * Turns strings into token ids or bag-of-words vectors (Keras `TextVectorization`):
 * standardize → split → look up in a vocabulary built by `adapt(texts)`. It runs on the
 * host (strings are not differentiable), so use it before the trainable layers or call
 * `vectorize(texts)` to prepare data. The vocabulary is part of its config, so it is saved
 * with the layer.
 * @example
 * ```ts
 * const tv = st.layers.textVectorization({ maxTokens: 20000, outputSequenceLength: 200 });
 * tv.adapt(trainTexts);
 * const ids = tv.vectorize(['Free money now!']); // int32 [1, 200]
 * ```
 */
export class TextVectorization extends Layer {
  readonly className = 'TextVectorization';
  /** Vocabulary cap. */
  readonly maxTokens?: number;
  /** Standardization mode. */
  readonly standardize: Standardize;
  /** Split mode. */
  readonly split: Split;
  /** Output mode. */
  readonly outputMode: TextOutputMode;
  /** Fixed output length (int mode). */
  readonly outputSequenceLength?: number;
  private vocab?: Vocabulary;

  constructor(opts: TextVectorizationOptions = {}) {
    super(opts);
    if (opts.maxTokens !== undefined && !(Number.isInteger(opts.maxTokens) && opts.maxTokens > 2)) {
      throw new ValueError(`${this.label}: 'maxTokens' must be an integer > 2 (two entries are the padding and OOV tokens); got ${String(opts.maxTokens)}`);
    }
    this.maxTokens = opts.maxTokens;
    const std = opts.standardize === undefined ? 'lower_and_strip_punctuation' : opts.standardize;
    if (std !== null && typeof std !== 'function' && !['lower_and_strip_punctuation', 'lower', 'strip_punctuation'].includes(std)) {
      throw new ValueError(`${this.label}: 'standardize' must be 'lower_and_strip_punctuation', 'lower', 'strip_punctuation', null or a function; got '${String(std)}'`);
    }
    this.standardize = std;
    const split = opts.split === undefined ? 'whitespace' : opts.split;
    if (split !== null && split !== 'whitespace' && split !== 'character') {
      throw new ValueError(`${this.label}: 'split' must be 'whitespace', 'character' or null; got '${String(split)}'`);
    }
    this.split = split;
    const mode = opts.outputMode ?? 'int';
    if (!['int', 'multiHot', 'count', 'tfIdf'].includes(mode)) {
      throw new ValueError(`${this.label}: 'outputMode' must be 'int', 'multiHot', 'count' or 'tfIdf'; got '${String(mode)}'`);
    }
    this.outputMode = mode;
    if (opts.outputSequenceLength !== undefined && !(Number.isInteger(opts.outputSequenceLength) && opts.outputSequenceLength > 0)) {
      throw new ValueError(`${this.label}: 'outputSequenceLength' must be a positive integer; got ${String(opts.outputSequenceLength)}`);
    }
    this.outputSequenceLength = opts.outputSequenceLength;
    if (opts.vocabulary) this.vocab = new Vocabulary(['', '[UNK]', ...opts.vocabulary.filter((t) => t !== '' && t !== '[UNK]')]);
    this.built = true;
  }

  private tokens(text: string): string[] {
    return splitText(standardizeText(String(text), this.standardize), this.split);
  }

  /** Builds the vocabulary from training texts (most frequent tokens first, up to `maxTokens`). */
  adapt(texts: string[]): void {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
      throw new ValueError(`${this.label}.adapt: expected an array of strings`);
    }
    this.vocab = Vocabulary.fromDocuments(texts.map((t) => this.tokens(t)), this.maxTokens);
  }

  /** The vocabulary, index 0 `''` and 1 `'[UNK]'` first. */
  getVocabulary(): string[] {
    return [...this.requireVocab().tokens];
  }

  /** Size of the vocabulary (special tokens included): the `inputDim` an embedding needs. */
  vocabularySize(): number {
    return this.requireVocab().size;
  }

  private requireVocab(): Vocabulary {
    if (!this.vocab) throw new StateError(`${this.label}: no vocabulary yet; call adapt(texts) or pass 'vocabulary'`);
    return this.vocab;
  }

  /** Vectorizes texts: int32 `[n, length]` in `'int'` mode, float32 `[n, vocabSize − 1]` otherwise (no padding column). */
  vectorize(texts: string[]): tf.Tensor {
    const v = this.requireVocab();
    const ids = texts.map((t) => this.tokens(t).map((tok) => v.lookup(tok)));
    if (this.outputMode === 'int') {
      const len = this.outputSequenceLength ?? Math.max(1, ...ids.map((r) => r.length));
      const flat = new Int32Array(texts.length * len);
      ids.forEach((r, i) => r.slice(0, len).forEach((id, j) => { flat[i * len + j] = id; }));
      return tf.tensor2d(flat, [texts.length, len], 'int32');
    }
    // Bag modes drop the padding entry, as Keras does: column 0 is '[UNK]', column k-1 token k.
    const n = v.size - 1;
    const out = new Float32Array(texts.length * n);
    ids.forEach((r, i) => {
      for (const id of r) out[i * n + id - 1] = this.outputMode === 'multiHot' ? 1 : out[i * n + id - 1]! + 1;
    });
    if (this.outputMode === 'tfIdf') {
      // idf = log(1 + numDocs / (1 + docFreq)); the OOV column takes the mean idf of the vocabulary.
      const idf = v.docFreq.slice(2).map((d) => Math.log(1 + v.numDocs / (1 + d)));
      const mean = idf.length ? idf.reduce((a, b) => a + b, 0) / idf.length : 0;
      const cols = [mean, ...idf];
      for (let i = 0; i < out.length; i++) out[i] = out[i]! * cols[i % n]!;
    }
    return tf.tensor2d(out, [texts.length, n]);
  }

  call(inputs: tf.Tensor | tf.Tensor[], _ctx: CallContext): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (x.dtype !== 'string') throw new ValueError(`${this.label}: expected a string tensor; got dtype ${x.dtype}`);
    const texts = (x.arraySync() as unknown as (string | string[])[]).map((t) => (Array.isArray(t) ? t[0]! : t));
    return this.vectorize(texts);
  }

  override computeOutputShape(s: Shape): Shape {
    if (this.outputMode === 'int') return [s[0] ?? null, this.outputSequenceLength ?? null];
    const size = this.vocab?.size ?? this.maxTokens;
    return [s[0] ?? null, size === undefined ? null : size - 1];
  }

  override getConfig(): TextVectorizationOptions {
    if (typeof this.standardize === 'function') {
      throw new ValueError(`${this.label}: a standardize function cannot be saved; use a built-in mode or re-create the layer on load`);
    }
    return {
      ...super.getConfig(),
      ...(this.maxTokens !== undefined ? { maxTokens: this.maxTokens } : {}),
      standardize: this.standardize,
      split: this.split,
      outputMode: this.outputMode,
      ...(this.outputSequenceLength !== undefined ? { outputSequenceLength: this.outputSequenceLength } : {}),
      ...(this.vocab ? { vocabulary: this.vocab.tokens.slice(2) } : {}),
    };
  }
}

/**
 * A text-to-tokens layer with an adaptable vocabulary.
 * @example
 * ```ts
 * st.layers.textVectorization({ maxTokens: 10000, outputMode: 'tfIdf' })
 * ```
 */
export function textVectorization(opts: TextVectorizationOptions = {}): TextVectorization {
  return new TextVectorization(opts);
}
