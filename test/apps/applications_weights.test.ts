/**
 * Pretrained weights for st.applications:
 *  - a MobileNetV2 (alpha 0.35, 48×48, 5 classes) whose weights Keras 3 saved, both with
 *    `save_weights` (`.weights.h5`) and in the legacy layout of Keras' released files (`.h5`),
 *    loads and predicts what Keras predicted (fixtures by make_applications_fixtures.py);
 *  - `weights: 'nsfwjs'` predicts what tfjs-layers predicts for nsfwjs' own models, with
 *    the top at 224 / 299 and without it at 96.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'fflate';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { nsfwjsArtifacts } from '../../src/io/node/nsfwjs.js';
import { loadKerasWeights } from '../../src/io/keras/weights_h5.js';

const { tf } = st;
const DIR = join(__dirname, '..', 'fixtures', 'applications');

beforeAll(async () => {
  await st.setBackend('wasm');
});

const fixture = JSON.parse(readFileSync(join(DIR, 'mobilenet_v2_small.json'), 'utf8')) as {
  inputShape: number[]; pixels: number[]; outputShape: number[]; output: number[];
};
const small = { alpha: 0.35, inputShape: [48, 48, 3] as [number, number, number], classes: 5 };

function maxDiff(a: st.tf.Tensor, b: st.tf.Tensor | number[]): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, Array.isArray(b) ? tf.tensor(b, a.shape) : b))).dataSync()[0]!);
}

async function predictSmall(weights: Uint8Array): Promise<number> {
  const m = await st.applications.mobileNetV2({ ...small, weights });
  const pixels = tf.tensor(fixture.pixels, fixture.inputShape);
  const x = st.applications.mobileNetV2.preprocessInput(pixels);
  const y = m.predict(x) as st.tf.Tensor;
  expect(y.shape).toEqual(fixture.outputShape);
  const d = maxDiff(y, fixture.output);
  tf.dispose([pixels, x, y]);
  m.dispose();
  return d;
}

describe('Keras weight files', () => {
  it('a Keras 3 save_weights file (.weights.h5) loads by Keras layer order and predicts what Keras predicted (1e-4)', async () => {
    const before = tf.memory().numTensors;
    const bytes = gunzipSync(readFileSync(join(DIR, 'mobilenet_v2_small.weights.h5.gz')));
    expect(await predictSmall(bytes)).toBeLessThanOrEqual(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a legacy Keras .h5 weights file (the layout of Keras\' ImageNet files) loads by layer name and predicts what Keras predicted', async () => {
    const bytes = gunzipSync(readFileSync(join(DIR, 'mobilenet_v2_small.h5.gz')));
    expect(await predictSmall(bytes)).toBeLessThanOrEqual(1e-4);
  });

  it('random weights do not predict what Keras predicted (the comparison can fail)', async () => {
    const m = st.applications.mobileNetV2.build(small);
    const x = tf.tidy(() => st.applications.mobileNetV2.preprocessInput(tf.tensor(fixture.pixels, fixture.inputShape)));
    const y = m.predict(x) as st.tf.Tensor;
    expect(maxDiff(y, fixture.output)).toBeGreaterThan(1e-2);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('refuses a file that does not fit: another width, wrong bytes, a missing layer', async () => {
    const bytes = gunzipSync(readFileSync(join(DIR, 'mobilenet_v2_small.h5.gz')));
    await expect(st.applications.mobileNetV2({ ...small, alpha: 0.5, weights: bytes })).rejects.toThrow(/shape/);
    await expect(st.applications.mobileNetV2({ ...small, weights: new Uint8Array([1, 2, 3]) })).rejects.toThrow(st.SerializationError);
    const bigger = st.applications.mobileNetV2.build({ ...small, classes: 5 });
    const withExtra = st.model({ inputs: bigger.inputs, outputs: st.layers.dense({ units: 2, name: 'extra' }).apply(bigger.outputs[0]!) as st.SymbolicTensor });
    await expect(loadKerasWeights(withExtra, bytes)).rejects.toThrow(/nothing for layer 'extra'/);
    withExtra.dispose();
    await expect(st.applications.resNet50({ weights: 'nsfwjs' })).rejects.toThrow(/only for mobileNetV2 and inceptionV3/);
    await expect(st.applications.mobileNetV2({ weights: './no/such/file.h5' })).rejects.toThrow(/cannot read weights file/);
  });

  it('a path or file:// URL loads like the bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-apps-'));
    const file = join(dir, 'small.weights.h5');
    writeFileSync(file, gunzipSync(readFileSync(join(DIR, 'mobilenet_v2_small.weights.h5.gz'))));
    for (const weights of [file, `file://${file}`]) {
      const m = await st.applications.mobileNetV2({ ...small, weights });
      const x = tf.tidy(() => st.applications.mobileNetV2.preprocessInput(tf.tensor(fixture.pixels, fixture.inputShape)));
      const y = m.predict(x) as st.tf.Tensor;
      expect(maxDiff(y, fixture.output)).toBeLessThanOrEqual(1e-4);
      tf.dispose([x, y]);
      m.dispose();
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

/** Two distinct test images in [0, 255]: smooth gradients and seeded noise. */
function pixels(size: number): st.tf.Tensor4D {
  return tf.tidy(() => {
    const r = tf.linspace(0, 1, size);
    const yy = tf.tile(tf.reshape(r, [size, 1]), [1, size]);
    const xx = tf.tile(tf.reshape(r, [1, size]), [size, 1]);
    const ring = tf.cos(tf.mul(tf.add(tf.square(tf.sub(xx, 0.5)), tf.square(tf.sub(yy, 0.4))), 30));
    const smooth = tf.clipByValue(tf.stack([tf.add(tf.mul(xx, 0.6), tf.mul(ring, 0.25)), tf.sub(1, tf.mul(yy, 0.8)), tf.mul(tf.add(ring, 1), 0.5)], -1), 0, 1);
    const noise = tf.randomUniform([size, size, 3], 0, 1, 'float32', 7);
    return tf.mul(tf.stack([smooth, noise]), 255) as st.tf.Tensor4D;
  });
}

