/**
 * Real pretrained Keras models (nsfwjs' MobileNetV2 and InceptionV3, uint8-quantized):
 * strata loads them and predicts what tfjs-layers predicts.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportedLiteral, nsfwjsHandler, nsfwjsModelDir, parseLiteral } from './nsfwjs_models.js';
import * as st from './st.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

/** Smooth, distinct test images in [0, 1]: gradients and rings, one per batch entry. */
function images(n: number, size: number): st.tf.Tensor4D {
  return tf.tidy(() => {
    const r = tf.linspace(0, 1, size);
    const yy = tf.tile(tf.reshape(r, [size, 1]), [1, size]);
    const xx = tf.tile(tf.reshape(r, [1, size]), [size, 1]);
    const imgs = Array.from({ length: n }, (_, k) => {
      const ring = tf.cos(tf.mul(tf.add(tf.square(tf.sub(xx, 0.5)), tf.square(tf.sub(yy, 0.3 + 0.2 * k))), 20 + 15 * k));
      const c0 = tf.add(tf.mul(xx, 0.5 + 0.2 * k), tf.mul(ring, 0.25));
      const c1 = tf.sub(1, tf.mul(yy, 0.8 - 0.3 * k));
      const c2 = tf.mul(tf.add(ring, 1), 0.5);
      return tf.clipByValue(tf.stack([c0, c1, c2], -1), 0, 1);
    });
    return tf.stack(imgs) as st.tf.Tensor4D;
  });
}

function argmax(t: st.tf.Tensor): number[] {
  return Array.from(tf.tidy(() => tf.argMax(t, -1)).dataSync());
}

async function compare(name: 'mobilenet_v2' | 'inception_v3', size: number, batch: number): Promise<void> {
  const handler = nsfwjsHandler(nsfwjsModelDir(name));
  const ours = await st.loadModel(handler);
  const theirs = await tfl.loadLayersModel(handler as never);
  // The file's Keras training config comes back too.
  expect(ours.optimizer?.className).toBe('SGD');
  expect(ours.layers.length).toBe(theirs.layers.length);
  const x = images(batch, size);
  const a = ours.predict(x) as st.tf.Tensor;
  const b = theirs.predict(x) as st.tf.Tensor;
  expect(a.shape).toEqual([batch, 5]);
  expect(argmax(a)).toEqual(argmax(b));
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
  expect(diff).toBeLessThanOrEqual(1e-4);
  // The inputs are far apart enough that the model does not answer them all alike.
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
    await compare('mobilenet_v2', 224, 2);
  });

  it('InceptionV3: the same top-1 and outputs within 1e-4 of tfjs-layers', async () => {
    await compare('inception_v3', 299, 2);
  }, 300_000);
});
