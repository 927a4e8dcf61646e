// docs/layers.md:99 (block 1)
import * as st from 'strata';

const he = (seed: number) => st.initializers.heNormal({ seed });
const net = st.sequential([
  st.layers.input({ shape: [16, 16, 3] }),
  st.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: he(1) }),
  st.layers.batchNormalization(),
  st.layers.reLU(),
  st.layers.residualBlock({ filters: 8 }),
  st.layers.residualBlock({ filters: 16, strides: 2 }),          // 8×8, projected shortcut
  st.layers.separableConv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
  st.layers.maxPooling2d({ poolSize: 2 }),                         // 4×4
  st.layers.inceptionBlock({
    filters1x1: 4, filters3x3Reduce: 4, filters3x3: 8, filters5x5Reduce: 2, filters5x5: 4, filtersPoolProj: 4,
  }),                                                              // 4 + 8 + 4 + 4 = 20 channels
  st.layers.globalAveragePooling2d(),
  st.layers.dropout({ rate: 0.2 }),
  st.layers.dense({ units: 10, activation: 'softmax', kernelRegularizer: st.regularizers.l2({ l2: 1e-4 }) }),
]);
net.summary();
console.log(net.outputShapes);   // [[null, 10]]
net.dispose();
export {};
