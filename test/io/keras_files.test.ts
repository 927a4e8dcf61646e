/**
 * Keras files: Keras 3 `.keras` archives and legacy `.h5` models made by
 * scripts/fixtures/make_keras_fixtures.py (h5py + zipfile, no TensorFlow), checked against
 * NumPy outputs; `.keras` saving; and hostile archives (zip bombs, corrupt HDF5).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel as loadFromNode, saveModel as saveFromNode } from '../../src/io/node/index.js';
import * as st from './st.js';

const { tf } = st;
const L = st.layers;
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'keras');
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as
  Record<string, { input_shape: number[]; input: number[]; output: number[] }>;
let root: string;

beforeAll(async () => {
  await st.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-keras-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));

/** Loads a fixture and checks its output on the recorded input against NumPy's. */
async function checkFixture(name: string): Promise<st.Sequential | st.Model> {
  const m = await st.io.loadKerasModel(fixture(name));
  const e = expected[name]!;
  const x = tf.tensor(e.input, e.input_shape);
  const y = m.predict(x) as st.tf.Tensor;
  const got = Array.from(y.dataSync());
  expect(got.length).toBe(e.output.length);
  got.forEach((v, i) => expect(Math.abs(v - e.output[i]!)).toBeLessThanOrEqual(1e-5));
  tf.dispose([x, y]);
  return m;
}

async function rejects(p: Promise<unknown>, message: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  const err = await p.catch((e: unknown) => e);
  expect(tf.memory().numTensors).toBe(before);
  expect(err).toBeInstanceOf(st.SerializationError);
  expect(String((err as Error).message)).toMatch(message);
}

/** Sets the uncompressed size that the central directory declares for `name`. */
function patchDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  for (let p = 0; p + 46 < out.length; p++) {
    if (v.getUint32(p, true) !== 0x02014b50) continue;
    const n = v.getUint16(p + 28, true);
    if (new TextDecoder().decode(out.subarray(p + 46, p + 46 + n)) === name) v.setUint32(p + 24, size, true);
  }
  return out;
}

describe('Keras 3 .keras archives', () => {
  it('Sequential with BatchNormalization: NumPy outputs, names, and the compile config', async () => {
    const m = await checkFixture('keras3_sequential.keras');
    expect(m.layers.map((l) => l.name)).toEqual(['dense', 'batch_normalization', 'dense_1']);
    expect(m.optimizer?.className).toBe('Adam');
    expect(m.losses![0]!.className).toBe('SparseCategoricalCrossentropy');
    m.dispose();
  });

  it('functional with two branches, pooling, Add and Concatenate', async () => {
    const m = await checkFixture('keras3_functional.keras');
    expect(m.className).toBe('Functional');
    expect(m.optimizer).toBeUndefined();
    m.dispose();
  });

  it('loads through file:// in Node', async () => {
    const m = await loadFromNode(`file://${path.join(FIXTURES, 'keras3_sequential.keras')}`);
    expect(m.layers).toHaveLength(3);
    m.dispose();
  });

  it('saves .keras: Keras 3 layout, and loads back with the same predictions', async () => {
    const a = L.input({ shape: [5, 5, 2], name: 'img' });
    const c = L.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }).apply(a);
    const b = L.batchNormalization().apply(c);
    const f = L.flatten().apply(L.maxPooling2d({ poolSize: 2 }).apply(b));
    const out = L.dense({ units: 2, activation: 'softmax' }).apply(L.leakyReLU({ alpha: 0.1 }).apply(L.dense({ units: 4 }).apply(f)));
    const m = st.model({ inputs: a, outputs: out });
    m.getLayer('batch_normalization').weights.forEach((w, i) => w.write(tf.fill(w.shape, 0.6 + 0.2 * i)));
    const bytes = await st.io.saveKerasModel(m);
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
    const cfg = JSON.parse(new TextDecoder().decode(files['config.json']));
    // As Keras 3 itself writes it: `keras.Functional` does not deserialize in Keras 3.
    expect(cfg).toMatchObject({ module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional' });
    const layers = cfg.config.layers as any[];
    expect(layers[0]).toMatchObject({ class_name: 'InputLayer', config: { batch_shape: [null, 5, 5, 2], name: 'img' }, inbound_nodes: [] });
    const conv = layers.find((l) => l.class_name === 'Conv2D');
    expect(conv.module).toBe('keras.layers');
    expect(conv.config.kernel_initializer).toMatchObject({ module: 'keras.initializers', class_name: 'GlorotUniform' });
    expect(conv.inbound_nodes[0].args[0].config.keras_history).toEqual(['img', 0, 0]);
    expect(layers.find((l) => l.class_name === 'LeakyReLU').config.negative_slope).toBe(0.1);
    const again = await st.io.loadKerasModel(bytes);
    const x = tf.randomUniform([3, 5, 5, 2], -1, 1, 'float32', 9);
    const [ya, yb] = [m.predict(x) as st.tf.Tensor, again.predict(x) as st.tf.Tensor];
    expect(Array.from(yb.dataSync())).toEqual(Array.from(ya.dataSync()));
    tf.dispose([x, ya, yb]);
    m.dispose();
    again.dispose();
  });

  it('saves atomically to file://…keras in Node', async () => {
    const m = st.sequential([L.input({ shape: [3] }), L.dense({ units: 2 })]);
    const file = path.join(root, 'out', 'tiny.keras');
    await saveFromNode(m, `file://${file}`);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['tiny.keras']);
    const again = await loadFromNode(`file://${file}`);
    expect(again.weights.map((w) => w.shape)).toEqual([[3, 2], [2]]);
    await expect(saveFromNode(m, `file://${path.join(root, 'x.h5')}`)).rejects.toThrow(/only the Keras 3 '.keras' format can be written/);
    m.dispose();
    again.dispose();
  });
});

