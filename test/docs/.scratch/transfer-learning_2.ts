import * as st from './shim.js';

const { tf } = st;
const inp = st.layers.input({ shape: [16] });
const h1 = st.layers.dense({ units: 8, activation: 'relu', name: 'feat1' }).apply(inp);
const h2 = st.layers.dense({ units: 8, activation: 'relu', name: 'feat2' }).apply(h1);
const old = st.layers.dense({ units: 10, activation: 'softmax', name: 'old' }).apply(h2);
const pretrained = st.model({ inputs: inp, outputs: old });

pretrained.freeze();                                  // base.trainable = False
const features = pretrained.getLayer('feat2').output as st.SymbolicTensor;
const out = st.layers.dense({ units: 2, activation: 'softmax', name: 'new_head' }).apply(features);
const net = st.model({ inputs: pretrained.inputs, outputs: out });
net.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
console.log(net.trainableWeights.map((w) => w.name));   // only new_head's kernel and bias

const x = tf.randomNormal([32, 16]);
const y = tf.randomUniform([32], 0, 2, 'int32');
await net.fit(x, y, { epochs: 2, verbose: 0 });

// Fine-tune: unfreeze the top layer of the base, lower the learning rate.
pretrained.unfreeze('feat2');
net.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-4 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await net.fit(x, y, { epochs: 1, verbose: 0 });
tf.dispose([x, y]);
net.dispose();
pretrained.dispose();
export {};
