/**
 * Conv1D, the 1-D pooling layers, UpSampling1D, RepeatVector, LayerNormalization and
 * MultiHeadAttention: the shared harness, mask-aware pooling and attention, and errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import { multiHeadAttention } from '../../src/layers/attention/index.js';
import { conv1d } from '../../src/layers/conv/conv1d.js';
import { layerNormalization } from '../../src/layers/norm/layer_normalization.js';
import { averagePooling1d, globalAveragePooling1d, globalMaxPooling1d, maxPooling1d } from '../../src/layers/pooling/index.js';
import { repeatVector, upSampling1d } from '../../src/layers/reshape/index.js';
import { layerHarness } from '../harness/layer_harness.js';
import { transformerEncoderBlock } from '../../src/layers/blocks/transformer_encoder.js';
import { positionalEmbedding } from '../../src/layers/core/positional_embedding.js';

beforeAll(async () => {
  await setBackend('cpu');
});

layerHarness({ title: 'conv1d causal dilation 2', make: () => conv1d({ filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2 }), inputShape: [2, 7, 2], trainable: true });
layerHarness({ title: 'conv1d same stride 2 tanh', make: () => conv1d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }), inputShape: [2, 7, 3], trainable: true });
layerHarness({ title: 'maxPooling1d', make: () => maxPooling1d({ poolSize: 2 }), inputShape: [2, 6, 3], trainable: false });
layerHarness({ title: 'averagePooling1d same', make: () => averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }), inputShape: [2, 5, 2], trainable: false });
layerHarness({ title: 'globalAveragePooling1d keepdims', make: () => globalAveragePooling1d({ keepdims: true }), inputShape: [2, 5, 2], trainable: false });
layerHarness({ title: 'globalMaxPooling1d', make: () => globalMaxPooling1d(), inputShape: [2, 5, 2], trainable: false });
layerHarness({ title: 'upSampling1d', make: () => upSampling1d({ size: 3 }), inputShape: [2, 4, 2], trainable: false });
layerHarness({ title: 'repeatVector', make: () => repeatVector({ n: 3 }), inputShape: [2, 4], trainable: false });
layerHarness({ title: 'layerNormalization', make: () => layerNormalization(), inputShape: [2, 3, 4], trainable: true });
layerHarness({ title: 'layerNormalization axes [1,2] no center', make: () => layerNormalization({ axis: [1, 2], center: false }), inputShape: [2, 3, 4], trainable: true });
layerHarness({ title: 'multiHeadAttention self', make: () => multiHeadAttention({ numHeads: 2, keyDim: 3 }), inputShape: [[2, 4, 5], [2, 4, 5]], trainable: true });
layerHarness({ title: 'multiHeadAttention cross with key, causal', make: () => multiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: 3, outputShape: 4, useCausalMask: true }), inputShape: [[2, 3, 5], [2, 3, 2], [2, 3, 6]], trainable: true });

layerHarness({ title: 'transformerEncoderBlock post-LN', make: () => transformerEncoderBlock({ intermediateDim: 8, numHeads: 2 }), inputShape: [2, 3, 4], trainable: true });
layerHarness({ title: 'transformerEncoderBlock pre-LN dropout gelu', make: () => transformerEncoderBlock({ intermediateDim: 6, numHeads: 1, dropout: 0.1, normalizeFirst: true, activation: 'gelu' }), inputShape: [2, 3, 4], trainable: true, stochastic: true });
layerHarness({ title: 'positionalEmbedding', make: () => positionalEmbedding({ sequenceLength: 5 }), inputShape: [2, 3, 4], trainable: true });

describe('transformer encoder block', () => {
  it('post-LN output has zero mean and unit variance per position (gamma 1, beta 0) and ignores padded keys', () => {
    const block = transformerEncoderBlock({ intermediateDim: 8, numHeads: 2 });
    const x = tf.randomNormal([1, 4, 4], 0, 1, 'float32', 5);
    const mask = tf.tensor2d([[1, 1, 1, 0]], undefined, 'bool');
    const y = block.apply(x, { mask }) as tf.Tensor;
    const { mean, variance } = tf.moments(y, -1);
    mean.dataSync().forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-5));
    variance.dataSync().forEach((v) => expect(v).toBeGreaterThan(0.98));
    const x2 = tf.concat([tf.slice(x, [0, 0, 0], [1, 3, 4]), tf.fill([1, 1, 4], 7)], 1);
    const y2 = block.apply(x2, { mask }) as tf.Tensor;
    const a = tf.slice(y, [0, 0, 0], [1, 3, 4]).dataSync();
    tf.slice(y2, [0, 0, 0], [1, 3, 4]).dataSync().forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
    expect(block.weights.map((w) => w.name)).toContain('transformer_encoder/self_attention/query/kernel');
    tf.dispose([x, mask, y, mean, variance, x2, y2]);
  });
  it('rejects numHeads that do not divide the features and too-long inputs for positions', () => {
    expect(() => transformerEncoderBlock({ intermediateDim: 4, numHeads: 3 }).apply(tf.zeros([1, 2, 4]))).toThrow(/'numHeads' 3 must divide the feature size 4/);
    expect(() => positionalEmbedding({ sequenceLength: 2 }).apply(tf.zeros([1, 3, 4]))).toThrow(/more than 'sequenceLength' 2/);
  });
});

describe('masks in pooling and attention', () => {
  it('globalAveragePooling1d averages only real steps; globalMaxPooling1d, as Keras, takes every step', () => {
    const x = tf.tensor3d([[[1], [3], [100]], [[2], [4], [6]]]);
    const mask = tf.tensor2d([[1, 1, 0], [1, 1, 1]], undefined, 'bool');
    const avg = globalAveragePooling1d().apply(x, { mask }) as tf.Tensor;
    expect(Array.from(avg.dataSync())).toEqual([2, 4]);
    const mx = globalMaxPooling1d().apply(x, { mask }) as tf.Tensor;
    expect(Array.from(mx.dataSync())).toEqual([100, 6]);
    tf.dispose([x, mask, avg, mx]);
  });

  it('multiHeadAttention gives padded keys no weight: changing them changes nothing', () => {
    const mha = multiHeadAttention({ numHeads: 2, keyDim: 2, returnAttentionScores: true });
    const q = tf.randomNormal([1, 3, 4], 0, 1, 'float32', 1);
    const v1 = tf.randomNormal([1, 4, 4], 0, 1, 'float32', 2);
    const v2 = tf.concat([tf.slice(v1, [0, 0, 0], [1, 2, 4]), tf.randomNormal([1, 2, 4], 0, 1, 'float32', 3)], 1);
    const vm = tf.tensor2d([[1, 1, 0, 0]], undefined, 'bool');
    const [o1, s1] = mha.apply([q, v1], { mask: [null, vm] }) as tf.Tensor[];
    const [o2] = mha.apply([q, v2], { mask: [null, vm] }) as tf.Tensor[];
    const scores = s1!.arraySync() as number[][][][];
    for (const head of scores[0]!) for (const row of head) expect(row[2]! + row[3]!).toBe(0);
    const a = o1!.dataSync();
    o2!.dataSync().forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 6));
    const [o3] = mha.apply([q, v2]) as tf.Tensor[];
    expect(Math.max(...Array.from(tf.sub(o3!, o1!).abs().dataSync()))).toBeGreaterThan(1e-4);
    tf.dispose([q, v1, v2, vm, o1!, s1!, o2!, o3!]);
  });
});

describe('errors name the layer and the argument', () => {
  it('rejects bad options and shapes', () => {
    expect(() => conv1d({ filters: 2, kernelSize: 3, padding: 'full' as never })).toThrow(/'padding' must be 'valid', 'same' or 'causal'/);
    expect(() => conv1d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(ValueError);
    expect(() => conv1d({ filters: 2, kernelSize: 5 }).apply(tf.zeros([1, 3, 2]))).toThrow(ShapeError);
    expect(() => multiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow(/'numHeads' must be a positive integer/);
    expect(() => multiHeadAttention({ numHeads: 2, keyDim: 2 }).apply(tf.zeros([1, 3, 2]))).toThrow(/expected inputs \[query, value\]/);
    expect(() => layerNormalization({ axis: 0 }).apply(tf.zeros([2, 3]))).toThrow(/batch axis/);
    expect(() => repeatVector({ n: 0 })).toThrow(ValueError);
  });
});
