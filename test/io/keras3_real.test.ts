/**
 * Files written by the real Keras 3 (`model.save('m.keras')`, `model.save('m.h5')`), made by
 * scripts/fixtures/make_keras3_fixtures.py: each loads from both formats and predicts as
 * Keras did on the recorded input; the compiled one comes back compiled; 3 full-batch SGD
 * steps on a loaded model end where Keras' ended. `mini_apps` holds the block kinds of
 * keras.applications (MobileNetV2, ResNet50/V2, InceptionV3, DenseNet121, Xception, VGG16) at
 * toy sizes; test/oracle/keras_applications.test.ts runs the full models.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from './st.js';

const { tf } = st;
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'keras3');
interface Case { input_shape: number[]; input: number[]; output_shape: number[]; output: number[] }
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, unknown>;
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** Largest |a-b| / max(1, |b|) over two arrays. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

async function loadAndPredict(file: string, name: string): Promise<{ m: st.Sequential | st.Model; before: number }> {
  const before = tf.memory().numTensors;
  const m = await st.io.loadKerasModel(fixture(file));
  const e = expected[name] as Case;
  const x = tf.tensor(e.input, e.input_shape);
  const y = m.predict(x) as st.tf.Tensor;
  expect(y.shape).toEqual(e.output_shape);
  expect(relErr(y.dataSync(), e.output)).toBeLessThanOrEqual(1e-4);
  tf.dispose([x, y]);
  return { m, before };
}

describe('models written by Keras 3', () => {
  for (const name of ['mlp', 'mlp_compiled', 'cnn', 'functional', 'mini_apps', 'normalization', 'numpy_ops']) {
    for (const ext of ['keras', 'h5']) {
      it(`${name}.${ext} loads and predicts as Keras`, async () => {
        const { m, before } = await loadAndPredict(`${name}.${ext}`, name);
        m.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  for (const ext of ['keras', 'h5']) {
    it(`mlp_compiled.${ext} comes back compiled with Adam, sparse crossentropy and accuracy`, async () => {
      const m = await st.io.loadKerasModel(fixture(`mlp_compiled.${ext}`));
      expect(m.optimizer?.className).toBe('Adam');
      expect((m.optimizer?.getConfig() as { learningRate: number }).learningRate).toBeCloseTo(0.002, 6);
      expect(m.losses![0]!.className).toBe('SparseCategoricalCrossentropy');
      const e = expected.mlp as Case;
      const x = tf.tensor(e.input, e.input_shape);
      const y = tf.tensor([0, 1, 2], [3]);
      const logs = await m.evaluate(x, y);
      expect(Object.keys(logs).sort()).toEqual(['accuracy', 'loss']);
      tf.dispose([x, y]);
      m.dispose();
    });
  }

  it('an uncompiled .keras file comes back uncompiled', async () => {
    const m = await st.io.loadKerasModel(fixture('mlp.keras'));
    expect(m.optimizer).toBeUndefined();
    m.dispose();
  });

  it('3 full-batch SGD steps on a loaded model end where Keras ended', async () => {
    const e = expected.sgd as { model: string; learning_rate: number; x_shape: number[]; x: number[]; y: number[]; losses: number[]; output: number[] };
    const m = await st.io.loadKerasModel(fixture(e.model));
    m.compile({ optimizer: st.optimizers.sgd({ learningRate: e.learning_rate }), loss: 'sparseCategoricalCrossentropy' });
    const x = tf.tensor(e.x, e.x_shape);
    const y = tf.tensor(e.y, [e.y.length]);
    const h = await m.fit(x, y, { batchSize: e.x_shape[0], epochs: 3, shuffle: false, verbose: 0 });
    expect(relErr(h.history.loss as number[], e.losses)).toBeLessThanOrEqual(1e-3);
    const p = m.predict(x) as st.tf.Tensor;
    expect(relErr(p.dataSync(), e.output)).toBeLessThanOrEqual(1e-3);
    tf.dispose([x, y, p]);
    m.dispose();
  });
});

/** The cnn.keras fixture with one BatchNormalization's config patched. */
async function patchedBn(patch: Record<string, unknown>): Promise<Uint8Array> {
  const { unzipSync, zipSync, strToU8 } = await import('fflate');
  const files = unzipSync(fixture('cnn.keras'));
  const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  const bn = config.config.layers.find((l) => l.class_name === 'BatchNormalization')!;
  Object.assign(bn.config, patch);
  files['config.json'] = strToU8(JSON.stringify(config));
  return zipSync(files);
}

describe('config keys newer Keras versions add', () => {
  it('are accepted at their no-op values (renorm off: any renorm_momentum / renorm_clipping)', async () => {
    const m = await st.io.loadKerasModel(await patchedBn({ renorm_momentum: 0.5, renorm_clipping: { rmax: 3 }, synchronized: false, lora_rank: null }));
    expect(m.layers.length).toBeGreaterThan(0);
    m.dispose();
  });

  const refused: [Record<string, unknown>, RegExp][] = [
    [{ renorm: true }, /layer 'batch_normalization_2' \(BatchNormalization\): config key 'renorm' = true would change/],
    [{ renorm_momentum: 0.5, renorm: true }, /config key 'renorm' = true/],
    [{ synchronized: true }, /config key 'synchronized' = true would change/],
    [{ quantization_config: { mode: 'int8' } }, /config key 'quantization_config' = \{"mode":"int8"\} would change/],
    [{ lora_rank: 4 }, /config key 'lora_rank' = 4 would change/],
    [{ dtype_policy: { class_name: 'DTypePolicy', config: { name: 'mixed_float16' } } }, /config key 'dtype_policy'/],
  ];
  for (const [patch, message] of refused) {
    it(`are refused, naming layer, key and value, when they change the math: ${JSON.stringify(patch)}`, async () => {
      const before = tf.memory().numTensors;
      const err = await st.io.loadKerasModel(await patchedBn(patch)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(st.SerializationError);
      expect((err as Error).message).toMatch(message);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('Keras numpy operations in a graph', () => {
  it('an operation strata lacks is refused, naming it and the supported ones', async () => {
    const { unzipSync, zipSync, strToU8 } = await import('fflate');
    const files = unzipSync(fixture('numpy_ops.keras'));
    const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as { config: { layers: { class_name: string; module?: string }[] } };
    config.config.layers.find((l) => l.module === 'keras.src.ops.numpy')!.class_name = 'Power';
    files['config.json'] = strToU8(JSON.stringify(config));
    const before = tf.memory().numTensors;
    const err = await st.io.loadKerasModel(zipSync(files)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(st.SerializationError);
    expect((err as Error).message).toMatch(/loadKerasModel: operation 'add': Keras operation 'Power' is not supported; expected one of Add, Subtract, Multiply, Divide, TrueDivide/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a loaded model with Keras numpy operations in strata\'s own format', () => {
  it('saves to model.json artifacts and loads back with the same predictions', async () => {
    const m = await st.io.loadKerasModel(fixture('numpy_ops.keras'));
    let saved: st.tf.io.ModelArtifacts | undefined;
    await st.saveModel(m, { save: async (a: st.tf.io.ModelArtifacts) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; } });
    const back = await st.loadModel({ load: async () => saved! });
    const e = expected.numpy_ops as Case;
    const x = tf.tensor(e.input, e.input_shape);
    const y = back.predict(x) as st.tf.Tensor;
    expect(relErr(y.dataSync(), e.output)).toBeLessThanOrEqual(1e-4);
    tf.dispose([x, y]);
    m.dispose();
    back.dispose();
  });
});
