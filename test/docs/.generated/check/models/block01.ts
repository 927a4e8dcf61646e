// docs/models.md:21 (block 1)
import * as st from 'strata';

const net = st.sequential([
  st.layers.input({ shape: [28, 28, 1] }),
  st.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
  st.layers.maxPooling2d({ poolSize: 2 }),
  st.layers.flatten(),
]);
net.add(st.layers.dense({ units: 10, activation: 'softmax' }));   // Keras' model.add
net.summary();

const same = st.sequential([st.layers.dense({ units: 4, inputShape: [3] })]);
console.log(same.outputShapes);   // [[null, 4]]

net.dispose();
same.dispose();
export {};
