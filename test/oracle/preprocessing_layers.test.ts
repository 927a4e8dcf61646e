/**
 * Keras 3 loads a `.keras` file that strata wrote for a model holding the preprocessing,
 * augmentation and option-extended layers, and predicts what strata predicts.
 * Run with `STRATA_PYTHON=<python with keras, jax> npm run test:oracle`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { runPython } from './python.js';

const { tf } = st;
const dir = mkdtempSync(join(tmpdir(), 'strata-oracle-pre-'));

beforeAll(async () => {
  await st.setBackend('cpu');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PREDICT = `
import json, sys
import numpy as np
import keras
m = keras.models.load_model(sys.argv[1])
x = np.array(json.load(open(sys.argv[2])), dtype=np.float32)
print(json.dumps({"classes": [l.__class__.__name__ for l in m.layers], "y": m.predict(x, verbose=0).ravel().tolist()}))
`;

describe('Keras reads strata-written models with the new layers', () => {
  it('predicts as strata does (augmentation is identity at inference in both)', async () => {
    const norm = st.layers.normalization();
    norm.adapt(tf.randomUniform([20, 6, 6, 3], 0, 1, 'float32', 3));
    const net = st.sequential([
      st.layers.input({ shape: [6, 6, 3] }),
      st.layers.rescaling({ scale: [0.5, 1, 2], offset: 0.1 }),
      norm,
      st.layers.randomFlip({ mode: 'horizontal', seed: 1 }),
      st.layers.randomRotation({ factor: 0.1, fillMode: 'constant', seed: 2 }),
      st.layers.randomZoom({ heightFactor: 0.1, seed: 3 }),
      st.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 4 }),
      st.layers.randomContrast({ factor: 0.2, valueRange: [-5, 5], seed: 5 }),
      st.layers.randomBrightness({ factor: 0.1, valueRange: [-5, 5], seed: 6 }),
      st.layers.resizing({ height: 9, width: 8, cropToAspectRatio: true }),
      st.layers.centerCrop({ height: 7, width: 7 }),
      st.layers.cropping2d({ cropping: [[1, 0], [0, 1]] }),
      st.layers.conv2d({ filters: 6, kernelSize: 3, groups: 3, activation: 'hardSwish', kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
      st.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, activation: 'mish', kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }),
      st.layers.reLU({ negativeSlope: 0.1, threshold: 0.05, maxValue: 4 }),
      st.layers.permute({ dims: [3, 1, 2] }),
      st.layers.identity(),
      st.layers.globalAveragePooling2d({ keepdims: true }),
      st.layers.flatten(),
    ]);
    const x = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 9);
    const y = net.predict(x) as st.tf.Tensor;
    const file = join(dir, 'm.keras');
    writeFileSync(file, await st.saveKerasModel(net));
    writeFileSync(join(dir, 'x.json'), JSON.stringify(x.arraySync()));
    const out = JSON.parse(runPython(PREDICT, [file, join(dir, 'x.json')]).trim().split('\n').pop()!) as { classes: string[]; y: number[] };
    expect(out.classes).toEqual(net.layers.map((l) => l.className));
    const ours = Array.from(y.dataSync());
    expect(out.y).toHaveLength(ours.length);
    out.y.forEach((v, i) => expect(Math.abs(v - ours[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    tf.dispose([x, y]);
    net.dispose();
  });
});