function argmax(t: st.tf.Tensor): number[] {
  return Array.from(tf.tidy(() => tf.argMax(t, -1)).dataSync());
}

/** nsfwjs' model in tfjs-layers, optionally cut at `cut` and rebuilt for another input size. */
async function theirs(name: 'mobilenet_v2' | 'inception_v3', size?: number, cut?: string): Promise<tfl.LayersModel> {
  const a = nsfwjsArtifacts(name);
  const topology = JSON.parse(JSON.stringify(a.modelTopology)) as { model_config: { config: { layers: { name: string; config: { batch_input_shape?: number[] } }[]; output_layers: unknown } } };
  const config = topology.model_config.config;
  if (size) config.layers[0]!.config.batch_input_shape = [null as unknown as number, size, size, 3];
  if (cut) {
    config.layers = config.layers.slice(0, config.layers.findIndex((l) => l.name === cut) + 1);
    config.output_layers = [[cut, 0, 0]];
  }
  return tfl.loadLayersModel(tf.io.fromMemory({ ...a, modelTopology: topology }) as never, { strict: false });
}

describe("weights: 'nsfwjs'", () => {
  it('MobileNetV2 with its top at 224: the same top-1 and outputs within 1e-5 of tfjs-layers on nsfwjs\' model', async () => {
    const raw = pixels(224);
    const x = st.applications.mobileNetV2.preprocessInput(raw);
    const before = tf.memory().numTensors;
    const ours = await st.applications.mobileNetV2({ weights: 'nsfwjs' });
    const a = ours.predict(x) as st.tf.Tensor;
    ours.dispose();
    // Building, loading, predicting and disposing leave only the prediction behind.
    expect(tf.memory().numTensors).toBe(before + 1);
    const ref = await theirs('mobilenet_v2');
    const b = ref.predict(x) as st.tf.Tensor;
    expect(a.shape).toEqual([2, 5]);
    expect(argmax(a)).toEqual(argmax(b));
    expect(maxDiff(a, b)).toBeLessThanOrEqual(1e-5);
    const [a0, a1] = tf.split(a, 2);
    expect(maxDiff(a0!, a1!)).toBeGreaterThan(1e-3);
    tf.dispose([raw, x, a, b, a0!, a1!]);
    ref.dispose();
  }, 120_000);

  // The features are ReLU6 outputs in [0, 6]: 1e-5 of that range. (Keras 3 builds Conv1 with
  // 'same' padding where nsfwjs' Keras 2.2.4 file pads explicitly; the sums run in another order.)
  it('MobileNetV2 without its top at 96 × 96: out_relu equals tfjs-layers on nsfwjs\' base at 96 (6e-5 on [0, 6])', async () => {
    const ours = await st.applications.mobileNetV2({ weights: 'nsfwjs', includeTop: false, inputShape: [96, 96, 3] });
    expect(ours.outputShapes).toEqual([[null, 3, 3, 1280]]);
    const ref = await theirs('mobilenet_v2', 96, 'out_relu');
    const x = tf.tidy(() => st.applications.mobileNetV2.preprocessInput(pixels(96)));
    const a = ours.predict(x) as st.tf.Tensor;
    const b = ref.predict(x) as st.tf.Tensor;
    expect(maxDiff(a, b)).toBeLessThanOrEqual(6e-5);
    expect(tf.tidy(() => tf.max(a).dataSync()[0]!)).toBeGreaterThan(1);
    tf.dispose([x, a, b]);
    ours.dispose();
    ref.dispose();
  }, 120_000);

  it('InceptionV3 with its top at 299: the same top-1 and outputs within 1e-5 of tfjs-layers', async () => {
    const ours = await st.applications.inceptionV3({ weights: 'nsfwjs' });
    const ref = await theirs('inception_v3');
    const x = tf.tidy(() => st.applications.inceptionV3.preprocessInput(pixels(299)));
    const a = ours.predict(x) as st.tf.Tensor;
    const b = ref.predict(x) as st.tf.Tensor;
    expect(argmax(a)).toEqual(argmax(b));
    expect(maxDiff(a, b)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, a, b]);
    ours.dispose();
    ref.dispose();
  }, 300_000);
});
