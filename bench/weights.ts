/**
 * Initial weights shared by every side: generated once by the parent from a seed (Glorot
 * uniform kernels, zero biases, ±0.05 uniform embeddings and the LSTM's forget-gate bias of
 * ones, as Keras starts them; see `WeightInit`), written as raw little-endian float32 in
 * `weightShapes` order, and read back by each child.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { sizeOf, weightShapes, type ModelSpec } from './models.js';

/** A small seeded generator (mulberry32): uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** All initial weights of `model`, concatenated in layer order. */
export function generateWeights(model: ModelSpec, seed: number): Float32Array {
  const shapes = weightShapes(model);
  const out = new Float32Array(shapes.reduce((n, w) => n + sizeOf(w.shape), 0));
  const rand = mulberry32(seed);
  let at = 0;
  for (const w of shapes) {
    const n = sizeOf(w.shape);
    const init = w.init;
    if (init.kind === 'glorotUniform' || init.kind === 'uniform') {
      const limit = init.kind === 'uniform' ? init.limit : Math.sqrt(6 / (init.fanIn + init.fanOut));
      for (let i = 0; i < n; i++) out[at + i] = (2 * rand() - 1) * limit;
    } else if (init.kind === 'unitForgetBias') {
      // Gates i, f, c, o: the second block is the forget gate's.
      out.fill(1, at + init.units, at + 2 * init.units);
    }
    at += n;
  }
  return out;
}

/** Writes weights to `path` as raw float32 (little-endian, as every supported platform is). */
export function writeWeights(path: string, values: Float32Array): void {
  writeFileSync(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** Reads the weights file of `model` and splits it into one array per weight. */
export function readWeights(path: string, model: ModelSpec): { shape: number[]; values: Float32Array }[] {
  const bytes = readFileSync(path);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: { shape: number[]; values: Float32Array }[] = [];
  let at = 0;
  for (const w of weightShapes(model)) {
    const n = sizeOf(w.shape);
    out.push({ shape: w.shape, values: all.subarray(at, at + n) });
    at += n;
  }
  if (at !== all.length) throw new Error(`weights file '${path}' holds ${all.length} values; ${model.name} needs ${at}`);
  return out;
}
