import * as st from './shim.js';

const mobilenet = await st.loadModel('file://./models/mobilenet_v2/model.json', { compile: false });
const features = st.transfer.featureExtractor(mobilenet, 'out_relu');
const net = st.transfer.addHead(features, { units: 10, dropout: 0.2 });
declare const xTrain: st.tf.Tensor, yTrain: st.tf.Tensor;   // images resized to the network's input
await st.transfer.fineTune(net, xTrain, yTrain, {
  base: features,
  loss: 'sparseCategoricalCrossentropy',
  unfreeze: { from: 'block_16_expand' },                     // the top block
  headEpochs: 5,
  fineTuneEpochs: 3,
});
export {};
