import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import { input } from '../../src/layers/core/input.js';
import { Concatenate, add, average, concatenate, maximum, minimum, multiply, subtract } from '../../src/layers/merge/index.js';
import type { SymbolicTensor } from '../../src/engine/symbolic.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

layerHarness({ title: 'add', make: () => add(), inputShape: [[2, 4], [2, 4]], trainable: false });
layerHarness({ title: 'add of three, rank 3', make: () => add(), inputShape: [[2, 3, 4], [2, 3, 4], [2, 3, 4]], trainable: false });
layerHarness({ title: 'subtract', make: () => subtract(), inputShape: [[2, 4], [2, 4]], trainable: false });
layerHarness({ title: 'multiply broadcasting a size-1 axis', make: () => multiply(), inputShape: [[2, 3, 4], [2, 1, 4]], trainable: false });
layerHarness({ title: 'average', make: () => average(), inputShape: [[2, 4], [2, 4]], trainable: false });
layerHarness({ title: 'maximum', make: () => maximum(), inputShape: [[2, 4], [2, 4]], trainable: false });
layerHarness({ title: 'minimum of different ranks', make: () => minimum(), inputShape: [[2, 3, 4], [2, 4]], trainable: false });
layerHarness({ title: 'concatenate last axis', make: () => concatenate(), inputShape: [[2, 3], [2, 5]], trainable: false });
layerHarness({ title: 'concatenate axis 1 of three', make: () => concatenate({ axis: 1 }), inputShape: [[2, 1, 4], [2, 2, 4], [2, 3, 4]], trainable: false });

const A = [[1, -2, 3], [0.5, 4, -6]];
const B = [[2, 2, -1], [-0.5, 5, 7]];
const C = [[-3, 1, 0.25], [1, -1, 2]];
const zip3 = (f: (a: number, b: number, c: number) => number) => A.map((r, i) => r.map((a, j) => f(a, B[i]![j]!, C[i]![j]!)));

describe('elementwise merges', () => {
  it('compute the elementwise sum, difference, product, mean, max and min', () => {
    const [a, b, c] = [tf.tensor2d(A), tf.tensor2d(B), tf.tensor2d(C)];
    const run = (l: { apply(x: tf.Tensor[]): tf.Tensor | tf.Tensor[] }, xs: tf.Tensor[]) => {
      const y = l.apply(xs) as tf.Tensor2D;
      const v = y.arraySync();
      y.dispose();
      return v;
    };
    const close = (got: number[][], want: number[][]) => got.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 5)));
    close(run(add(), [a, b, c]), zip3((x, y, z) => x + y + z));
    close(run(subtract(), [a, b]), zip3((x, y) => x - y));
    close(run(multiply(), [a, b, c]), zip3((x, y, z) => x * y * z));
    close(run(average(), [a, b, c]), zip3((x, y, z) => (x + y + z) / 3));
    close(run(maximum(), [a, b, c]), zip3((x, y, z) => Math.max(x, y, z)));
    close(run(minimum(), [a, b, c]), zip3((x, y, z) => Math.min(x, y, z)));
    tf.dispose([a, b, c]);
  });

  it('broadcast size-1 axes and lower ranks as Keras does', () => {
    const a = tf.tensor3d([[[1, 2], [3, 4], [5, 6]]]);
    const b = tf.tensor3d([[[10, 20]]]);
    const c = tf.tensor2d([[100, 200]]);
    const y1 = add().apply([a, b]) as tf.Tensor;
    expect(y1.shape).toEqual([1, 3, 2]);
    expect(Array.from(y1.dataSync())).toEqual([11, 22, 13, 24, 15, 26]);
    const y2 = add().apply([c, a]) as tf.Tensor;
    expect(Array.from(y2.dataSync())).toEqual([101, 202, 103, 204, 105, 206]);
    expect(add().computeOutputShape([[null, 3, 2], [null, 1, 2]])).toEqual([null, 3, 2]);
    expect(add().computeOutputShape([[null, 2], [null, 3, 2]])).toEqual([null, 3, 2]);
    expect(multiply().computeOutputShape([[null, 1, 5], [null, 4, 1]])).toEqual([null, 4, 5]);
    expect(add().computeOutputShape([[null, null, 2], [null, 3, 2]])).toEqual([null, null, 2]);
    expect(add().computeOutputShape([[4, 3], [null, 3]])).toEqual([4, 3]);
    tf.dispose([a, b, c, y1, y2]);
  });

  it('route maximum/minimum gradients to the winning input, summed over broadcast axes', () => {
    const a = tf.tensor3d([[[1, 5], [3, 0]]]);
    const b = tf.tensor3d([[[2, 2]]]);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(maximum().apply([x, y]) as tf.Tensor))([a, b]);
    expect(Array.from(ga!.dataSync())).toEqual([0, 1, 1, 0]);
    expect(gb!.shape).toEqual([1, 1, 2]);
    expect(Array.from(gb!.dataSync())).toEqual([1, 1]);
    const [ha, hb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(minimum().apply([x, y]) as tf.Tensor))([a, b]);
    expect(Array.from(ha!.dataSync())).toEqual([1, 0, 0, 1]);
    expect(Array.from(hb!.dataSync())).toEqual([1, 1]);
    tf.dispose([a, b, ga!, gb!, ha!, hb!]);
  });

  it('reject shapes that do not broadcast, naming the layer and the shapes', () => {
    const l = add({ name: 'sum' });
    expect(() => l.computeOutputShape([[null, 3], [null, 4]])).toThrow(ShapeError);
    expect(() => l.computeOutputShape([[null, 3], [null, 4]])).toThrow("Add 'sum': inputs have incompatible shapes [null,3], [null,4]");
    const [p, q] = [input({ shape: [2, 3] }), input({ shape: [2, 4] })];
    expect(() => maximum().apply([p, q])).toThrow(/Maximum 'maximum'.*\[null,2,3\].*\[null,2,4\]/);
    const a = tf.ones([2, 3]);
    const b = tf.ones([3, 3]);
    expect(() => subtract().apply([a, b])).toThrow(/\[2,3\], \[3,3\]/);
    const c = tf.ones([2, 4]);
    const ok = add();
    tf.dispose(ok.apply([a, a]));
    expect(() => ok.apply([a, c])).toThrow(ShapeError);
    tf.dispose([a, b, c]);
  });

  it('require a list of inputs (exactly two for subtract)', () => {
    const a = tf.ones([2, 3]);
    expect(() => add({ name: 'a1' }).apply(a)).toThrow(/Add 'a1': expected a list of input tensors/);
    expect(() => add().apply([a])).toThrow(/at least 2 inputs, got 1/);
    expect(() => subtract().apply([a, a, a])).toThrow(/exactly 2 inputs, got 3/);
    expect(() => multiply().apply(input({ shape: [3] }))).toThrow(ShapeError);
    a.dispose();
  });

  it('work in a functional graph', () => {
    const [p, q] = [input({ shape: [4] }), input({ shape: [4] })];
    const s = add().apply([p, q]) as SymbolicTensor;
    expect(s.shape).toEqual([null, 4]);
    const cat = concatenate().apply([s, p]) as SymbolicTensor;
    expect(cat.shape).toEqual([null, 8]);
  });
});

