// Explaining a regression on a real table: fuel economy (miles per gallon) of 392 cars from
// the classic Auto MPG data (shipped in the vega-datasets package as cars.json) from six
// features. A small MLP is trained, then Kernel SHAP and LIME explain its predictions; the
// global importance (mean |SHAP|) and one car's explanation are printed and drawn to
// out/explain-tabular.png. `--quick` trains fewer epochs and explains fewer cars.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as st from 'strata';

const quick = process.argv.includes('--quick');
console.log(`backend: ${await st.ready()}`);
const t0 = performance.now();
const { tf } = st;

interface Car { Name: string; Miles_per_Gallon: number | null; Cylinders: number; Displacement: number; Horsepower: number | null; Weight_in_lbs: number; Acceleration: number; Year: string }
const file = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'cars.json');
const cars = (JSON.parse(readFileSync(file, 'utf8')) as Car[]).filter((c) => c.Miles_per_Gallon !== null && c.Horsepower !== null);
const features = ['cylinders', 'displacement', 'horsepower', 'weight', 'acceleration', 'year'];
const rows = cars.map((c) => [c.Cylinders, c.Displacement, c.Horsepower!, c.Weight_in_lbs, c.Acceleration, Number(c.Year.slice(0, 4))]);
const target = cars.map((c) => c.Miles_per_Gallon!);

// A seeded 80/20 split; features standardised with the training rows' mean and spread.
const order = Array.from(st.datasets.permutation(rows.length, 7));
const cut = Math.floor(rows.length * 0.8);
const [trainIdx, testIdx] = [order.slice(0, cut), order.slice(cut)];
const mean = features.map((_, j) => trainIdx.reduce((s, i) => s + rows[i]![j]!, 0) / trainIdx.length);
const std = features.map((_, j) => Math.sqrt(trainIdx.reduce((s, i) => s + (rows[i]![j]! - mean[j]!) ** 2, 0) / trainIdx.length));
const scaled = (idx: number[]) => tf.tensor2d(idx.map((i) => rows[i]!.map((v, j) => (v - mean[j]!) / std[j]!)));
const xTrain = scaled(trainIdx);
const xTest = scaled(testIdx);
const yTrain = tf.tensor2d(trainIdx.map((i) => [target[i]!]));
const yTest = tf.tensor2d(testIdx.map((i) => [target[i]!]));
console.log(`Auto MPG: ${trainIdx.length} training and ${testIdx.length} test cars, ${features.length} features`);

const net = st.sequential([
  st.layers.input({ shape: [features.length] }),
  st.layers.dense({ units: 32, activation: 'relu', kernelInitializer: st.initializers.heUniform({ seed: 1 }) }),
  st.layers.dense({ units: 16, activation: 'relu', kernelInitializer: st.initializers.heUniform({ seed: 2 }) }),
  st.layers.dense({ units: 1, kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) }),
]);
net.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
await net.fit(xTrain, yTrain, { epochs: quick ? 40 : 300, batchSize: 32, seed: 1, verbose: 0 });
const pred = net.predict(xTest) as st.tf.Tensor;
const [rmse, mae] = tf.tidy(() => [tf.sqrt(tf.mean(tf.squaredDifference(pred, yTest))).dataSync()[0]!, tf.mean(tf.abs(tf.sub(pred, yTest))).dataSync()[0]!]);
pred.dispose();
console.log(`test RMSE ${rmse!.toFixed(2)} mpg, MAE ${mae!.toFixed(2)} mpg (predicting the training mean: RMSE ${Math.sqrt(testIdx.reduce((s, i) => s + (target[i]! - trainIdx.reduce((a, j) => a + target[j]!, 0) / trainIdx.length) ** 2, 0) / testIdx.length).toFixed(2)})`);

// Kernel SHAP with 50 training cars as the background: six features, so every coalition
// is enumerated and the values are exact Shapley values of the model.
const background = tf.slice(xTrain, [0, 0], [50, features.length]);
const nExplain = quick ? 10 : testIdx.length;
const explained = tf.slice(xTest, [0, 0], [nExplain, features.length]);
const shap = await st.explain.kernelShap(net, explained, { background });
const importance = features.map((_, j) => shap.reduce((s, r) => s + Math.abs(r.values[0]![j]!), 0) / shap.length);
const ranked = features.map((f, j) => [f, importance[j]!] as const).sort((a, b) => b[1] - a[1]);
console.log(`\nglobal importance over ${nExplain} test cars (mean |SHAP|, mpg):`);
for (const [f, v] of ranked) console.log(`  ${f.padEnd(13)} ${v.toFixed(3)}`);

const car = cars[testIdx[0]!]!;
const first = shap[0]!;
console.log(`\n'${car.Name}' (${car.Year.slice(0, 4)}): ${car.Miles_per_Gallon} mpg, predicted ${first.fx[0]!.toFixed(2)}; average car ${first.expectedValue[0]!.toFixed(2)}`);
console.log('  feature        value    SHAP     LIME (per std)');
const [limeRes] = await st.explain.lime(net, tf.slice(xTest, [0, 0], [1, features.length]), { background: xTrain, nSamples: 2000, seed: 1 });
features.forEach((f, j) => {
  const raw = rows[testIdx[0]!]![j]!;
  console.log(`  ${f.padEnd(13)} ${String(raw).padStart(6)}  ${first.values[0]![j]!.toFixed(3).padStart(7)}  ${limeRes!.coefficients[j]!.toFixed(3).padStart(7)}`);
});
console.log(`  LIME surrogate R² ${limeRes!.score.toFixed(3)}; SHAP values add up to ${(first.fx[0]! - first.expectedValue[0]!).toFixed(3)} = f(x) − E[f]`);

const bars = st.plot.barChartImage(features.map((f, j) => [f, first.values[0]![j]!] as const), { title: `SHAP: ${car.Name}` });
const global = st.plot.barChartImage(ranked, { title: 'mean |SHAP| (mpg)' });
await st.plot.grid([global, bars], 'out/explain-tabular.png', { columns: 1 });
console.log('\nwrote out/explain-tabular.png');
console.log(`time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
tf.dispose([xTrain, xTest, yTrain, yTest, background, explained]);
net.dispose();
