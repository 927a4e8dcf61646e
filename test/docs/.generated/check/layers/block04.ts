// docs/layers.md:176 (block 4)
import * as st from 'strata';

const drop = st.layers.dropout({ rate: 0.5, seed: 1 });
const x = st.tf.ones([2, 4]);
const inference = drop.apply(x) as st.tf.Tensor;                     // unchanged
const training = drop.apply(x, { training: true }) as st.tf.Tensor;  // zeros and 2s
inference.print();
training.print();
st.tf.dispose([x, inference, training]);
export {};
