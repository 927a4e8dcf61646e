// The two-layer perceptron that solves XOR, which no single-layer perceptron can:
// 2 inputs → 4 tanh units → 1 sigmoid unit, trained with SGD with momentum.
import * as st from 'strata';

await st.ready();
const { tf } = st;

const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = tf.tensor2d([[0], [1], [1], [0]]);
const net = st.sequential([
  st.layers.dense({ units: 4, activation: 'tanh', inputShape: [2], kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) }),
  st.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) }),
]);
net.compile({ optimizer: st.optimizers.momentum({ learningRate: 0.1, momentum: 0.9 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const history = await net.fit(x, y, { epochs: 500, batchSize: 4, verbose: 0 });
const p = net.predict(x) as st.tf.Tensor;
const probs = Array.from(p.dataSync());
[[0, 0], [0, 1], [1, 0], [1, 1]].forEach(([a, b], i) => console.log(`${a} XOR ${b} → ${probs[i]!.toFixed(3)}`));
const acc = history.history.accuracy!.at(-1)!;
console.log(`final loss ${history.history.loss!.at(-1)!.toFixed(4)}, accuracy ${(acc * 100).toFixed(0)} %`);
tf.dispose([x, y, p]);
net.dispose();
