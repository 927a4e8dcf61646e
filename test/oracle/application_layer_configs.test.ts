/**
 * Every config Keras 3 writes for the layer classes the preprocessing / layer-options work
 * covers, in the keras.applications models that use them (MobileNetV2, MobileNetV3Small,
 * EfficientNetB0), builds a strata layer. (The full set of applications is covered with
 * the Keras file loading.)
 * Run with `STRATA_PYTHON=<python with keras, jax> npm run test:oracle`.
 */
import { describe, expect, it } from 'vitest';
import { WeightBudget } from '../../src/io/budget.js';
import type { JsonObject } from '../../src/io/keras_config.js';
import { layerFromKeras } from '../../src/io/layer_config.js';
import { defaultLayerRegistry } from '../../src/io/registry.js';
import { runPython } from './python.js';

// The classes whose options this work added or checked (BatchNormalization's Keras 3 keys
// are handled with the Keras file loading).
const CLASSES = [
  'Rescaling', 'Normalization', 'Activation', 'ReLU', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D',
  'GlobalAveragePooling2D', 'ZeroPadding2D', 'Reshape', 'Multiply', 'Add', 'Concatenate', 'Dense', 'Dropout', 'Flatten',
  'MaxPooling2D', 'AveragePooling2D',
];

const CONFIGS = `
import json, os
import keras
from keras import applications as A
out = []
for name in ["MobileNetV2", "MobileNetV3Small", "EfficientNetB0"]:
    m = getattr(A, name)(weights=None)
    for l in json.loads(json.dumps(m.get_config(), default=str))["layers"]:
        out.append({"app": name, "class_name": l["class_name"], "config": l["config"]})
print(json.dumps(out))
`;

describe('keras.applications layer configs', () => {
  it('build strata layers for every config of the covered classes', () => {
    const entries = JSON.parse(runPython(CONFIGS).trim().split('\n').pop()!) as { app: string; class_name: string; config: JsonObject }[];
    const covered = entries.filter((e) => CLASSES.includes(e.class_name));
    expect(new Set(covered.map((e) => e.class_name))).toContain('Rescaling');
    expect(new Set(covered.map((e) => e.class_name))).toContain('Normalization');
    const failures: string[] = [];
    for (const e of covered) {
      try {
        layerFromKeras(e.class_name, e.config, { registry: defaultLayerRegistry, budget: new WeightBudget(1e12, 'test'), created: [], owner: e.app });
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(covered.length).toBeGreaterThan(300);
  }, 600_000);
});
