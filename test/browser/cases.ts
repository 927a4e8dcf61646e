// Computations that run the same in Node (cpu, the reference) and in a page (each
// browser backend). They take the library as an argument and import only types, so
// esbuild compiles this file into a small module the page loads beside the bundle.
// Inputs and weights come from a seeded generator, so both sides see the same numbers.
import type * as Common from '../../src/common.js';
import type { Layer } from '../../src/engine/layer.js';
import type { tf as TF } from '../../src/backend/tf.js';

/** The part of strata these cases use; both entry points provide it. */
export type St = Pick<typeof Common, 'tf' | 'layers' | 'sequential' | 'optimizers'>;

/** One layer applied to a seeded input, with seeded weights and upstream gradient. */
export interface LayerCase {
  title: string;
  /** A factory in `st.layers`, e.g. `'conv2d'`. */
  factory: string;
  options: Record<string, unknown>;
  inputShape: number[];
  seed: number;
  training: boolean;
}

/** What a layer case computed: the output, gradients and weights after the call. */
export interface LayerResult {
  outputShape: number[];
  output: number[];
  /** d(sum(output * dy)) by `'input'` and by each trainable weight's short name. */
  grads: Record<string, number[]>;
  /** Every weight after the call (BatchNorm's moving statistics move in training). */
  after: Record<string, number[]>;
  /** Tensors alive after the case minus before; 0 when nothing leaked. */
  leaked: number;
}

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(next: () => number, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => lo + (hi - lo) * next());
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// Variances must stay positive; every other weight takes values on both sides of zero.
function weightRange(shortName: string): [number, number] {
  return shortName.includes('variance') ? [0.5, 1.5] : [-0.8, 0.8];
}

async function values(t: TF.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Runs one layer case: forward, and gradients of `sum(output * dy)`. */
export async function runLayerCase(st: St, c: LayerCase): Promise<LayerResult> {
  const { tf } = st;
  const before = tf.memory().numTensors;
  const next = seeded(c.seed);
  const factory = (st.layers as unknown as Record<string, (opts: unknown) => Layer>)[c.factory];
  if (!factory) throw new Error(`no layer factory '${c.factory}'`);
  const layer = factory(c.options);
  const x0 = tf.tensor(uniform(next, sizeOf(c.inputShape), -1, 1), c.inputShape);
  const x = tf.variable(x0);
  x0.dispose();
  tf.tidy(() => {
    layer.apply(x);
  });
  for (const w of layer.weights) {
    const [lo, hi] = weightRange(w.shortName);
    const t = tf.tensor(uniform(next, w.size, lo, hi), w.shape);
    w.write(t);
    t.dispose();
  }
  const trainable = layer.trainableWeights;
  let output: TF.Tensor | undefined;
  let dy: TF.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const y = layer.apply(x, { training: c.training }) as TF.Tensor;
    output = tf.keep(y);
    dy = tf.keep(tf.tensor(uniform(next, y.size, -1, 1), y.shape));
    return tf.sum(tf.mul(y, dy));
  }, [x, ...trainable.map((w) => w.read())]);
  const result: LayerResult = { outputShape: output!.shape, output: await values(output!), grads: {}, after: {}, leaked: 0 };
  result.grads.input = await values(grads[x.name]!);
  for (const w of trainable) result.grads[w.shortName] = await values(grads[w.read().name]!);
  for (const w of layer.weights) result.after[w.shortName] = await values(w.read());
  tf.dispose([value, output!, dy!, x, ...Object.values(grads)]);
  layer.dispose();
  result.leaked = tf.memory().numTensors - before;
  return result;
}

