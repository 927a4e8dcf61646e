import { it } from 'vitest';
import * as st from '../../src/index.js';
import { gan } from '../../src/apps/gan/index.js';
const { tf } = st;
it('proto', async () => {
await st.setBackend('cpu');
const args: Record<string,string> = Object.fromEntries((process.env.GARGS ?? '').split(' ').filter(Boolean).map((a) => a.split('=')));
const latent = Number(args.latent ?? 2), n = Number(args.n ?? 2000), bs = Number(args.bs ?? 64), epochs = Number(args.epochs ?? 20);
const lrG = Number(args.lrg ?? 1e-3), lrD = Number(args.lrd ?? 1e-3), k = Number(args.k ?? 5), seed = Number(args.seed ?? 1);
const units = Number(args.units ?? 16);
const act = (args.act ?? 'relu') as st.ActivationName;
const dact = (args.dact ?? 'tanh') as st.ActivationName;
const init = (s: number) => st.initializers.glorotUniform({ seed: s });
const G = st.sequential([
  st.layers.dense({ units, activation: act, inputShape: [latent], kernelInitializer: init(seed) }),
  st.layers.dense({ units: 1, kernelInitializer: init(seed + 1) }),
]);
const D = st.sequential([
  st.layers.dense({ units, activation: dact, inputShape: [1], kernelInitializer: args.dk ? st.initializers.randomUniform({ minval: -Number(args.dk), maxval: Number(args.dk), seed: seed + 2 }) : init(seed + 2), ...(args.db ? { biasInitializer: st.initializers.randomUniform({ minval: -Number(args.db), maxval: Number(args.db), seed: seed + 4 }) } : {}) }),
  st.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(seed + 3) }),
]);
const real = tf.randomNormal([n, 1], 4, 1.25, 'float32', seed + 10);
const g = gan({ generator: G, discriminator: D, latentDim: latent });
const steps = Math.ceil(n / bs) * epochs;
const sched = (lr: number, total: number) => args.cos ? st.optimizers.cosineDecay({ initialLearningRate: lr, decaySteps: total, alpha: Number(args.cos) }) : lr;
g.compile({ generatorOptimizer: st.optimizers.adam({ learningRate: sched(lrG, Math.floor(steps / k)), beta1: Number(args.b1 ?? 0.5) }),
  discriminatorOptimizer: st.optimizers.adam({ learningRate: sched(lrD, steps), beta1: Number(args.b1 ?? 0.5) }), loss: (args.loss ?? 'nonSaturating') as 'minimax' });
const t0 = performance.now();
const h = await g.fit(real, { epochs, batchSize: bs, discriminatorSteps: k, seed, verbose: 0, callbacks: [{ onEpochEnd: (e: number, l: st.Logs) => {
  if (e % Math.max(1, Math.floor(epochs / 10)) === 0 || e === epochs - 1) {
    const s = g.sample(2000, { seed: 99 }); const m = tf.moments(s); 
    console.log(e, Object.entries(l).map(([a, b]) => `${a}=${b.toFixed(3)}`).join(' '), 'mean', m.mean.dataSync()[0]!.toFixed(3), 'std', Math.sqrt(m.variance.dataSync()[0]!).toFixed(3));
    tf.dispose([s, m.mean, m.variance]);
  }
} }] });
console.log('time', ((performance.now() - t0) / 1000).toFixed(1), 's', 'iters', g.discriminatorOptimizer!.iterations, g.generatorOptimizer!.iterations, 'tensors', tf.memory().numTensors);

}, 600000);