describe('Concatenate', () => {
  it('joins along the given axis', () => {
    const a = tf.tensor3d([[[1, 2], [3, 4]]]);
    const b = tf.tensor3d([[[5, 6]]]);
    const y = concatenate({ axis: 1 }).apply([a, b]) as tf.Tensor3D;
    expect(y.arraySync()).toEqual([[[1, 2], [3, 4], [5, 6]]]);
    const c = tf.tensor3d([[[9], [8]]]);
    const z = concatenate().apply([a, c]) as tf.Tensor3D;
    expect(z.arraySync()).toEqual([[[1, 2, 9], [3, 4, 8]]]);
    expect(concatenate({ axis: -2 }).computeOutputShape([[null, 2, 3], [null, null, 3]])).toEqual([null, null, 3]);
    tf.dispose([a, b, c, y, z]);
  });

  it('rejects mismatched shapes, ranks and bad axes', () => {
    const l = concatenate({ name: 'cat' });
    expect(() => l.computeOutputShape([[null, 2, 3], [null, 3, 3]])).toThrow(ShapeError);
    expect(() => l.computeOutputShape([[null, 2, 3], [null, 3, 3]])).toThrow(/Concatenate 'cat'.*\[null,2,3\], \[null,3,3\]/);
    expect(() => l.computeOutputShape([[null, 2, 3], [null, 3]])).toThrow(/same rank/);
    expect(() => concatenate({ axis: 0 }).computeOutputShape([[null, 3], [null, 3]])).toThrow(ValueError);
    expect(() => concatenate({ axis: 3 }).computeOutputShape([[null, 3], [null, 3]])).toThrow(/'axis' 3/);
    expect(() => concatenate({ axis: 1.5 })).toThrow(ValueError);
    const a = tf.ones([2, 3]);
    const b = tf.ones([3, 3]);
    expect(() => l.apply([a, b])).toThrow(ShapeError);
    tf.dispose([a, b]);
  });

  it('round-trips its config', () => {
    const l = concatenate({ axis: 2, name: 'c' });
    expect(l.getConfig()).toEqual({ name: 'c', trainable: true, axis: 2 });
    expect(new Concatenate(l.getConfig()).getConfig()).toEqual(l.getConfig());
  });
});
