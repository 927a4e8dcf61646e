// docs/training.md:16 (block 1)
import * as st from '../../../../../src/index.js';

const net = st.sequential([
  st.layers.input({ shape: [20] }),
  st.layers.dense({ units: 16, activation: 'relu' }),
  st.layers.dense({ units: 1, activation: 'sigmoid' }),
]);

// By name, with Keras' defaults (camelCase or snake_case):
net.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'auc'] });

// Or as objects, to set their options:
net.compile({
  optimizer: st.optimizers.adam({ learningRate: 3e-4, clipNorm: 1 }),
  loss: st.losses.binaryCrossentropy({ labelSmoothing: 0.1 }),
  metrics: ['accuracy', st.metrics.precision(), st.metrics.recall({ threshold: 0.7 })],
});
net.dispose();
export {};
