/**
 * Models holding the preprocessing, augmentation and option-extended layers save and
 * load with their configs and weights (tfjs-layers format and Keras `.keras`), and predict
 * the same afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as st from '../../src/index.js';

const { tf } = st;

beforeAll(async () => {
  await st.setBackend('cpu');
});

function build(): st.Sequential {
  const norm = st.layers.normalization({ axis: -1 });
  norm.adapt(tf.randomUniform([20, 6, 6, 3], 0, 1, 'float32', 3));
  const net = st.sequential([
    st.layers.input({ shape: [6, 6, 3] }),
    st.layers.rescaling({ scale: [0.5, 1, 2], offset: 0.1 }),
    norm,
    st.layers.randomFlip({ mode: 'horizontal', seed: 1 }),
    st.layers.randomRotation({ factor: 0.1, fillMode: 'constant', seed: 2 }),
    st.layers.randomZoom({ heightFactor: 0.1, widthFactor: [-0.2, 0.1], seed: 3 }),
    st.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 4 }),
    st.layers.randomContrast({ factor: 0.2, valueRange: [-5, 5], seed: 5 }),
    st.layers.randomBrightness({ factor: 0.1, valueRange: [-5, 5], seed: 6 }),
    st.layers.resizing({ height: 8, width: 8, interpolation: 'nearest' }),
    st.layers.centerCrop({ height: 7, width: 7 }),
    st.layers.randomCrop({ height: 6, width: 6, seed: 7 }),
    st.layers.cropping2d({ cropping: [[1, 0], [0, 1]] }),
    st.layers.conv2d({ filters: 6, kernelSize: 3, groups: 3, activation: 'hardSwish', kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
    st.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, activation: 'mish', kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }),
    st.layers.reLU({ negativeSlope: 0.1, threshold: 0.05, maxValue: 4 }),
    st.layers.permute({ dims: [3, 1, 2] }),
    st.layers.identity(),
    st.layers.flatten(),
  ]);
  return net;
}

describe('saving models with preprocessing and augmentation layers', () => {
  it('tfjs-layers artifacts: same configs, weights and predictions', async () => {
    const net = build();
    const x = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 9);
    const before = net.predict(x) as st.tf.Tensor;
    const artifacts = await st.modelArtifacts(net);
    const again = (await st.modelFromArtifacts(artifacts)) as st.Sequential;
    // The loaded first layer also carries the model's input shape.
    const configs = (m: st.Sequential) => m.layers.map((l) => ({ ...l.getConfig(), batchInputShape: undefined }));
    expect(configs(again)).toEqual(configs(net));
    const after = again.predict(x) as st.tf.Tensor;
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    const norm = again.layers.find((l) => l.className === 'Normalization')!;
    expect(norm.weights.map((w) => w.shortName)).toEqual(['mean', 'variance', 'count']);
    tf.dispose([x, before, after]);
    net.dispose();
    again.dispose();
  });

  it('Keras .keras archive written by strata: Keras class names and keys, same predictions', async () => {
    const net = build();
    const x = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 9);
    const before = net.predict(x) as st.tf.Tensor;
    const bytes = await st.saveKerasModel(net);
    const again = (await st.loadKerasModel(bytes)) as st.Sequential;
    const after = again.predict(x) as st.tf.Tensor;
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    expect(again.layers.map((l) => l.className)).toEqual(net.layers.map((l) => l.className));
    tf.dispose([x, before, after]);
    net.dispose();
    again.dispose();
  });
});
