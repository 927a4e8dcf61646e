import { it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';

it('dbg', async () => {
  await setBackend('cpu');
  const dy = tf.tensor([1, 2, 3, 4], [2, 1, 2, 1]);
  const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [1, 2]), dy)))(tf.ones([2, 1, 1, 1]));
  console.log('A', Array.from(g2.dataSync()));
  const dyb = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 1]);
  console.log('B', Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [1, 4]), dyb)))(tf.ones([2, 1, 2, 1])).dataSync()));
  const dyc = tf.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
  console.log('C', Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [2, 2]), dyc)))(tf.ones([1, 1, 1, 1])).dataSync()));
  console.log('D', Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [1, 2]), tf.tensor([1, 2], [1, 1, 2, 1]))))(tf.ones([1, 1, 1, 1])).dataSync()));
  console.log('E', Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [1, 3]), tf.tensor([1, 2, 4], [1, 1, 3, 1]))))(tf.ones([1, 1, 1, 1])).dataSync()));
  console.log('F', Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [3, 1]), tf.tensor([1, 2, 4], [1, 3, 1, 1]))))(tf.ones([1, 1, 1, 1])).dataSync()));
  console.log('G', Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [1, 4]), tf.tensor([1, 2, 4, 8], [1, 1, 4, 1]))))(tf.ones([1, 1, 2, 1])).dataSync()));
});
