/**
 * The synthetic data of the LSTM job: integer token sequences drawn uniformly from a
 * seeded generator, each with a 0/1 label that depends on the whole sequence (1 when
 * more than half its tokens lie in the lower half of the vocabulary), so the task is
 * learnable and a falling loss means something. The parent generates the file once and
 * every side (strata, tfjs-layers, PyTorch) reads the same bytes, as with the weights.
 *
 * File layout, little-endian int32 throughout: a header `[count, length, vocab]`, then
 * `count × length` token ids (row-major), then `count` labels.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ModelSpec } from './models.js';
import { mulberry32 } from './weights.js';

/** Samples in the synthetic set: the 150 steps of batch 64 that a full run's repetition may take at most. */
export const SEQUENCE_SAMPLES = 9600;

/** Token sequences and their labels. */
export interface Sequences {
  count: number;
  length: number;
  vocab: number;
  /** `count × length` token ids in [0, vocab). */
  tokens: Int32Array;
  /** `count` labels, 0 or 1. */
  labels: Int32Array;
}

/** Draws `count` sequences of `length` tokens in [0, vocab) and their labels from `seed`. */
export function generateSequences(count: number, length: number, vocab: number, seed: number): Sequences {
  const rand = mulberry32(seed);
  const tokens = new Int32Array(count * length);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let low = 0;
    for (let t = 0; t < length; t++) {
      const id = Math.floor(rand() * vocab);
      tokens[i * length + t] = id;
      if (id < vocab / 2) low++;
    }
    labels[i] = 2 * low > length ? 1 : 0;
  }
  return { count, length, vocab, tokens, labels };
}

/** The synthetic set of a token model: sequences as long as its input, ids below its embedding's vocabulary. */
export function sequencesFor(model: ModelSpec, count: number, seed: number): Sequences {
  const embedding = model.layers[0];
  if (model.data !== 'tokens' || embedding?.kind !== 'embedding') throw new Error(`model '${model.name}' does not start with an embedding of tokens`);
  return generateSequences(count, model.inputShape[0]!, embedding.inputDim, seed);
}

/** Writes `s` to `path` in the layout above. */
export function writeSequences(path: string, s: Sequences): void {
  const all = new Int32Array(3 + s.tokens.length + s.labels.length);
  all.set([s.count, s.length, s.vocab]);
  all.set(s.tokens, 3);
  all.set(s.labels, 3 + s.tokens.length);
  writeFileSync(path, new Uint8Array(all.buffer));
}

/** Reads the first `limit` sequences of the file at `path`. */
export function readSequences(path: string, limit: number): Sequences {
  const bytes = readFileSync(path);
  const all = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const [total = 0, length = 0, vocab = 0] = all;
  if (all.length !== 3 + total * (length + 1)) throw new Error(`sequence file '${path}': ${all.length} values do not fit the header [${total}, ${length}, ${vocab}]`);
  const count = Math.min(limit, total);
  return {
    count, length, vocab,
    tokens: all.slice(3, 3 + count * length),
    labels: all.slice(3 + total * length, 3 + total * length + count),
  };
}
