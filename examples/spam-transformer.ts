// Spam or ham with a small transformer: the same SpamAssassin split as spam-lstm, but the
// word embeddings get a learned position vector, pass one transformer encoder block
// (self-attention + feed-forward, padded words masked out), and are averaged over the real
// words before a sigmoid unit. The block's inner layers take no seed, so numbers vary a
// little from run to run. `--quick` trains one epoch on a 1,500-message subset (a smoke run).
import * as st from 'strata';
import { binaryReport, loadSpam } from './_shared/spam.js';

const quick = process.argv.includes('--quick');
const backend = await st.ready();
console.log(`backend: ${backend}`);

const data = loadSpam({ seed: 1, limit: quick ? 1500 : undefined });
console.log(`SpamAssassin: ${data.trainTexts.length} training and ${data.testTexts.length} test messages ` +
  `(${data.trainLabels.filter((y) => y === 1).length} / ${data.testLabels.filter((y) => y === 1).length} spam)`);

const seqLen = quick ? 64 : 200;
const tv = st.layers.textVectorization({ maxTokens: quick ? 5000 : 15000, outputSequenceLength: seqLen });
tv.adapt(data.trainTexts);
const xTrain = tv.vectorize(data.trainTexts);
const xTest = tv.vectorize(data.testTexts);
const yTrain = st.tf.tensor2d(data.trainLabels, [data.trainLabels.length, 1]);
const yTest = st.tf.tensor2d(data.testLabels, [data.testLabels.length, 1]);
console.log(`vocabulary: ${tv.getVocabulary().length} tokens; messages cut or padded to ${seqLen} tokens`);

const L = st.layers;
const dim = 32;
const tokens = L.input({ shape: [seqLen] });
let h = L.embedding({
  inputDim: tv.getVocabulary().length, outputDim: dim, maskZero: true,
  embeddingsInitializer: st.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 }),
}).apply(tokens);
h = L.positionalEmbedding({ sequenceLength: seqLen }).apply(h);
h = L.transformerEncoderBlock({ intermediateDim: 64, numHeads: 2, dropout: 0.1 }).apply(h);
h = L.globalAveragePooling1d().apply(h);
h = L.dropout({ rate: 0.2, seed: 3 }).apply(h);
const out = L.dense({ units: 1, activation: 'sigmoid', kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) }).apply(h);
const net = st.model({ inputs: tokens, outputs: out });
net.summary();
net.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-3 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });

const epochs = quick ? 1 : 5;
const t0 = performance.now();
const history = await net.fit(xTrain, yTrain, { epochs, batchSize: 32, seed: 1, validationData: [xTest, yTest] });
const seconds = (performance.now() - t0) / 1000;
history.history.val_accuracy!.forEach((acc, i) => console.log(`test accuracy after epoch ${i + 1}: ${acc.toFixed(4)}`));
console.log(`training time: ${seconds.toFixed(1)} s (${((xTrain.shape[0]! * epochs) / seconds).toFixed(0)} messages/s)`);

const probs = net.predict(xTest, { batchSize: 256 }) as st.tf.Tensor;
const r = binaryReport(data.testLabels, await probs.data());
console.log(`test accuracy ${r.accuracy.toFixed(4)}  precision ${r.precision.toFixed(4)}  recall ${r.recall.toFixed(4)}  F1 ${r.f1.toFixed(4)}`);
st.metrics.confusionMatrix(data.testLabels, r.predicted, { labels: ['ham', 'spam'] }).print();
st.tf.dispose([xTrain, yTrain, xTest, yTest, probs]);
net.dispose();
