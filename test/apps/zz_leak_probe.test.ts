import { it } from 'vitest';
import * as st from '../../src/index.js';
it('recompile leak', async () => {
  await st.setBackend('cpu');
  const tf = st.tf;
  const net = st.sequential([st.layers.input({ shape: [3] }), st.layers.dense({ units: 2, activation: 'softmax' })]);
  const x = tf.randomNormal([8, 3]); const y = tf.tensor1d([0,1,0,1,0,1,0,1], 'int32');
  for (const metrics of [[], ['accuracy']]) {
  net.compile({ optimizer: st.optimizers.adam(), loss: 'sparseCategoricalCrossentropy', metrics });
  await net.fit(x, y, { epochs: 1, verbose: 0 });
  let before = tf.memory().numTensors;
  net.compile({ optimizer: st.optimizers.adam(), loss: 'sparseCategoricalCrossentropy', metrics });
  console.log(metrics, 'compile only', tf.memory().numTensors - before);
  before = tf.memory().numTensors;
  await net.fit(x, y, { epochs: 1, verbose: 0 });
  console.log(metrics, 'fit', tf.memory().numTensors - before);
  before = tf.memory().numTensors;
  await net.fit(x, y, { epochs: 1, verbose: 0 });
  console.log(metrics, 'fit again', tf.memory().numTensors - before);
  }
});
