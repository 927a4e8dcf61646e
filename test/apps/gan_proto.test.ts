import { it } from 'vitest';
import * as st from '../../src/index.js';
import { makeGan, realData, sampleStats, disposeAll } from './gan_models.js';
it('proto', async () => {
  await st.setBackend('cpu');
  const seeds = (process.env.SEEDS ?? '1').split(',').map(Number);
  const n = Number(process.env.N ?? 2000), epochs = Number(process.env.EPOCHS ?? 20), bs = Number(process.env.BS ?? 32);
  for (const seed of seeds) {
    const steps = Math.ceil(n / bs) * epochs;
    const sch = (lr: number, total: number) => process.env.COS ? st.optimizers.cosineDecay({ initialLearningRate: lr, decaySteps: total, alpha: Number(process.env.COS) }) : lr;
    const g = makeGan({ seed, lrG: sch(Number(process.env.LRG ?? 1e-2), Math.floor(steps / 5)), lrD: sch(Number(process.env.LRD ?? 5e-3), steps) });
    const x = realData(n, seed + 100);
    const t0 = performance.now();
    await g.fit(x, { epochs, batchSize: bs, seed, verbose: 0, callbacks: process.env.TRACE ? [{ onEpochEnd: (e: number, l: st.Logs) => { const q = sampleStats(g); console.log(`TRACE ${e} ${Object.entries(l).map(([a, b]) => `${a}=${b.toFixed(3)}`).join(' ')} mean ${q.mean.toFixed(3)} std ${q.std.toFixed(3)}`); } }] : [] });
    const s = sampleStats(g);
    console.log(`RESULT seed ${seed} mean ${s.mean.toFixed(3)} std ${s.std.toFixed(3)} time ${((performance.now() - t0) / 1000).toFixed(1)}`);
    x.dispose(); disposeAll(g);
  }
}, 600000);
