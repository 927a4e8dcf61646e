import { beforeAll } from 'vitest';
import * as st from '../../src/index.js';
import { layerHarness } from '../harness/layer_harness.js';

beforeAll(async () => {
  await st.setBackend('cpu');
});

layerHarness({ title: 'dense relu', make: () => st.layers.dense({ units: 3, activation: 'relu', kernelInitializer: st.initializers.glorotUniform({ seed: 9 }) }), inputShape: [4, 5], trainable: true });
layerHarness({ title: 'dense linear no bias, rank 3', make: () => st.layers.dense({ units: 2, useBias: false }), inputShape: [2, 3, 4], trainable: true });
layerHarness({ title: 'dense gelu + l2', make: () => st.layers.dense({ units: 3, activation: 'gelu', kernelRegularizer: st.regularizers.l2() }), inputShape: [2, 4] });
layerHarness({ title: 'activation tanh', make: () => st.layers.activation({ activation: 'tanh' }), inputShape: [2, 4], trainable: false });
layerHarness({ title: 'reLU6', make: () => st.layers.reLU({ maxValue: 6 }), inputShape: [2, 4], trainable: false });
layerHarness({ title: 'leakyReLU', make: () => st.layers.leakyReLU({ alpha: 0.2 }), inputShape: [2, 4], trainable: false });
layerHarness({ title: 'prelu shared axes', make: () => st.layers.prelu({ sharedAxes: [1], alphaInitializer: st.initializers.constant({ value: 0.25 }) }), inputShape: [2, 3, 4], trainable: true });
layerHarness({ title: 'elu', make: () => st.layers.elu({ alpha: 0.5 }), inputShape: [2, 4], trainable: false });
layerHarness({ title: 'softmax axis 1', make: () => st.layers.softmax({ axis: 1 }), inputShape: [2, 3, 4], trainable: false });
