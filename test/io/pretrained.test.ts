/**
 * Real pretrained Keras models (nsfwjs' MobileNetV2 and InceptionV3, uint8-quantized):
 * strata loads them and predicts what tfjs-layers predicts. Runs on the wasm backend (both
 * libraries share it), where InceptionV3 takes seconds rather than minutes.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportedLiteral, nsfwjsHandler, nsfwjsModelDir, parseLiteral } from './nsfwjs_models.js';
import * as st from './st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('wasm');
});

/** Two distinct test images in [0, 1]: a smooth pattern of gradients and rings, and seeded noise. */
function images(size: number): st.tf.Tensor4D {
  return tf.tidy(() => {
    const r = tf.linspace(0, 1, size);
    const yy = tf.tile(tf.reshape(r, [size, 1]), [1, size]);
    const xx = tf.tile(tf.reshape(r, [1, size]), [size, 1]);
    const ring = tf.cos(tf.mul(tf.add(tf.square(tf.sub(xx, 0.5)), tf.square(tf.sub(yy, 0.4))), 30));
    const smooth = tf.clipByValue(tf.stack([tf.add(tf.mul(xx, 0.6), tf.mul(ring, 0.25)), tf.sub(1, tf.mul(yy, 0.8)), tf.mul(tf.add(ring, 1), 0.5)], -1), 0, 1);
    const noise = tf.randomUniform([size, size, 3], 0, 1, 'float32', 7);
    return tf.stack([smooth, noise]) as st.tf.Tensor4D;
  });
}

function argmax(t: st.tf.Tensor): number[] {
  return Array.from(tf.tidy(() => tf.argMax(t, -1)).dataSync());
}

async function compare(name: 'mobilenet_v2' | 'inception_v3', size: number): Promise<void> {
  const artifacts = await nsfwjsHandler(nsfwjsModelDir(name)).load!();
  const ours = await st.loadModel(tf.io.fromMemory(artifacts));
  const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts) as never);
  // The file's Keras training config comes back too.
  expect(ours.optimizer?.className).toBe('SGD');
  expect(ours.layers.length).toBe(theirs.layers.length);
  const x = images(size);
  const a = ours.predict(x) as st.tf.Tensor;
  const b = theirs.predict(x) as st.tf.Tensor;
  expect(a.shape).toEqual([2, 5]);
  expect(argmax(a)).toEqual(argmax(b));
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
  expect(diff).toBeLessThanOrEqual(1e-4);
  // The two inputs are far enough apart that the model does not answer them alike.
  expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a.slice(0, 1), a.slice(1, 1)))).dataSync()[0]!)).toBeGreaterThan(1e-3);
  tf.dispose([x, a, b]);
  ours.dispose();
  theirs.dispose();
}

describe('nsfwjs pretrained models', () => {
  it('the literal parser reads objects, arrays, strings, numbers and !0/!1, and refuses code', () => {
    expect(parseLiteral(`{a:1,"b c":[.5,-2e-3,!0,!1,null],d:{e:'x\\ny'}}`, 0).value)
      .toEqual({ a: 1, 'b c': [0.5, -0.002, true, false, null], d: { e: 'x\ny' } });
    expect(() => parseLiteral('{a:require("fs")}', 0)).toThrow(/unexpected token/);
    expect(exportedLiteral('!function(){module.exports=e()}(function(){a.exports={k:[1]}})')).toEqual({ k: [1] });
  });

  it('MobileNetV2: the same top-1 and outputs within 1e-4 of tfjs-layers', async () => {
    await compare('mobilenet_v2', 224);
  });

  it('InceptionV3: the same top-1 and outputs within 1e-4 of tfjs-layers', async () => {
    await compare('inception_v3', 299);
  }, 300_000);
});
