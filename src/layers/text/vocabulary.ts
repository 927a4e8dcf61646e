/**
 * A token vocabulary as Keras' `StringLookup` builds it for `TextVectorization`: index 0
 * is the padding/mask token `''`, index 1 the out-of-vocabulary token `'[UNK]'`, then
 * tokens by descending frequency (ties by first appearance).
 */
export class Vocabulary {
  /** Tokens by index (0: `''`, 1: `'[UNK]'`). */
  readonly tokens: string[];
  /** Document frequency of each token (for tf-idf), by index. */
  readonly docFreq: number[];
  /** Number of documents adapted on. */
  readonly numDocs: number;
  private readonly index: Map<string, number>;

  constructor(tokens: string[], docFreq: number[] = [], numDocs = 0) {
    this.tokens = tokens;
    this.docFreq = docFreq;
    this.numDocs = numDocs;
    this.index = new Map(tokens.map((t, i) => [t, i]));
  }

  /** Builds a vocabulary from tokenized documents, keeping at most `maxTokens` entries (special ones included). */
  static fromDocuments(docs: string[][], maxTokens?: number): Vocabulary {
    const counts = new Map<string, number>();
    const df = new Map<string, number>();
    for (const doc of docs) {
      for (const t of doc) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
    }
    counts.delete('');
    counts.delete('[UNK]');
    const order = [...counts.entries()].map(([t, c], i) => ({ t, c, i })).sort((a, b) => b.c - a.c || a.i - b.i);
    const room = maxTokens === undefined ? order.length : Math.max(0, maxTokens - 2);
    const tokens = ['', '[UNK]', ...order.slice(0, room).map((e) => e.t)];
    return new Vocabulary(tokens, tokens.map((t) => df.get(t) ?? 0), docs.length);
  }

  /** Index of a token (1 for unknown ones). */
  lookup(token: string): number {
    return this.index.get(token) ?? 1;
  }

  /** Number of entries, special tokens included. */
  get size(): number {
    return this.tokens.length;
  }
}
