// docs/saving.md:140 (block 4)
import * as st from '../../../../../src/index.js';

const { tf } = st;
const inp = st.layers.input({ shape: [6, 6, 1], name: 'image' });
let h = st.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(inp);
h = st.layers.batchNormalization().apply(h);
h = st.layers.globalAveragePooling2d().apply(h);
const out = st.layers.dense({ units: 2, activation: 'softmax' }).apply(h);
const net = st.model({ inputs: inp, outputs: out });

const bytes = await st.saveKerasModel(net);        // config.json + metadata.json + model.weights.h5, zipped
const again = await st.loadKerasModel(bytes);

const x = tf.randomUniform([3, 6, 6, 1]);
const a = net.predict(x) as st.tf.Tensor;
const b = again.predict(x) as st.tf.Tensor;
console.log(bytes.byteLength, tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);   // a few KB, 0
tf.dispose([x, a, b]);
net.dispose();
again.dispose();
export {};
