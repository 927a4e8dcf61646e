// docs/training.md:153 (block 5)
import * as st from 'strata';

const { tf } = st;
// Log-cosh, which Keras has and strata does not (yet).
const logCosh: st.losses.Loss = {
  name: 'logCosh',
  className: 'LogCosh',
  kind: 'regression',
  call: (yTrue, yPred) => tf.tidy(() => tf.mean(tf.log(tf.cosh(tf.sub(yPred, yTrue))), -1)),
  checkShapes: () => {},
  getConfig: () => ({}),
};
const net = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
net.compile({ optimizer: 'sgd', loss: logCosh });
const x = tf.randomNormal([32, 2]);
const y = tf.randomNormal([32, 1]);
const { loss } = await net.evaluate(x, y);
console.log(loss);
tf.dispose([x, y]);
net.dispose();
export {};
