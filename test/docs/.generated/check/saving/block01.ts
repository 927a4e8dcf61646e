// docs/saving.md:23 (block 1)
import * as st from 'strata';

const net = st.sequential([
  st.layers.input({ shape: [4] }),
  st.layers.dense({ units: 8, activation: 'relu' }),
  st.layers.dense({ units: 3, activation: 'softmax' }),
]);

await st.saveModel(net, 'file://./out/my-model');            // writes out/my-model/model.json and weights.bin
const again = await st.loadModel('file://./out/my-model/model.json');
again.summary();
export {};
