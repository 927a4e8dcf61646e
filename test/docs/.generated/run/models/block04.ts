// docs/models.md:117 (block 4)
import * as st from '../../../../../src/index.js';

const encoder = st.sequential([
  st.layers.input({ shape: [10] }),
  st.layers.dense({ units: 4, activation: 'tanh' }),
], { name: 'encoder' });

const left = st.layers.input({ shape: [10], name: 'left' });
const right = st.layers.input({ shape: [10], name: 'right' });
const distance = st.layers.subtract().apply([encoder.apply(left), encoder.apply(right)]) as st.SymbolicTensor;
const score = st.layers.dense({ units: 1, activation: 'sigmoid' }).apply(distance);
const siamese = st.model({ inputs: [left, right], outputs: score });

siamese.summary();
console.log(siamese.countParams());   // 44 in the encoder (counted once) + 5 in the head
siamese.dispose();
export {};
