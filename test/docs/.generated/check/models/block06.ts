// docs/models.md:169 (block 6)
import * as st from 'strata';

const net = st.sequential([
  st.layers.input({ shape: [8] }),
  st.layers.dense({ units: 8, name: 'a' }),
  st.layers.dense({ units: 8, name: 'b' }),
  st.layers.dense({ units: 8, name: 'c' }),
  st.layers.dense({ units: 2, name: 'd' }),
]);
net.freeze();                              // every layer
net.unfreeze({ fraction: 0.5 });           // the top half: c and d
console.log(net.layers.filter((l) => l.trainable).map((l) => l.name));   // ['c', 'd']

net.unfreeze();
net.freeze({ from: 'a', to: 'b' });        // a range, by name or index
net.getLayer('d').trainable = false;       // one layer
console.log(net.trainableWeights.length);  // 2: c's kernel and bias
net.dispose();
export {};