/** The layer cases every backend runs. */
export const LAYER_CASES: LayerCase[] = [
  { title: 'dense relu', factory: 'dense', options: { units: 5, activation: 'relu' }, inputShape: [4, 7], seed: 1, training: false },
  { title: 'dense linear, rank 3', factory: 'dense', options: { units: 3 }, inputShape: [2, 3, 6], seed: 2, training: false },
  { title: 'conv2d same relu', factory: 'conv2d', options: { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, inputShape: [2, 7, 7, 3], seed: 3, training: false },
  { title: 'conv2d valid stride 2', factory: 'conv2d', options: { filters: 3, kernelSize: [3, 2], strides: 2 }, inputShape: [2, 9, 8, 2], seed: 4, training: false },
  { title: 'maxPooling2d', factory: 'maxPooling2d', options: { poolSize: 2 }, inputShape: [2, 6, 6, 3], seed: 5, training: false },
  { title: 'averagePooling2d same stride 2', factory: 'averagePooling2d', options: { poolSize: 3, strides: 2, padding: 'same' }, inputShape: [2, 7, 7, 2], seed: 6, training: false },
  { title: 'globalAveragePooling2d', factory: 'globalAveragePooling2d', options: {}, inputShape: [3, 4, 5, 2], seed: 7, training: false },
  { title: 'batchNormalization, training', factory: 'batchNormalization', options: { momentum: 0.9 }, inputShape: [6, 3, 3, 4], seed: 8, training: true },
  { title: 'batchNormalization, inference', factory: 'batchNormalization', options: {}, inputShape: [5, 4], seed: 9, training: false },
  { title: 'activation tanh', factory: 'activation', options: { activation: 'tanh' }, inputShape: [3, 8], seed: 10, training: false },
  { title: 'activation sigmoid', factory: 'activation', options: { activation: 'sigmoid' }, inputShape: [3, 8], seed: 11, training: false },
  { title: 'activation gelu', factory: 'activation', options: { activation: 'gelu' }, inputShape: [3, 8], seed: 12, training: false },
  { title: 'softmax', factory: 'softmax', options: {}, inputShape: [4, 6], seed: 13, training: false },
  { title: 'elu', factory: 'elu', options: { alpha: 0.7 }, inputShape: [3, 8], seed: 14, training: false },
  { title: 'leakyReLU', factory: 'leakyReLU', options: { alpha: 0.2 }, inputShape: [3, 8], seed: 15, training: false },
];

/** A small CNN on seeded data: its weights after one SGD step, and the loss it reported. */
export interface StepResult {
  loss: number;
  predictions: number[];
  weights: number[][];
}

function smallCnn(st: St): ReturnType<St['sequential']> {
  return st.sequential([
    st.layers.input({ shape: [6, 6, 2] }),
    st.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }),
    st.layers.batchNormalization(),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.flatten(),
    st.layers.dense({ units: 4, activation: 'softmax' }),
  ]);
}

function seedWeights(st: St, net: ReturnType<St['sequential']>, next: () => number): void {
  for (const w of net.weights) {
    const t = st.tf.tensor(uniform(next, w.size, ...weightRange(w.shortName)), w.shape);
    w.write(t);
    t.dispose();
  }
}

/** One `trainOnBatch` with SGD from seeded weights, data and labels. */
export async function runSgdStep(st: St, seed: number): Promise<StepResult> {
  const { tf } = st;
  const next = seeded(seed);
  const net = smallCnn(st);
  seedWeights(st, net, next);
  const x = tf.tensor(uniform(next, 8 * 6 * 6 * 2, -1, 1), [8, 6, 6, 2]);
  const labels = Array.from({ length: 8 }, () => Math.floor(next() * 4));
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 4);
  net.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
  const logs = await net.trainOnBatch(x, y);
  const pred = net.predict(x) as TF.Tensor;
  const weights = net.getWeights();
  const out: StepResult = { loss: logs.loss!, predictions: await values(pred), weights: [] };
  for (const w of weights) out.weights.push(await values(w));
  tf.dispose([x, y, pred, ...weights]);
  net.dispose();
  return out;
}

