// docs/getting-started.md:75 (block 2)
import * as st from 'strata';

await st.ready();
const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist({ flatten: true, trainLimit: 256, testLimit: 100 });

const net = st.sequential([
  st.layers.input({ shape: [784] }),
  st.layers.dense({ units: 256, activation: 'relu' }),
  st.layers.dense({ units: 256, activation: 'relu' }),
  st.layers.dense({ units: 10, activation: 'softmax' }),
]);
net.summary();                    // Keras' table: 269,322 parameters
net.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await net.fit(xTrain, yTrain, { epochs: 1, batchSize: 64, validationSplit: 0.1 });

const { loss, accuracy } = await net.evaluate(xTest, yTest);
console.log(`test loss ${loss!.toFixed(3)}, accuracy ${accuracy!.toFixed(3)}`);

const probs = net.predict(xTest) as st.tf.Tensor;
st.metrics.confusionMatrix(yTest, probs).print();

st.tf.dispose([xTrain, yTrain, xTest, yTest, probs]);
net.dispose();
export {};
