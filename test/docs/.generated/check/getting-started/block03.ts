// docs/getting-started.md:146 (block 3)
import * as st from 'strata';

const net = st.sequential([st.layers.input({ shape: [784] }), st.layers.dense({ units: 10 })]);
const wrong = st.tf.zeros([2, 28]);
try {
  net.predict(wrong);
} catch (e) {
  console.log(e instanceof st.ShapeError, (e as Error).message);
  // true "Sequential 'sequential': input 0 expected shape [null,784], got [2,28]"
}
wrong.dispose();
net.dispose();
export {};
