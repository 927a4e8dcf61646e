// docs/layers.md:126 (block 2)
import * as st from 'strata';

const z = st.layers.input({ shape: [8] });
let h = st.layers.dense({ units: 7 * 7 * 4, activation: 'relu' }).apply(z);
h = st.layers.reshape({ targetShape: [7, 7, 4] }).apply(h);
h = st.layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(h);
h = st.layers.upSampling2d({ size: 2, interpolation: 'bilinear' }).apply(h);
const img = st.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }).apply(h);
const decoder = st.model({ inputs: z, outputs: img });
console.log(img.shape);          // [null, 28, 28, 1]

const out = decoder.predict(st.tf.randomNormal([2, 8])) as st.tf.Tensor;
console.log(out.shape);          // [2, 28, 28, 1]
out.dispose();
decoder.dispose();
export {};
