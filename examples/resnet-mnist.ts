// A small residual network on the real MNIST digits: a convolutional stem, three residual
// blocks (the second and third halve the image with a strided, projected shortcut), global
// average pooling and a softmax. Each block is conv-BN-ReLU-conv-BN added to its shortcut.
// `--quick` trains one epoch on 500 images (a smoke run); `--epochs N` sets the epochs
// of a full run (default 2).
import * as st from 'strata';

const quick = process.argv.includes('--quick');
const epochsAt = process.argv.indexOf('--epochs');
const epochs = quick ? 1 : epochsAt > 0 ? Number(process.argv[epochsAt + 1]) : 2;
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs expects a positive integer; got '${process.argv[epochsAt + 1]}'`);
const backend = await st.ready();
console.log(`backend: ${backend}`);

const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist(quick ? { trainLimit: 500, testLimit: 500 } : {});
console.log(`MNIST: ${xTrain.shape[0]} training and ${xTest.shape[0]} test images of ${xTrain.shape.slice(1).join('×')}`);

const net = st.sequential([
  st.layers.input({ shape: [28, 28, 1] }),
  // The stem: 16 feature maps, pooled to 14×14 so the blocks work on a quarter of the pixels.
  st.layers.conv2d({
    filters: 16, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: st.initializers.heNormal({ seed: 1 }),
  }),
  st.layers.batchNormalization(),
  st.layers.reLU(),
  st.layers.maxPooling2d({ poolSize: 2 }),
  // Same width in and out: the shortcut is the input itself.
  st.layers.residualBlock({ filters: 16, kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }),
  // Stride 2 and twice the channels: the shortcut becomes a strided 1×1 projection.
  st.layers.residualBlock({ filters: 32, strides: 2, kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) }),
  st.layers.residualBlock({ filters: 64, strides: 2, kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) }),
  st.layers.globalAveragePooling2d(),
  st.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 5 }) }),
]);
net.summary();
const batchSize = 64;
// A cosine from 1e-3 down to 0 over the run: batch normalization's moving statistics trail
// the weights, and they catch up only once the weights settle.
const steps = epochs * Math.ceil(xTrain.shape[0]! / batchSize);
net.compile({
  optimizer: st.optimizers.adam({
    learningRate: st.optimizers.cosineDecay({ initialLearningRate: 1e-3, decaySteps: steps }),
  }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});

const t0 = performance.now();
// The test set is passed as validation data so its accuracy is printed after every epoch.
// Every initializer and the shuffle are seeded, so a run repeats exactly.
const history = await net.fit(xTrain, yTrain, { epochs, batchSize, seed: 1, validationData: [xTest, yTest] });
const seconds = (performance.now() - t0) / 1000;
history.history.val_accuracy!.forEach((acc, i) => console.log(`test accuracy after epoch ${i + 1}: ${acc.toFixed(4)}`));
console.log(`training time: ${seconds.toFixed(1)} s (${((xTrain.shape[0]! * epochs) / seconds).toFixed(0)} samples/s)`);

// Evaluation runs batch normalization on its moving statistics, not the batch's.
const scores = await net.evaluate(xTest, yTest, { batchSize: 512 });
console.log(`test loss ${scores.loss!.toFixed(4)}, test accuracy ${scores.accuracy!.toFixed(4)}`);
if (quick) {
  // The moving averages move 1 % per step (Keras' momentum 0.99), so a few steps leave them
  // near their initial mean 0 and variance 1, and the test accuracy near chance.
  console.log('(smoke run: batch normalization has not collected its statistics yet; run without --quick)');
}
st.tf.dispose([xTrain, yTrain, xTest, yTest]);
net.dispose();
