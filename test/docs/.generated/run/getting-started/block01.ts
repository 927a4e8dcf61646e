// docs/getting-started.md:30 (block 1)
import * as st from '../../../../../src/index.js';

await st.ready();                 // waits for the default backend (wasm in Node)
const { tf } = st;

const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = tf.tensor2d([[0], [1], [1], [0]]);

const net = st.sequential([
  st.layers.input({ shape: [2] }),
  st.layers.dense({ units: 8, activation: 'tanh' }),
  st.layers.dense({ units: 1, activation: 'sigmoid' }),
]);
net.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const history = await net.fit(x, y, { epochs: 200, batchSize: 4, verbose: 0 });

console.log('final loss', history.history.loss!.at(-1));
const p = net.predict(x) as st.tf.Tensor;
p.print();                        // four probabilities, near 0 1 1 0

tf.dispose([x, y, p]);
net.dispose();
export {};
