// "Linear regression with Keras", from the course notebook: learn y = 3x + 2 from noisy
// samples with one Dense unit, then print the learned weight and bias, MSE and RMSE.
import * as st from 'strata';

const quick = process.argv.includes('--quick');
await st.ready();
const { tf } = st;

const n = 1000;
const x = tf.randomUniform([n, 1], -1, 1, 'float32', 42);
const noise = tf.randomNormal([n, 1], 0, 0.1, 'float32', 7);
const y = tf.tidy(() => tf.add(tf.add(tf.mul(x, 3), 2), noise));

const net = st.sequential([st.layers.dense({ units: 1, inputShape: [1] })]);
net.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse', metrics: ['mse', 'rmse'] });
await net.fit(x, y, { epochs: quick ? 20 : 50, batchSize: 32, verbose: 0 });

const [w, b] = net.getWeights();
const scores = await net.evaluate(x, y);
console.log(`learned weight ${w!.dataSync()[0]!.toFixed(3)} (true 3), bias ${b!.dataSync()[0]!.toFixed(3)} (true 2)`);
console.log(`MSE ${scores.mse!.toFixed(4)}, RMSE ${scores.rmse!.toFixed(4)} (noise stddev 0.1)`);
tf.dispose([x, noise, y, w!, b!]);
net.dispose();
