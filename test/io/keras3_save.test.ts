/**
 * `.keras` files strata writes, as Keras 3 reads them: ready blocks become nested functional
 * models of standard Keras layers (no strata class names, no `/` in names), layers and
 * weight groups follow Keras' own order; and committed strata-written files (made by
 * test/oracle/keras_files.test.ts with STRATA_WRITE_FIXTURES=1) predict in strata as the
 * real Keras 3 predicted on them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { H5Reader } from '../../src/io/keras/h5.js';
import * as st from '../../src/index.js';

const { tf } = st;
const L = st.layers;
const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'keras3', 'from_strata');

beforeAll(async () => {
  await st.setBackend('cpu');
});

const KERAS_CLASSES = new Set(['InputLayer', 'Conv2D', 'BatchNormalization', 'Activation', 'Add', 'Concatenate', 'MaxPooling2D', 'GlobalAveragePooling2D', 'Dense', 'Functional', 'Flatten']);

function blockModel(): st.Model {
  const x = L.input({ shape: [8, 8, 3] });
  let y = L.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(x) as st.SymbolicTensor;
  y = L.residualBlock({ filters: 4, strides: 2, bottleneck: true }).apply(y) as st.SymbolicTensor;
  y = L.inceptionBlock({ filters1x1: 2, filters3x3Reduce: 2, filters3x3: 3, filters5x5Reduce: 1, filters5x5: 2, filtersPoolProj: 2 }).apply(y) as st.SymbolicTensor;
  y = L.globalAveragePooling2d().apply(y) as st.SymbolicTensor;
  return st.model({ inputs: x, outputs: L.dense({ units: 3 }).apply(y) as st.SymbolicTensor });
}

function walk(cfg: { class_name: string; config: { name: string; layers?: unknown[] } }, visit: (l: { class_name: string; config: { name: string; layers?: unknown[] } }) => void): void {
  visit(cfg);
  for (const l of (cfg.config.layers ?? []) as typeof cfg[]) walk(l, visit);
}

describe('saveKerasModel for Keras 3', () => {
  it('writes ready blocks as nested functional models of standard Keras layers', async () => {
    const before = tf.memory().numTensors;
    const m = blockModel();
    const bytes = await st.io.saveKerasModel(m);
    const files = unzipSync(bytes);
    const cfg = JSON.parse(new TextDecoder().decode(files['config.json']));
    const classes: string[] = [];
    const names: string[] = [];
    walk(cfg, (l) => {
      classes.push(l.class_name);
      names.push(l.config.name);
    });
    expect(classes.filter((c) => !KERAS_CLASSES.has(c))).toEqual([]);
    expect(classes.filter((c) => c === 'Functional')).toHaveLength(3);
    expect(names.filter((n) => n.includes('/'))).toEqual([]);
    // The inception block's layers in Keras' order (by depth from the output, then walk
    // order), as keras.Model(...).layers lists them for the same graph built in Keras 3.15.
    const inception = cfg.config.layers.find((l: { config: { name: string } }) => l.config.name === 'inception_block');
    expect(inception.config.layers.map((l: { name: string }) => l.name)).toEqual([
      'inception_block_input', 'inception_block_branch3x3_reduce', 'inception_block_branch5x5_reduce', 'inception_block_branch_pool',
      'inception_block_branch1x1', 'inception_block_branch3x3', 'inception_block_branch5x5', 'inception_block_branch_pool_proj', 'inception_block_concat',
    ]);
    expect(inception.config.output_layers).toEqual(['inception_block_concat', 0, 0]);
    // Weight groups named by class counts in that order: conv2d is branch3x3_reduce (16 → 2),
    // conv2d_1 branch5x5_reduce (16 → 1), conv2d_2 branch1x1 (16 → 2).
    const h5 = await H5Reader.open(files['model.weights.h5']!, 'test');
    try {
      expect(h5.info('layers/functional_1/layers/conv2d/vars/0').shape).toEqual([1, 1, 16, 2]);
      expect(h5.info('layers/functional_1/layers/conv2d_1/vars/0').shape).toEqual([1, 1, 16, 1]);
      expect(h5.info('layers/functional_1/layers/conv2d_2/vars/0').shape).toEqual([1, 1, 16, 2]);
    } finally {
      h5.close();
    }
    // Back in strata, the file predicts as the original model.
    const back = await st.io.loadKerasModel(bytes);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3);
    const y1 = m.predict(x) as st.tf.Tensor;
    const y2 = back.predict(x) as st.tf.Tensor;
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(y1, y2))));
    expect(d.dataSync()[0]).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, y1, y2, d]);
    m.dispose();
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  const recorded = JSON.parse(fs.readFileSync(path.join(DIR, 'keras_predictions.json'), 'utf8')) as Record<string, { input_shape: number[]; input: number[]; keras_output: number[] }>;
  for (const [name, r] of Object.entries(recorded)) {
    it(`${name}.keras, written by strata, predicts in strata as Keras 3 predicted on it (1e-4)`, async () => {
      const m = await st.io.loadKerasModel(new Uint8Array(fs.readFileSync(path.join(DIR, `${name}.keras`))));
      const x = tf.tensor(r.input, r.input_shape);
      const y = m.predict(x) as st.tf.Tensor;
      const got = y.dataSync();
      expect(got.length).toBe(r.keras_output.length);
      got.forEach((v, i) => expect(Math.abs(v - r.keras_output[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(r.keras_output[i]!))));
      tf.dispose([x, y]);
      m.dispose();
    });
  }
});