describe('legacy Keras .h5 models', () => {
  it('functional with DepthwiseConv2D and ReLU(max_value=6); Keras 2 training config', async () => {
    const m = await checkFixture('legacy_functional.h5');
    expect(m.layers.map((l) => l.className)).toEqual(['InputLayer', 'DepthwiseConv2D', 'ReLU', 'Flatten', 'Dense']);
    expect(m.optimizer?.className).toBe('Adam');
    expect(m.optimizer!.currentLearningRate()).toBeCloseTo(0.002, 6);
    m.dispose();
  });

  it("Sequential with tf.keras' list-valued BatchNormalization axis", async () => {
    const m = await checkFixture('legacy_sequential.h5');
    expect(m.className).toBe('Sequential');
    m.dispose();
  });
});

describe('hostile Keras files', () => {
  it('bytes that are neither zip nor HDF5', async () => {
    await rejects(st.io.loadKerasModel(strToU8('{"class_name": "Sequential"}')), /neither a .keras archive \(zip\) nor a Keras .h5 file/);
  });

  it('a zip bomb: a weights entry that compresses 1000:1', async () => {
    const bomb = zipSync({ 'config.json': strToU8('{}'), 'model.weights.h5': new Uint8Array(16 * 2 ** 20) });
    expect(bomb.length).toBeLessThan(100_000);
    await rejects(st.io.loadKerasModel(bomb), /declares 16777216 bytes from \d+ compressed, a ratio over 200 \(a zip bomb\?\)/);
  });

  it('a zip bomb that lies about its size is stopped while inflating', async () => {
    const bomb = zipSync({ 'config.json': strToU8('{}'), 'model.weights.h5': new Uint8Array(4 * 2 ** 20) });
    await rejects(st.io.loadKerasModel(patchDeclaredSize(bomb, 'model.weights.h5', 1000)), /inflates past its declared size of 1000 bytes/);
  });

  it('an archive over the total size limit', async () => {
    await rejects(st.io.loadKerasModel(fixture('keras3_sequential.keras'), { maxTotalBytes: 4096 }), /over the limit of 4096/);
  });

  it('an archive without config.json', async () => {
    const files = unzipSync(fixture('keras3_sequential.keras'));
    delete files['config.json'];
    await rejects(st.io.loadKerasModel(zipSync(files)), /has no 'config.json' \(entries: .*model\.weights\.h5/);
  });

  it('a corrupt weights file', async () => {
    const files = unzipSync(fixture('keras3_sequential.keras'));
    files['model.weights.h5'] = files['model.weights.h5']!.slice(0, 600);
    await rejects(st.io.loadKerasModel(zipSync(files)), /not a readable HDF5 file|corrupt HDF5 file/);
  });

  it('weights whose shapes do not fit the config', async () => {
    const files = unzipSync(fixture('keras3_sequential.keras'));
    const cfg = JSON.parse(new TextDecoder().decode(files['config.json']));
    cfg.config.layers[1].config.units = 6;
    files['config.json'] = strToU8(JSON.stringify(cfg));
    await rejects(st.io.loadKerasModel(zipSync(files)), /more values than the \d+ the weight file holds|has shape \[4,6\] in the model/);
  });

  it('a legacy weights-only .h5 file', async () => {
    const bytes = await st.io.saveKerasModel(st.sequential([L.input({ shape: [2] }), L.dense({ units: 1 })]));
    const h5 = unzipSync(bytes)['model.weights.h5']!;
    await rejects(st.io.loadKerasModel(h5), /no 'model_config' attribute/);
  });
});
