// docs/models.md:138 (block 5)
import * as st from 'strata';

const net = st.sequential([
  st.layers.input({ shape: [4] }),
  st.layers.dense({ units: 8, activation: 'relu', name: 'hidden' }),
  st.layers.dense({ units: 2, name: 'out' }),
]);

net.getLayer('hidden');           // by name; getLayer(0) or getLayer(-1) by position
net.layers.map((l) => l.name);    // ['hidden', 'out']
net.weights.map((w) => w.name);   // ['hidden/kernel', 'hidden/bias', 'out/kernel', 'out/bias']

const saved = net.getWeights();   // copies; you own them
net.setWeights(saved);            // same order, same shapes
st.tf.dispose(saved);

const y = net.predict(st.tf.ones([100, 4]), { batchSize: 32 }) as st.tf.Tensor;  // batched, inference mode
y.dispose();

net.dispose();                    // frees every weight (and the optimizer state, once compiled)
export {};
