/** Reads the Keras-generated sequence fixtures (scripts/fixtures/make_sequence_fixtures.py). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { tf } from '../../src/backend/tf.js';
import type { Layer } from '../../src/engine/layer.js';

/** A tensor in fixture form. */
export interface Arr { shape: number[]; values: number[] }

/** One layer case: options, Keras weights, inputs, optional mask and Keras' outputs. */
export interface LayerCase {
  name: string;
  className: string;
  options: Record<string, unknown>;
  weights: Arr[];
  weightNames: string[];
  x: Arr;
  inputs?: Arr[];
  initialState: Arr[] | null;
  mask: number[][] | null;
  masks?: (number[][] | null)[];
  outputs: Arr[];
}

/** Loads `test/fixtures/sequence/<file>`. */
export function loadFixture<T = { cases: LayerCase[] }>(file: string): T {
  const p = fileURLToPath(new URL(`../fixtures/sequence/${file}`, import.meta.url));
  return JSON.parse(readFileSync(p, 'utf8')) as T;
}

/** A tensor from fixture form. */
export function toTensor(a: Arr, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  return tf.tensor(a.values, a.shape, dtype);
}

/** Writes Keras' weights into the layer, in order, checking the shapes. */
export function setKerasWeights(layer: Layer, ws: Arr[]): void {
  expect(layer.weights.map((w) => w.shape)).toEqual(ws.map((w) => w.shape));
  layer.weights.forEach((w, i) => {
    const t = toTensor(ws[i]!);
    w.write(t);
    t.dispose();
  });
}

/** Asserts that `got` equals Keras' `want` within `tol` (absolute). */
export function expectClose(got: tf.Tensor, want: Arr, tol: number, what: string): void {
  expect(got.shape, `${what} shape`).toEqual(want.shape);
  const g = got.dataSync();
  let worst = 0;
  want.values.forEach((v, i) => { worst = Math.max(worst, Math.abs(g[i]! - v)); });
  expect(worst, `${what}: max abs error`).toBeLessThan(tol);
}
