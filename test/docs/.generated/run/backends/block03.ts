// docs/backends.md:105 (block 3)
import * as st from '../../../../../src/index.js';

const { tf } = st;
const net = st.sequential([st.layers.input({ shape: [32] }), st.layers.dense({ units: 8 })]);
net.compile({ optimizer: 'adam', loss: 'mse' });
const x = tf.randomNormal([256, 32]);
const y = tf.randomNormal([256, 8]);

const before = tf.memory().numTensors;
await net.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0 });
const p = tf.tidy(() => tf.argMax(net.predict(x, { batchSize: 128 }) as st.tf.Tensor, 1));
console.log(tf.memory().numTensors - before);   // 5: p, and Adam's two slots for each of the 2 weights
p.dispose();
tf.dispose([x, y]);
net.dispose();                                  // frees weights and optimizer state
export {};
