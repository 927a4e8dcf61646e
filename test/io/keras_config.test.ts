/** The camelCase ↔ snake_case config translator and its Keras exceptions. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from './st.js';

const { configFromKeras, configToKeras, toCamelCase, toSnakeCase } = st.io;
const L = st.layers;

beforeAll(async () => {
  await st.setBackend('cpu');
});

describe('key case', () => {
  it('converts the keys layers use, both ways', () => {
    const pairs: [string, string][] = [
      ['kernelSize', 'kernel_size'], ['batchInputShape', 'batch_input_shape'], ['movingMeanInitializer', 'moving_mean_initializer'],
      ['useBias', 'use_bias'], ['keepdims', 'keepdims'], ['filters3x3Reduce', 'filters3x3_reduce'], ['maxValue', 'max_value'],
    ];
    for (const [camel, snake] of pairs) {
      expect(toSnakeCase(camel)).toBe(snake);
      expect(toCamelCase(snake)).toBe(camel);
    }
    expect(toCamelCase('beta_1')).toBe('beta1');
  });

  it('round-trips any camelCase identifier made of lowercase words', () => {
    // Each word has two lowercase letters first: a one-letter word makes an acronym, which is ambiguous.
    const word = fc.stringMatching(/^[a-z]{2}[a-z0-9]{0,5}$/);
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (words) => {
      const camel = words[0] + words.slice(1).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
      expect(toCamelCase(toSnakeCase(camel))).toBe(camel);
    }));
  });
});

describe('layer configs', () => {
  const layers: st.Layer[] = [
    L.dense({ units: 3, kernelRegularizer: st.regularizers.l1l2({ l1: 0.1, l2: 0.2 }) }),
    L.conv2d({ filters: 2, kernelSize: [3, 1], dataFormat: 'channelsFirst', dilationRate: 2 }),
    L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }),
    L.separableConv2d({ filters: 4, kernelSize: 1 }),
    L.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2 }),
    L.batchNormalization({ axis: 1, momentum: 0.5, center: false }),
    L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }),
    L.globalAveragePooling2d({ keepdims: true }),
    L.zeroPadding2d({ padding: [[1, 2], [3, 4]] }),
    L.upSampling2d({ size: [2, 3], interpolation: 'bilinear' }),
    L.reshape({ targetShape: [-1, 2] }),
    L.flatten({ dataFormat: 'channelsFirst' }),
    L.dropout({ rate: 0.4, noiseShape: [null, 1], seed: 3 }),
    L.reLU({ maxValue: 6 }), L.leakyReLU({ alpha: 0.1 }), L.elu(), L.softmax({ axis: 1 }), L.prelu({ sharedAxes: [1] }),
    L.activation({ activation: 'hardSigmoid' }), L.concatenate({ axis: 1 }), L.add(),
    L.residualBlock({ filters: 2, bottleneck: true }),
    L.inceptionBlock({ filters1x1: 1, filters3x3Reduce: 1, filters3x3: 1, filters5x5Reduce: 1, filters5x5: 1, filtersPoolProj: 1 }),
  ];
  for (const layer of layers) {
    it(`${layer.className}: snake_case keys out, the same options back`, () => {
      const cfg = layer.getConfig();
      const keras = configToKeras(layer.className, cfg);
      for (const k of Object.keys(keras)) expect(k).toMatch(/^[a-z0-9_]+$/);
      expect(configFromKeras(layer.className, keras)).toEqual(JSON.parse(JSON.stringify(cfg)));
    });
  }

  it('spells data formats the Keras way', () => {
    const keras = configToKeras('Conv2D', L.conv2d({ filters: 1, kernelSize: 1 }).getConfig());
    expect(keras.data_format).toBe('channels_last');
    expect(configFromKeras('Conv2D', { data_format: 'channels_first' })).toEqual({ dataFormat: 'channelsFirst' });
  });

  it('drops nulls, keeps Keras objects as they are', () => {
    const init = { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: null } };
    expect(configFromKeras('Dense', { units: 3, kernel_constraint: null, kernel_initializer: init, noise_shape: [null, 1] }))
      .toEqual({ units: 3, kernelInitializer: init, noiseShape: [null, 1] });
  });

  it("LeakyReLU: Keras 3's negative_slope reads as alpha and is written for Keras 3", () => {
    expect(configFromKeras('LeakyReLU', { negative_slope: 0.2 })).toEqual({ alpha: 0.2 });
    expect(configToKeras('LeakyReLU', { alpha: 0.2 }, 'keras3')).toEqual({ negative_slope: 0.2 });
    expect(configToKeras('LeakyReLU', { alpha: 0.2 }, 'tfjs')).toEqual({ alpha: 0.2 });
  });

  it('learning-rate schedules nested in optimizer configs become { class_name, config }', () => {
    const opt = st.optimizers.adam({ learningRate: st.optimizers.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }) });
    const keras = configToKeras('Adam', opt.getConfig());
    expect(keras.learning_rate).toMatchObject({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10 } });
  });
});
