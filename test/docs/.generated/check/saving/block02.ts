// docs/saving.md:73 (block 2)
import * as st from 'strata';

const { tf } = st;
const net = st.sequential([
  st.layers.input({ shape: [4] }),
  st.layers.dense({ units: 8, activation: 'relu', name: 'hidden' }),
  st.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }),
]);

let artifacts: st.tf.io.ModelArtifacts | undefined;
await net.save(tf.io.withSaveHandler(async (a) => {
  artifacts = a;
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
}));
const again = await st.loadModel(tf.io.fromMemory(artifacts!));

const x = tf.randomNormal([2, 4]);
const a = net.predict(x) as st.tf.Tensor;
const b = again.predict(x) as st.tf.Tensor;
console.log(again.layers.map((l) => l.name));              // ['hidden', 'probs']
console.log(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);  // 0: the same weights
tf.dispose([x, a, b]);
net.dispose();
again.dispose();
export {};
