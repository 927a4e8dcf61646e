/**
 * Every st.applications family against the real Keras: Keras builds the model with random
 * weights, saves them with `model.save_weights` (Keras 3 `.weights.h5`) and in the legacy
 * `.h5` layout of its released ImageNet files, and predicts a fixed batch; strata builds the
 * same architecture, loads each file and must predict the same within 1e-4.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { runPython } from './python.js';

const { tf } = st;
const dir = mkdtempSync(join(tmpdir(), 'strata-apps-oracle-'));

beforeAll(async () => {
  await st.setBackend('wasm');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// [family, Keras builder, Keras kwargs (Python), strata options, input size]
const CASES: [keyof typeof st.applications, string, string, Record<string, unknown>, number][] = [
  ['mobileNetV2', 'MobileNetV2', 'alpha=1.0, input_shape=(96, 96, 3), classes=10', { inputShape: [96, 96, 3], classes: 10 }, 96],
  ['resNet50', 'ResNet50', 'input_shape=(64, 64, 3), include_top=False, pooling="avg"', { inputShape: [64, 64, 3], includeTop: false, pooling: 'avg' }, 64],
  ['vgg16', 'VGG16', 'input_shape=(48, 48, 3), include_top=False, pooling="max"', { inputShape: [48, 48, 3], includeTop: false, pooling: 'max' }, 48],
  ['inceptionV3', 'InceptionV3', 'input_shape=(96, 96, 3), classes=7', { inputShape: [96, 96, 3], classes: 7 }, 96],
  ['denseNet121', 'DenseNet121', 'input_shape=(64, 64, 3), classes=6', { inputShape: [64, 64, 3], classes: 6 }, 64],
  ['mobileNetV3Small', 'MobileNetV3Small', 'input_shape=(64, 64, 3), classes=5', { inputShape: [64, 64, 3], classes: 5 }, 64],
  ['mobileNetV3Large', 'MobileNetV3Large', 'input_shape=(64, 64, 3), include_top=False, pooling="avg"', { inputShape: [64, 64, 3], includeTop: false, pooling: 'avg' }, 64],
  ['efficientNetB0', 'EfficientNetB0', 'input_shape=(64, 64, 3), classes=9', { inputShape: [64, 64, 3], classes: 9 }, 64],
];

const SCRIPT = `
import json, sys, h5py, numpy as np, keras
from keras.src.legacy.saving import legacy_h5_format
builder, kwargs, out, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
keras.utils.set_random_seed(1)
model = eval(f"keras.applications.{builder}(weights=None, {kwargs})")
rng = np.random.default_rng(5)
# Non-trivial statistics for BatchNormalization and Normalization, so every weight matters.
for layer in model.layers:
    ws = layer.get_weights()
    if not ws: continue
    new = []
    for w, v in zip(layer.weights, ws):
        if 'variance' in w.path: v = rng.uniform(0.5, 1.5, v.shape)
        elif 'mean' in w.path or 'beta' in w.path: v = rng.uniform(-0.2, 0.2, v.shape)
        elif 'gamma' in w.path: v = rng.uniform(0.7, 1.3, v.shape)
        elif 'count' in w.path: v = v
        new.append(np.asarray(v, dtype=w.dtype))
    layer.set_weights(new)
x = rng.uniform(0, 255, (2, size, size, 3)).astype('float32')
if builder in ('MobileNetV2', 'InceptionV3'): xin = x / 127.5 - 1
elif builder in ('ResNet50', 'VGG16'): xin = x[..., ::-1] - np.array([103.939, 116.779, 123.68], 'float32')
elif builder == 'DenseNet121': xin = (x / 255 - np.array([0.485, 0.456, 0.406], 'float32')) / np.array([0.229, 0.224, 0.225], 'float32')
else: xin = x
y = np.asarray(model.predict(xin, verbose=0))
model.save_weights(out + '.weights.h5')
with h5py.File(out + '.h5', 'w') as f:
    legacy_h5_format.save_weights_to_hdf5_group(f, model)
json.dump({'x': x.reshape(-1).tolist(), 'y': y.reshape(-1).tolist(), 'shape': list(y.shape)}, open(out + '.json', 'w'))
`;

describe('st.applications load Keras-saved weights and predict what Keras predicts', () => {
  for (const [family, builder, kwargs, opts, size] of CASES) {
    it(`${family}: .weights.h5 and legacy .h5 within 1e-4`, async () => {
      const out = join(dir, family);
      runPython(SCRIPT, [builder, kwargs, out, String(size)]);
      const ref = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { x: number[]; y: number[]; shape: number[] };
      const app = st.applications[family] as st.applications.Application<st.applications.ApplicationOptions>;
      for (const file of [`${out}.weights.h5`, `${out}.h5`]) {
        const m = await app({ ...opts, weights: file });
        const x = tf.tensor(ref.x, [2, size, size, 3]);
        const xin = app.preprocessInput(x);
        const y = m.predict(xin) as st.tf.Tensor;
        expect(y.shape).toEqual(ref.shape);
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(y, tf.tensor(ref.y, y.shape)))).dataSync()[0]!);
        const scale = tf.tidy(() => tf.max(tf.abs(y)).dataSync()[0]!);
        expect(diff, `${file}: max abs diff ${diff} (outputs up to ${scale})`).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
        tf.dispose([x, xin, y]);
        m.dispose();
      }
    });
  }
});
