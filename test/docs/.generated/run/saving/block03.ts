// docs/saving.md:108 (block 3)
import * as st from '../../../../../src/index.js';

const { tf } = st;
const x = tf.randomNormal([32, 4]);
const y = tf.randomNormal([32, 1]);
const net = st.sequential([st.layers.input({ shape: [4] }), st.layers.dense({ units: 1 })]);
net.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
await net.fit(x, y, { epochs: 2, verbose: 0 });

let saved: st.tf.io.ModelArtifacts | undefined;
await net.save(tf.io.withSaveHandler(async (a) => {
  saved = a;
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
}), { includeOptimizer: true });

const resumed = await st.loadModel(tf.io.fromMemory(saved!));
console.log(resumed.optimizer?.className, resumed.optimizer?.iterations);   // Adam 2
await resumed.fit(x, y, { epochs: 1, verbose: 0 });
tf.dispose([x, y]);
net.dispose();
resumed.dispose();
export {};
