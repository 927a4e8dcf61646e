// docs/layers.md:157 (block 3)
import * as st from '../../../../../src/index.js';

const a = st.layers.dense({ units: 3, kernelInitializer: st.initializers.glorotUniform({ seed: 7 }) });
const b = st.layers.dense({ units: 3, kernelInitializer: st.initializers.glorotUniform({ seed: 7 }) });
const x = st.tf.ones([1, 4]);
const ya = a.apply(x) as st.tf.Tensor;
const yb = b.apply(x) as st.tf.Tensor;
console.log(ya.arraySync(), yb.arraySync());   // identical: same seed, same weights
st.tf.dispose([x, ya, yb]);
a.dispose();
b.dispose();
export {};