/** Losses per epoch of a short `fit` of the small CNN on a learnable seeded task. */
export async function runShortFit(st: St, seed: number): Promise<number[]> {
  const { tf } = st;
  const next = seeded(seed);
  const n = 64;
  const xs = uniform(next, n * 6 * 6 * 2, 0, 1);
  // The class is the quadrant of the brightest pixel of channel 0: a task convolutions learn.
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const bright = 6 * 6 * 2 * i + 2 * (6 * Math.floor(next() * 6) + Math.floor(next() * 6));
    xs[bright] = 4;
    const pix = (bright - 6 * 6 * 2 * i) / 2;
    labels.push(2 * Number(Math.floor(pix / 6) >= 3) + Number(pix % 6 >= 3));
  }
  const x = tf.tensor(xs, [n, 6, 6, 2]);
  const y = tf.tensor1d(labels, 'float32');
  const net = smallCnn(st);
  net.compile({ optimizer: st.optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
  const history = await net.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0 });
  tf.dispose([x, y]);
  net.dispose();
  return history.history.loss!;
}

/** The save/load functions of strata's io module, as the public API exports them. */
export interface SaveLoad {
  saveModel(model: ReturnType<St['sequential']>, url: string): Promise<unknown>;
  loadModel(url: string): Promise<{ predict(x: TF.Tensor): TF.Tensor | TF.Tensor[]; getWeights(): TF.Tensor[]; dispose(): void }>;
}

/** What a model predicted and held when it was saved, or after it was loaded. */
export interface SavedState {
  predictions: number[];
  weights: number[][];
  /** Keys of the models tfjs lists in IndexedDB at that moment. */
  stored: string[];
}

function saveLoad(st: St): SaveLoad {
  const io = st as unknown as Partial<SaveLoad>;
  if (typeof io.saveModel !== 'function' || typeof io.loadModel !== 'function') {
    throw new Error('strata does not export saveModel/loadModel (src/io is not in the public API yet)');
  }
  return io as SaveLoad;
}

async function snapshot(st: St, net: { predict(x: TF.Tensor): TF.Tensor | TF.Tensor[]; getWeights(): TF.Tensor[] }, seed: number): Promise<SavedState> {
  const { tf } = st;
  const next = seeded(seed + 1);
  const x = tf.tensor(uniform(next, 5 * 6 * 6 * 2, -1, 1), [5, 6, 6, 2]);
  const pred = net.predict(x) as TF.Tensor;
  const weights = net.getWeights();
  const out: SavedState = { predictions: await values(pred), weights: [], stored: Object.keys(await tf.io.listModels()) };
  for (const w of weights) out.weights.push(await values(w));
  tf.dispose([x, pred, ...weights]);
  return out;
}

/** Trains the small CNN for one step from seeded weights and saves it to `url` (`indexeddb://…`). */
export async function saveSmallCnn(st: St, url: string, seed: number): Promise<SavedState> {
  const { tf } = st;
  const io = saveLoad(st);
  const next = seeded(seed);
  const net = smallCnn(st);
  seedWeights(st, net, next);
  net.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor(uniform(next, 8 * 6 * 6 * 2, -1, 1), [8, 6, 6, 2]);
  const y = tf.tensor1d(Array.from({ length: 8 }, () => Math.floor(next() * 4)), 'float32');
  // One step moves the weights and BatchNorm's moving statistics away from their initial values.
  await net.trainOnBatch(x, y);
  tf.dispose([x, y]);
  await io.saveModel(net, url);
  const state = await snapshot(st, net, seed);
  net.dispose();
  return state;
}

/** Loads the model saved at `url`, reports what it predicts and holds, and deletes it there. */
export async function loadSmallCnn(st: St, url: string, seed: number): Promise<SavedState> {
  const net = await saveLoad(st).loadModel(url);
  const state = await snapshot(st, net, seed);
  net.dispose();
  await st.tf.io.removeModel(url);
  return state;
}
