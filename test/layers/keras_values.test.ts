/**
 * Layers built from real Keras 3 configs compute what Keras computed
 * (fixtures from scripts/fixtures/make_layer_values.py).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { Normalization } from '../../src/layers/preprocessing/index.js';
import { KERAS_CASES, expectClose, layerFromCase, t, type KerasCase } from './keras_fixture.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const AUGMENT = /^Random/;

function run(c: KerasCase): void {
  const n0 = tf.memory().numTensors;
  const layer = layerFromCase(c);
  const x = t(c.x, c.x_shape);
  if (c.weights) {
    layer.ensureBuilt([null, ...c.x_shape.slice(1)]);
    layer.weights.forEach((w, i) => {
      const v = t(c.weights![i], c.weight_shapes![i]!);
      w.write(v);
      v.dispose();
    });
  }
  if (layer instanceof Normalization && (c.adapt || c.adapt_batches)) {
    if (c.adapt) {
      const data = t(c.adapt, c.adapt_shape as number[]);
      layer.adapt(data);
      data.dispose();
    } else {
      const shapes = c.adapt_batch_shapes as number[][];
      const batches = (c.adapt_batches as unknown[]).map((b, i) => ({ xs: t(b, shapes[i]!) }));
      layer.adapt(batches);
      tf.dispose(batches.map((b) => b.xs));
    }
    const [mean, variance, count] = layer.weights;
    expectClose(mean!.read(), c.mean, mean!.shape, 1e-5, 1e-5);
    expectClose(variance!.read(), c.variance, variance!.shape, 1e-5, 1e-4);
    if (c.count !== undefined) expect(count!.read().dataSync()[0]).toBe(c.count);
  }
  const y = layer.apply(x) as tf.Tensor;
  expectClose(y, c.y, c.y_shape);
  tf.dispose([x, y]);
  layer.dispose();
  expect(tf.memory().numTensors).toBe(n0);
}

describe('layers built from Keras 3 configs match Keras outputs', () => {
  for (const c of KERAS_CASES.filter((k) => !AUGMENT.test(k.class_name) && k.x !== undefined)) {
    it(c.name, () => run(c));
  }
});
