/**
 * Reads test/fixtures/layers/keras_layer_values.json (made by
 * scripts/fixtures/make_layer_values.py with real Keras 3) and builds strata layers from the
 * Keras configs it holds, through the same path the model loaders use.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { WeightBudget } from '../../src/io/budget.js';
import type { JsonObject } from '../../src/io/keras_config.js';
import { layerFromKeras } from '../../src/io/layer_config.js';
import { defaultLayerRegistry } from '../../src/io/registry.js';
import type { Layer } from '../../src/engine/layer.js';
import { tf } from '../../src/backend/tf.js';

/** One recorded Keras computation. */
export interface KerasCase {
  name: string;
  class_name: string;
  config: JsonObject;
  x: unknown;
  x_shape: number[];
  y: unknown;
  y_shape: number[];
  weights?: unknown[];
  weight_shapes?: number[][];
  params?: Record<string, number[]>;
  [extra: string]: unknown;
}

const path = new URL('../fixtures/layers/keras_layer_values.json', import.meta.url);
const data = JSON.parse(readFileSync(path, 'utf8')) as { keras_version: string; cases: KerasCase[] };

/** All recorded cases. */
export const KERAS_CASES: KerasCase[] = data.cases;

/** The case named `name`. */
export function kerasCase(name: string): KerasCase {
  const c = KERAS_CASES.find((k) => k.name === name);
  if (!c) throw new Error(`no Keras case '${name}'`);
  return c;
}

/** Builds the strata layer for a Keras config, as a model loader would. */
export function layerFromCase(c: KerasCase): Layer {
  const budget = new WeightBudget(1e9, 'test');
  const layer = layerFromKeras(c.class_name, c.config, { registry: defaultLayerRegistry, budget, created: [], owner: 'test' });
  budget.closed = true;
  return layer;
}

/** A tensor of nested values with `shape`. */
export function t(values: unknown, shape: number[]): tf.Tensor {
  return tf.tensor((values as number[][]).flat(Infinity as 1) as number[], shape);
}

/** Expects `actual` to match Keras' values within `atol + rtol·|expected|`. */
export function expectClose(actual: tf.Tensor, expected: unknown, shape: number[], atol = 1e-5, rtol = 1e-5): void {
  expect(actual.shape).toEqual(shape);
  const a = actual.dataSync();
  const e = (Array.isArray(expected) ? (expected as number[][]).flat(Infinity as 1) : [expected]) as number[];
  expect(a.length).toBe(e.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < e.length; i++) {
    const excess = Math.abs(a[i]! - e[i]!) - (atol + rtol * Math.abs(e[i]!));
    if (excess > worst) {
      worst = excess;
      at = i;
    }
  }
  expect(at, at >= 0 ? `index ${at}: got ${a[at]}, Keras ${e[at]}` : '').toBe(-1);
}
