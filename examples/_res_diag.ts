import * as st from 'strata';
const tf = st.tf;
const lr = Number(process.env.LR ?? 2e-3), wide = process.env.WIDE === '1';
console.log(`backend ${await st.ready()} lr ${lr} wide ${wide}`);
const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist({ trainLimit: 12000, testLimit: 2000 });
const net = st.sequential([
  st.layers.input({ shape: [28, 28, 1] }),
  st.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }),
  st.layers.batchNormalization(), st.layers.reLU(), st.layers.maxPooling2d({ poolSize: 2 }),
  st.layers.residualBlock({ filters: 16 }), st.layers.residualBlock({ filters: 32, strides: 2 }),
  ...(wide ? [st.layers.residualBlock({ filters: 64, strides: 2 })] : []),
  st.layers.globalAveragePooling2d(), st.layers.dense({ units: 10, activation: 'softmax' }),
]);
net.compile({ optimizer: st.optimizers.adam({ learningRate: lr }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
await net.fit(xTrain, yTrain, { epochs: 2, batchSize: 64, verbose: 2, validationData: [xTest, yTest] });
console.log(`time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
const inf = await net.evaluate(xTest, yTest, { batchSize: 500 });
let correct = 0;
for (let i = 0; i < 2000; i += 500) {
  const acc = tf.tidy(() => {
    const p = net.call(tf.slice(xTest, [i, 0, 0, 0], [500, 28, 28, 1]), { training: true }) as st.tf.Tensor;
    return tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), tf.slice(yTest, [i], [500])), 'float32'));
  });
  correct += (await acc.data())[0]!; acc.dispose();
}
console.log(`inference-mode test acc ${inf.accuracy!.toFixed(4)}, batch-stat test acc ${(correct / 2000).toFixed(4)}`);
