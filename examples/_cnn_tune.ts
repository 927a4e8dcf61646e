import * as st from 'strata';
const E = process.env;
const batchSize = Number(E.BATCH ?? 64), d1 = Number(E.D1 ?? 0.25), d2 = Number(E.D2 ?? 0.5), lr = Number(E.LR ?? 1e-3);
const sched = E.SCHED ?? 'const';
const epochs = 3;
console.log(`backend ${await st.ready()} batch ${batchSize} dropout ${d1}/${d2} lr ${lr} ${sched}`);
const { xTrain, yTrain, xTest, yTest } = st.datasets.mnist({});
const he = (seed: number) => st.initializers.heUniform({ seed });
const net = st.sequential([
  st.layers.input({ shape: [28, 28, 1] }),
  st.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: he(1) }),
  st.layers.maxPooling2d({ poolSize: 2 }),
  st.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: he(2) }),
  st.layers.maxPooling2d({ poolSize: 2 }),
  st.layers.flatten(),
  st.layers.dropout({ rate: d1, seed: 3 }),
  st.layers.dense({ units: 128, activation: 'relu', kernelInitializer: he(4) }),
  st.layers.dropout({ rate: d2, seed: 5 }),
  st.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 6 }) }),
]);
const spe = Math.ceil(60000 / batchSize);
const learningRate = sched === 'cos' ? st.optimizers.cosineDecay({ initialLearningRate: lr, decaySteps: epochs * spe })
  : sched === 'exp' ? st.optimizers.exponentialDecay({ initialLearningRate: lr, decaySteps: spe, decayRate: Number(E.RATE ?? 0.5) }) : lr;
net.compile({ optimizer: st.optimizers.adam({ learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
await net.fit(xTrain, yTrain, { epochs, batchSize, validationData: [xTest, yTest], verbose: 2 });
console.log(`time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
