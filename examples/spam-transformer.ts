// Spam or ham with a small transformer: the same SpamAssassin split as spam-lstm, but the
// word embeddings get a learned position vector, pass one transformer encoder block
// (self-attention + feed-forward, padded words masked out), and are averaged over the real
// words before a sigmoid unit. The block's inner layers take no seed, so numbers vary a
// little from run to run. `--quick` trains one epoch on a 1,500-message subset (a smoke run).
import * as st from 'strata';
import { binaryReport, vectorizedSpam } from './_shared/spam.js';

const quick = process.argv.includes('--quick');
const backend = await st.ready();
console.log(`backend: ${backend}`);

const seqLen = quick ? 64 : 200;
const { data, tv, xTrain, xTest, yTrain, yTest } = vectorizedSpam({ quick, seqLen, maxTokens: quick ? 5000 : 15000 });

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
