import { it, expect } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../../src/backend/tf.js';
import { setBackend } from '../../src/backend/backends.js';
it('probe', async () => {
  await setBackend('cpu');
  const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
  const y = m.predict(tf.ones([1, 3])) as tf.Tensor;
  console.log(y.shape, tf.getBackend(), typeof (tf.ones([2]) as any).slice);
  expect(y.shape).toEqual([1, 2]);
});
