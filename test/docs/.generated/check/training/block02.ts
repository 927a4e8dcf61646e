// docs/training.md:42 (block 2)
import * as st from 'strata';

const { tf } = st;
const x = tf.randomNormal([200, 20], 0, 1, 'float32', 1);
const y = tf.tidy(() => tf.cast(tf.greater(tf.sum(x, 1, true), 0), 'float32'));   // [200, 1]

const net = st.sequential([
  st.layers.input({ shape: [20] }),
  st.layers.dense({ units: 16, activation: 'relu' }),
  st.layers.dense({ units: 1, activation: 'sigmoid' }),
]);
net.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });

const history = await net.fit(x, y, {
  epochs: 5,
  batchSize: 32,              // default 32
  validationSplit: 0.2,       // the last 20 % of the samples, taken before shuffling, as in Keras
  shuffle: true,              // default: reshuffle the training samples every epoch
  verbose: 0,                 // 0 silent, 1 progress bar, 2 one line per epoch
});
console.log(history.history.val_accuracy);   // one value per epoch
console.log(history.epoch);                  // [0, 1, 2, 3, 4]

const scores = await net.evaluate(x, y, { batchSize: 100 });   // { loss, accuracy }
console.log(scores);

const probs = net.predict(x) as st.tf.Tensor;                  // [200, 1]
tf.dispose([x, y, probs]);
net.dispose();
export {};
