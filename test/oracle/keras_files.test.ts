/**
 * Keras files both ways, against the real Keras 3 (STRATA_PYTHON, KERAS_BACKEND=jax):
 * strata's `.keras` files (ready blocks included) load in `keras.models.load_model` and
 * predict as strata does; files Keras writes (scripts/fixtures/make_keras3_fixtures.py into
 * a temporary folder) load in strata and predict as Keras does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { kerasPredicts, runPython } from './python.js';

const { tf } = st;
const L = st.layers;
let root: string;

beforeAll(async () => {
  await st.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-keras-oracle-'));
});
afterAll(() => { if (!process.env.STRATA_KEEP) fs.rmSync(root, { recursive: true, force: true }); else console.log('kept', root); });

/** Gives every BatchNormalization of a model non-trivial statistics and scale. */
function randomizeBn(model: st.Sequential | st.Model, seed: number): void {
  let k = seed;
  for (const w of model.weights) {
    if (!/gamma|beta|moving_mean|moving_variance/.test(w.name)) continue;
    k += 1;
    const v = /variance|gamma/.test(w.name) ? tf.randomUniform(w.shape, 0.5, 1.5, 'float32', k) : tf.randomNormal(w.shape, 0, 0.3, 'float32', k);
    w.write(v);
    v.dispose();
  }
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1e-3, Math.abs(b[i]!)));
  return m;
}

describe('strata → Keras', () => {
  const models: Record<string, () => { model: st.Sequential | st.Model; shape: number[] }> = {
    mlp: () => ({ model: st.sequential([L.dense({ units: 8, activation: 'relu', inputShape: [5] }), L.dense({ units: 3, activation: 'softmax' })]), shape: [4, 5] }),
    cnn: () => ({
      model: st.sequential([
        L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [8, 8, 3] }),
        L.batchNormalization(), L.activation({ activation: 'relu' }),
        L.depthwiseConv2d({ kernelSize: 3 }), L.maxPooling2d({ poolSize: 2 }),
        L.separableConv2d({ filters: 6, kernelSize: 3, padding: 'same' }),
        L.globalAveragePooling2d(), L.dense({ units: 2 }),
      ]),
      shape: [2, 8, 8, 3],
    }),
    blocks: () => {
      const x = L.input({ shape: [8, 8, 3] });
      let y = L.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(x) as st.SymbolicTensor;
      y = L.residualBlock({ filters: 8 }).apply(y) as st.SymbolicTensor;
      y = L.residualBlock({ filters: 4, strides: 2, bottleneck: true }).apply(y) as st.SymbolicTensor;
      y = L.inceptionBlock({ filters1x1: 2, filters3x3Reduce: 2, filters3x3: 3, filters5x5Reduce: 1, filters5x5: 2, filtersPoolProj: 2 }).apply(y) as st.SymbolicTensor;
      y = L.globalAveragePooling2d().apply(y) as st.SymbolicTensor;
      return { model: st.model({ inputs: x, outputs: L.dense({ units: 3 }).apply(y) as st.SymbolicTensor }), shape: [2, 8, 8, 3] };
    },
    sequential_blocks: () => ({
      model: st.sequential([L.conv2d({ filters: 4, kernelSize: 1, inputShape: [6, 6, 2] }), L.residualBlock({ filters: 4 }), L.flatten(), L.dense({ units: 2 })]),
      shape: [2, 6, 6, 2],
    }),
  };

  it('Keras 3 loads strata .keras files (blocks as nested functional models) and predicts the same within 1e-4', async () => {
    const ours: Record<string, Float32Array> = {};
    let seed = 1;
    for (const [name, make] of Object.entries(models)) {
      const { model, shape } = make();
      randomizeBn(model, (seed += 100));
      const x = tf.randomNormal(shape, 0, 1, 'float32', seed);
      const y = model.predict(x) as st.tf.Tensor;
      ours[name] = y.dataSync() as Float32Array;
      fs.writeFileSync(path.join(root, `${name}.keras`), await st.io.saveKerasModel(model));
      fs.writeFileSync(path.join(root, `${name}.input.json`), JSON.stringify({ shape, x: Array.from(x.dataSync()) }));
      tf.dispose([x, y]);
      model.dispose();
    }
    const theirs = kerasPredicts(root, Object.keys(models));
    for (const name of Object.keys(models)) {
      expect(maxRel(ours[name]!, theirs[name]!), name).toBeLessThanOrEqual(1e-4);
    }
    // STRATA_WRITE_FIXTURES=1 refreshes the committed copies that npm test checks without Python.
    if (process.env.STRATA_WRITE_FIXTURES) {
      const out = path.join(import.meta.dirname, '..', 'fixtures', 'keras3', 'from_strata');
      fs.mkdirSync(out, { recursive: true });
      const record: Record<string, unknown> = {};
      for (const name of ['blocks', 'sequential_blocks']) {
        fs.copyFileSync(path.join(root, `${name}.keras`), path.join(out, `${name}.keras`));
        const spec = JSON.parse(fs.readFileSync(path.join(root, `${name}.input.json`), 'utf8')) as { shape: number[]; x: number[] };
        record[name] = { input_shape: spec.shape, input: spec.x, keras_output: theirs[name] };
      }
      fs.writeFileSync(path.join(out, 'keras_predictions.json'), JSON.stringify(record));
    }
  });
});

describe('Keras → strata', () => {
  it('every model the fixture script writes with Keras loads from .keras and .h5 and predicts within 1e-4', async () => {
    const dir = path.join(root, 'from-keras');
    runPython(fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'scripts', 'fixtures', 'make_keras3_fixtures.py'), 'utf8'), [dir]);
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { input_shape: number[]; input: number[]; output: number[] }>;
    const names = Object.keys(expected).filter((n) => !n.startsWith('_') && n !== 'sgd' && fs.existsSync(path.join(dir, `${n}.keras`)));
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const name of names) {
      for (const ext of ['keras', 'h5']) {
        const m = await st.io.loadKerasModel(new Uint8Array(fs.readFileSync(path.join(dir, `${name}.${ext}`))));
        const e = expected[name]!;
        const x = tf.tensor(e.input, e.input_shape);
        const y = m.predict(x) as st.tf.Tensor;
        expect(maxRel(y.dataSync(), e.output), `${name}.${ext}`).toBeLessThanOrEqual(1e-4);
        tf.dispose([x, y]);
        m.dispose();
      }
    }
  });
});
