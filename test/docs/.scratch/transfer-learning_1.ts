import * as st from './shim.js';

const { tf } = st;
const seeded = (seed: number) => st.initializers.heNormal({ seed });

// A small CNN standing in for a pretrained network.
const inp = st.layers.input({ shape: [12, 12, 1] });
let h = st.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv1', kernelInitializer: seeded(1) }).apply(inp);
h = st.layers.batchNormalization({ name: 'bn1' }).apply(h);
h = st.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', name: 'conv2', kernelInitializer: seeded(2) }).apply(h);
h = st.layers.globalAveragePooling2d({ name: 'pool' }).apply(h);
const oldOut = st.layers.dense({ units: 5, activation: 'softmax', name: 'old_classifier' }).apply(h);
const pretrained = st.model({ inputs: inp, outputs: oldOut, name: 'pretrained' });

// 1. Cut it below its classifier: the last feature map.
const base = st.transfer.featureExtractor(pretrained, 'conv2', { name: 'base' });
console.log(base.outputShapes);                       // [[null, 8, 8, 8]]

// 2. A new head for a 3-class task; the base is frozen by default.
const net = st.transfer.addHead(base, { units: 3, dropout: 0.2 });
net.summary();                                        // head_pool, head_dropout, head_output on top

// 3. Train in two phases.
const x = tf.randomUniform([48, 12, 12, 1], 0, 1, 'float32', 1);
const y = tf.randomUniform([48], 0, 3, 'int32', 2);
const { head, fineTune } = await st.transfer.fineTune(net, x, y, {
  base,
  loss: 'sparseCategoricalCrossentropy',
  headEpochs: 2,
  fineTuneEpochs: 1,
  unfreeze: { fraction: 0.5 },                        // the top half of the base's layers
  batchSize: 16,
  verbose: 0,
});
console.log(head.epoch, fineTune?.epoch);             // [0, 1] [2]: the second phase continues the count
console.log(net.layers.filter((l) => l.trainable).map((l) => l.name));

tf.dispose([x, y]);
net.dispose();                                        // frees the head and the shared base layers
pretrained.dispose();                                 // and the old classifier
export {};
