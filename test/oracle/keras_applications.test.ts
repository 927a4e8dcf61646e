/**
 * keras.applications against the real Keras 3 (STRATA_PYTHON, KERAS_BACKEND=jax): Keras
 * writes each model with random weights and non-trivial BatchNormalization statistics as
 * `.keras` and `.h5`; strata loads both and predicts within 1e-4 (relative) of Keras on the
 * same input; the `.keras` strata writes back loads in Keras and predicts within 1e-4.
 * Small spatial inputs keep it quick; the layer kinds and weights are the full models'.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';
import { runPython } from './python.js';

const { tf } = st;
let root: string;

beforeAll(async () => {
  await st.setBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-apps-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Application name → input size (the smallest each accepts, or near it). */
const APPS: Record<string, number> = {
  MobileNetV2: 32, MobileNetV3Small: 32, MobileNetV3Large: 32, ResNet50: 32, ResNet50V2: 32,
  InceptionV3: 75, VGG16: 32, DenseNet121: 32, EfficientNetB0: 32, Xception: 71,
};

const WRITE = `
import json, os, sys
import numpy as np
import keras
name, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
m = getattr(keras.applications, name)(weights=None, input_shape=(size, size, 3))
for layer in m.layers:
    if isinstance(layer, keras.layers.BatchNormalization):
        n = layer.moving_mean.shape
        layer.moving_mean.assign(rng.normal(0, 0.1, n).astype("float32"))
        layer.moving_variance.assign(rng.uniform(0.5, 1.5, n).astype("float32"))
        if layer.gamma is not None: layer.gamma.assign(rng.uniform(0.8, 1.2, n).astype("float32"))
        if layer.beta is not None: layer.beta.assign(rng.normal(0, 0.1, n).astype("float32"))
x = rng.uniform(0, 255 if name.startswith(("MobileNetV3", "EfficientNet")) else 1, (2, size, size, 3)).astype("float32")
y = np.asarray(m.predict(x, verbose=0))
m.save(os.path.join(out, name + ".keras"))
m.save(os.path.join(out, name + ".h5"))
json.dump({"shape": list(x.shape), "x": x.ravel().tolist(), "y": y.ravel().tolist()}, open(os.path.join(out, name + ".json"), "w"))
`;

const PREDICT = `
import json, sys
import numpy as np
import keras
m = keras.models.load_model(sys.argv[1])
spec = json.load(open(sys.argv[2]))
x = np.array(spec["x"], dtype="float32").reshape(spec["shape"])
print(json.dumps(np.asarray(m.predict(x, verbose=0)).ravel().tolist()))
`;

/** Largest |a-b| relative to the largest |b| (softmax outputs near 0 make elementwise ratios meaningless). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return d / scale;
}

describe('keras.applications written by Keras 3', () => {
  for (const [name, size] of Object.entries(APPS)) {
    it(`${name}: .keras and .h5 load and predict as Keras; strata's .keras loads in Keras and predicts the same`, async () => {
      runPython(WRITE, [name, String(size), root]);
      const spec = JSON.parse(fs.readFileSync(path.join(root, `${name}.json`), 'utf8')) as { shape: number[]; x: number[]; y: number[] };
      const x = tf.tensor(spec.x, spec.shape);
      for (const ext of ['keras', 'h5']) {
        const m = await st.io.loadKerasModel(new Uint8Array(fs.readFileSync(path.join(root, `${name}.${ext}`))));
        const y = m.predict(x) as st.tf.Tensor;
        expect(relErr(y.dataSync(), spec.y), `${name}.${ext}`).toBeLessThanOrEqual(1e-4);
        y.dispose();
        if (ext === 'keras') {
          const file = path.join(root, `${name}.strata.keras`);
          fs.writeFileSync(file, await st.io.saveKerasModel(m));
          const back = JSON.parse(runPython(PREDICT, [file, path.join(root, `${name}.json`)]).trim().split('\n').pop()!) as number[];
          expect(relErr(back, spec.y), `${name}: strata's .keras in Keras`).toBeLessThanOrEqual(1e-4);
        }
        m.dispose();
      }
      x.dispose();
    }, 900_000);
  }
});
