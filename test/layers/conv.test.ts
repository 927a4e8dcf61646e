/**
 * Conv layers: the shared harness over many configurations, output shapes against the
 * Keras formulas, configs and weights, and one test per bad option.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backend/backends.js';
import { tf } from '../../src/backend/tf.js';
import { ShapeError, ValueError } from '../../src/engine/errors.js';
import { constant, glorotUniform } from '../../src/engine/initializers_api.js';
import { l2 } from '../../src/engine/regularizers.js';
import {
  Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D,
  conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d,
} from '../../src/layers/conv/index.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

layerHarness({ title: 'conv2d 3x3 valid relu', make: () => conv2d({ filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: glorotUniform({ seed: 21 }) }), inputShape: [2, 6, 6, 3], trainable: true });
layerHarness({ title: 'conv2d stride 2 same', make: () => conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), inputShape: [2, 7, 6, 2], trainable: true });
layerHarness({ title: 'conv2d dilation 2 same', make: () => conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' }), inputShape: [2, 7, 6, 2], trainable: true });
layerHarness({ title: 'conv2d dilation [2,3] valid tanh', make: () => conv2d({ filters: 2, kernelSize: 2, dilationRate: [2, 3], activation: 'tanh' }), inputShape: [1, 6, 7, 2], trainable: true });
layerHarness({ title: 'conv2d channelsFirst, [2,3] kernel, strides [1,2]', make: () => conv2d({ filters: 3, kernelSize: [2, 3], strides: [1, 2], dataFormat: 'channelsFirst' }), inputShape: [2, 2, 5, 6], trainable: true });
layerHarness({ title: 'conv2d no bias, gelu, l2', make: () => conv2d({ filters: 2, kernelSize: 1, useBias: false, activation: 'gelu', kernelRegularizer: l2() }), inputShape: [2, 3, 3, 2], trainable: true });
layerHarness({ title: 'conv2dTranspose stride 2 same', make: () => conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), inputShape: [2, 3, 4, 2], trainable: true });
layerHarness({ title: 'conv2dTranspose stride 2 valid relu', make: () => conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: glorotUniform({ seed: 28 }) }), inputShape: [2, 3, 3, 2], trainable: true });
layerHarness({ title: 'conv2dTranspose dilation 2 same', make: () => conv2dTranspose({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' }), inputShape: [1, 5, 4, 2], trainable: true });
layerHarness({ title: 'conv2dTranspose channelsFirst', make: () => conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst' }), inputShape: [2, 3, 2, 3], trainable: true });
layerHarness({ title: 'depthwiseConv2d depthMultiplier 2', make: () => depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }), inputShape: [2, 5, 5, 3], trainable: true });
layerHarness({ title: 'depthwiseConv2d stride 2 same relu6', make: () => depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', activation: 'relu6' }), inputShape: [2, 6, 5, 2], trainable: true });
layerHarness({ title: 'depthwiseConv2d dilation 2, channelsFirst', make: () => depthwiseConv2d({ kernelSize: 2, dilationRate: 2, dataFormat: 'channelsFirst', depthwiseRegularizer: l2() }), inputShape: [2, 2, 5, 5], trainable: true });
layerHarness({ title: 'separableConv2d depthMultiplier 2 same relu', make: () => separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu', depthwiseInitializer: glorotUniform({ seed: 34 }), pointwiseInitializer: glorotUniform({ seed: 35 }) }), inputShape: [2, 5, 5, 3], trainable: true });
layerHarness({ title: 'separableConv2d dilation 2', make: () => separableConv2d({ filters: 2, kernelSize: 2, dilationRate: 2, pointwiseRegularizer: l2() }), inputShape: [2, 6, 5, 2], trainable: true });
layerHarness({ title: 'separableConv2d stride 2 channelsFirst no bias', make: () => separableConv2d({ filters: 3, kernelSize: 3, strides: 2, useBias: false, dataFormat: 'channelsFirst' }), inputShape: [2, 2, 6, 6], trainable: true });

describe('output shapes follow the Keras formulas', () => {
  // [input size, kernel, stride, dilation, padding, expected output size], written out by hand.
  const conv: [number, number, number, number, 'valid' | 'same', number][] = [
    [7, 3, 1, 1, 'valid', 5], [7, 3, 1, 1, 'same', 7], [7, 3, 2, 1, 'valid', 3], [7, 3, 2, 1, 'same', 4],
    [8, 3, 2, 1, 'valid', 3], [8, 3, 2, 1, 'same', 4], [8, 2, 3, 1, 'valid', 3], [8, 2, 3, 1, 'same', 3],
    [9, 3, 1, 2, 'valid', 5], [9, 3, 1, 2, 'same', 9], [5, 5, 1, 1, 'valid', 1], [6, 1, 4, 1, 'valid', 2],
  ];
  for (const [len, k, s, d, padding, out] of conv) {
    it(`conv2d, depthwiseConv2d, separableConv2d: in ${len}, kernel ${k}, stride ${s}, dilation ${d}, ${padding} -> ${out}`, () => {
      for (const layer of [
        conv2d({ filters: 2, kernelSize: [k, 1], strides: [s, 1], dilationRate: [d, 1], padding }),
        depthwiseConv2d({ kernelSize: [k, 1], strides: [s, 1], dilationRate: [d, 1], padding, depthMultiplier: 2 }),
        separableConv2d({ filters: 2, kernelSize: [k, 1], strides: [s, 1], dilationRate: [d, 1], padding }),
      ]) {
        expect(layer.computeOutputShape([null, len, 4, 3])[1]).toBe(out);
        const x = tf.zeros([1, len, 4, 3]);
        const y = layer.apply(x) as tf.Tensor;
        expect(y.shape[1]).toBe(out);
        expect(y.shape[3]).toBe(layer instanceof DepthwiseConv2D ? 6 : 2);
        tf.dispose([x, y]);
        layer.dispose();
      }
    });
  }
  const deconv: [number, number, number, number, 'valid' | 'same', number][] = [
    [4, 3, 2, 1, 'same', 8], [4, 3, 2, 1, 'valid', 9], [4, 1, 2, 1, 'valid', 8], [4, 4, 2, 1, 'valid', 10],
    [3, 3, 1, 1, 'valid', 5], [3, 3, 1, 2, 'valid', 7], [3, 3, 1, 2, 'same', 3], [5, 2, 3, 1, 'same', 15],
  ];
  for (const [len, k, s, d, padding, out] of deconv) {
    it(`conv2dTranspose: in ${len}, kernel ${k}, stride ${s}, dilation ${d}, ${padding} -> ${out}`, () => {
      const layer = conv2dTranspose({ filters: 2, kernelSize: k, strides: s, dilationRate: d, padding });
      expect(layer.computeOutputShape([null, len, len, 3])).toEqual([null, out, out, 2]);
      const x = tf.ones([1, len, len, 3]);
      const y = layer.apply(x) as tf.Tensor;
      expect(y.shape).toEqual([1, out, out, 2]);
      tf.dispose([x, y]);
      layer.dispose();
    });
  }
  it('unknown spatial sizes stay null; channelsFirst puts channels at axis 1', () => {
    expect(conv2d({ filters: 5, kernelSize: 3 }).computeOutputShape([null, null, null, 2])).toEqual([null, null, null, 5]);
    expect(conv2d({ filters: 5, kernelSize: 3, dataFormat: 'channelsFirst' }).computeOutputShape([null, 2, 8, 9])).toEqual([null, 5, 6, 7]);
    expect(depthwiseConv2d({ kernelSize: 3, depthMultiplier: 3 }).computeOutputShape([4, 8, 8, 2])).toEqual([4, 6, 6, 6]);
  });
});

describe('config and weights', () => {
  it('Conv2D config uses camelCase Keras keys and canonical tuples', () => {
    const layer = conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'c1' });
    const cfg = layer.getConfig();
    expect(cfg).toMatchObject({
      name: 'c1', filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: 'same', dataFormat: 'channelsLast',
      dilationRate: [1, 1], activation: 'relu', useBias: true,
      kernelInitializer: { class_name: 'GlorotUniform' }, biasInitializer: { class_name: 'Zeros' },
    });
    expect(new Conv2D(JSON.parse(JSON.stringify(cfg)) as typeof cfg).getConfig()).toEqual(cfg);
  });

  it('weight names, shapes and order follow Keras', () => {
    const x = tf.zeros([1, 5, 5, 3]);
    const cases: [() => { apply: (t: tf.Tensor) => unknown; weights: { name: string; shape: number[] }[]; dispose: () => void }, [string, number[]][]][] = [
      [() => conv2d({ filters: 4, kernelSize: [2, 3], name: 'a' }), [['a/kernel', [2, 3, 3, 4]], ['a/bias', [4]]]],
      [() => conv2dTranspose({ filters: 4, kernelSize: 2, name: 'b' }), [['b/kernel', [2, 2, 4, 3]], ['b/bias', [4]]]],
      [() => depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'c' }), [['c/depthwise_kernel', [3, 3, 3, 2]], ['c/bias', [6]]]],
      [() => separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2, name: 'd' }),
        [['d/depthwise_kernel', [3, 3, 3, 2]], ['d/pointwise_kernel', [1, 1, 6, 5]], ['d/bias', [5]]]],
      [() => separableConv2d({ filters: 5, kernelSize: 3, useBias: false, name: 'e' }),
        [['e/depthwise_kernel', [3, 3, 3, 1]], ['e/pointwise_kernel', [1, 1, 3, 5]]]],
    ];
    for (const [make, expected] of cases) {
      const layer = make();
      tf.dispose(layer.apply(x) as tf.Tensor);
      expect(layer.weights.map((w) => [w.name, w.shape])).toEqual(expected);
      layer.dispose();
    }
    x.dispose();
  });

  it('regularizers add one penalty per regularized weight', () => {
    const layer = separableConv2d({ filters: 2, kernelSize: 2, depthwiseRegularizer: l2({ l2: 0.5 }), biasRegularizer: 'l1', biasInitializer: constant({ value: 1 }) });
    const x = tf.zeros([1, 3, 3, 2]);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const losses = layer.regularizationLosses();
    expect(losses).toHaveLength(2);
    const dk = layer.weights[0]!.read();
    expect(losses[0]!.dataSync()[0]).toBeCloseTo(0.5 * tf.sum(tf.square(dk)).dataSync()[0]!, 5);
    expect(losses[1]!.dataSync()[0]).toBeCloseTo(0.01 * 2, 6);
    expect(layer.getConfig().depthwiseRegularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.5 } });
    tf.dispose([x, ...losses]);
    layer.dispose();
  });
});

describe('bad options and inputs', () => {
  const base = { filters: 2, kernelSize: 3 };
  const bad: [string, () => unknown, RegExp][] = [
    ['kernelSize 0', () => conv2d({ ...base, kernelSize: 0 }), /Conv2D 'conv2d'.*'kernelSize'.*positive.*0/],
    ['kernelSize -2', () => depthwiseConv2d({ kernelSize: -2 }), /DepthwiseConv2D.*'kernelSize'.*-2/],
    ['kernelSize fractional', () => separableConv2d({ ...base, kernelSize: 1.5 }), /SeparableConv2D.*'kernelSize'.*1\.5/],
    ['kernelSize of three entries', () => conv2d({ ...base, kernelSize: [3, 3, 3] as unknown as [number, number] }), /'kernelSize'.*\[3,3,3\]/],
    ['kernelSize missing', () => conv2d({ filters: 2 } as unknown as { filters: number; kernelSize: number }), /'kernelSize' is required/],
    ['padding full', () => conv2d({ ...base, padding: 'full' as 'same' }), /Conv2D 'conv2d'.*'padding'.*'valid' or 'same'.*'full'/],
    ['padding causal', () => conv2dTranspose({ ...base, padding: 'causal' as 'same' }), /Conv2DTranspose.*'padding'.*'causal'/],
    ['filters 0', () => conv2d({ ...base, filters: 0 }), /Conv2D 'conv2d'.*'filters'.*positive integer.*0/],
    ['filters 2.5', () => conv2dTranspose({ ...base, filters: 2.5 }), /'filters'.*2\.5/],
    ['filters missing', () => separableConv2d({ kernelSize: 3 } as unknown as { filters: number; kernelSize: number }), /SeparableConv2D.*'filters'/],
    ['strides 0', () => conv2d({ ...base, strides: 0 }), /'strides'.*0/],
    ['dilationRate 0', () => conv2d({ ...base, dilationRate: [1, 0] }), /'dilationRate'.*\[1,0\]/],
    ['strides 2 with dilation 2', () => conv2d({ ...base, strides: 2, dilationRate: 2 }), /Conv2D 'conv2d'.*'strides' > 1.*'dilationRate' > 1.*\[2,2\].*\[2,2\]/],
    ['strides [1,2] with dilation [2,1] (depthwise)', () => depthwiseConv2d({ kernelSize: 3, strides: [1, 2], dilationRate: [2, 1] }), /DepthwiseConv2D.*'strides' > 1/],
    ['strides 2 with dilation 2 (separable)', () => separableConv2d({ ...base, strides: 2, dilationRate: 2 }), /SeparableConv2D.*'dilationRate' > 1/],
    ['strides 2 with dilation 2 (transpose)', () => conv2dTranspose({ ...base, strides: 2, dilationRate: 2 }), /Conv2DTranspose.*'dilationRate' > 1/],
    ['dataFormat NHWC', () => conv2d({ ...base, dataFormat: 'NHWC' as 'channelsLast' }), /'dataFormat'.*'channelsLast' or 'channelsFirst'.*'NHWC'/],
    ['depthMultiplier 0', () => depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 }), /DepthwiseConv2D.*'depthMultiplier'.*0/],
    ['depthMultiplier 1.5 (separable)', () => separableConv2d({ ...base, depthMultiplier: 1.5 }), /SeparableConv2D.*'depthMultiplier'.*1\.5/],
    ['unknown activation', () => conv2d({ ...base, activation: 'swoosh' as 'relu' }), /Conv2D 'conv2d'.*activation 'swoosh'/],
    ['unknown initializer', () => depthwiseConv2d({ kernelSize: 3, depthwiseInitializer: 'magic' }), /DepthwiseConv2D.*depthwiseInitializer 'magic'/],
  ];
  for (const [title, make, message] of bad) {
    it(`${title} -> ValueError`, () => {
      expect(make).toThrow(ValueError);
      expect(make).toThrow(message);
    });
  }

  it('input of rank 3 -> ShapeError naming the layer and the shape', () => {
    for (const layer of [conv2d({ ...base, name: 'c' }), conv2dTranspose({ ...base, name: 'c' }), depthwiseConv2d({ kernelSize: 3, name: 'c' }), separableConv2d({ ...base, name: 'c' })]) {
      const x = tf.zeros([2, 5, 5]);
      expect(() => layer.apply(x)).toThrow(ShapeError);
      expect(() => layer.apply(x)).toThrow(new RegExp(`${layer.className} 'c'.*rank 4.*\\[null,5,5\\]`));
      x.dispose();
    }
  });

  it('a kernel larger than the input (valid) -> ShapeError', () => {
    const layer = conv2d({ ...base, kernelSize: 3, dilationRate: 2 });
    const x = tf.zeros([1, 4, 8, 1]);
    expect(() => layer.apply(x)).toThrow(ShapeError);
    expect(() => layer.apply(x)).toThrow(/Conv2D 'conv2d'.*larger than the input.*\[null,4,8,1\].*\[0,4\]/);
    x.dispose();
  });

  it('channels that differ from the built ones -> ShapeError', () => {
    const layer = conv2d({ ...base, dataFormat: 'channelsFirst' });
    const a = tf.zeros([1, 2, 5, 5]);
    const b = tf.zeros([1, 3, 5, 5]);
    tf.dispose(layer.apply(a) as tf.Tensor);
    expect(() => layer.apply(b)).toThrow(ShapeError);
    expect(() => layer.apply(b)).toThrow(/Conv2D 'conv2d'.*dim 1 2, got 3/);
    tf.dispose([a, b]);
    layer.dispose();
  });

  it('an unknown channel dimension -> ShapeError at build', () => {
    const layer = depthwiseConv2d({ kernelSize: 1 });
    expect(() => layer.ensureBuilt([null, 4, 4, null])).toThrow(ShapeError);
    expect(() => layer.ensureBuilt([null, 4, 4, null])).toThrow(/DepthwiseConv2D.*channel dimension.*\[null,4,4,null\]/);
  });
});

describe('classes', () => {
  it('factories return the exported classes with Keras class names', () => {
    expect(conv2d({ filters: 1, kernelSize: 1 })).toBeInstanceOf(Conv2D);
    expect(conv2dTranspose({ filters: 1, kernelSize: 1 }).className).toBe('Conv2DTranspose');
    expect(depthwiseConv2d({ kernelSize: 1 }).className).toBe('DepthwiseConv2D');
    expect(separableConv2d({ filters: 1, kernelSize: 1 })).toBeInstanceOf(SeparableConv2D);
    expect(new Conv2DTranspose({ filters: 1, kernelSize: 1 }).className).toBe('Conv2DTranspose');
  });
});
