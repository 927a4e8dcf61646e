// docs/training.md:88 (block 3)
import * as st from '../../../../../src/index.js';

const { tf } = st;
function* batches(): Generator<st.DatasetBatch> {
  for (let i = 0; i < 8; i++) {
    const xs = tf.randomNormal([16, 3]);
    const ys = tf.tidy(() => tf.sum(xs, 1, true));   // learn the sum
    yield { xs, ys };
  }
}
const net = st.sequential([st.layers.dense({ units: 1, inputShape: [3] })]);
net.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
const history = await net.fitDataset({ [Symbol.iterator]: batches }, { epochs: 3, verbose: 0 });
console.log(history.history.loss);   // falling
net.dispose();
export {};
