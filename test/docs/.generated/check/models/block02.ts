// docs/models.md:55 (block 2)
import * as st from 'strata';

const inp = st.layers.input({ shape: [16], name: 'features' });
const wide = st.layers.dense({ units: 8, activation: 'relu' }).apply(inp);
const deep1 = st.layers.dense({ units: 8, activation: 'relu' }).apply(inp);
const deep2 = st.layers.dense({ units: 8, activation: 'relu' }).apply(deep1);
const joined = st.layers.concatenate().apply([wide, deep2]) as st.SymbolicTensor;
const out = st.layers.dense({ units: 1, activation: 'sigmoid' }).apply(joined);

const m = st.model({ inputs: inp, outputs: out, name: 'wide_and_deep' });
m.summary();                      // with Keras' "Connected to" column
console.log(out.shape);           // [null, 1]
m.dispose();
export {};
